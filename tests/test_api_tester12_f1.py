"""The tester's defects of issue 12 (tester12_report.md, items 3, 4, 8, 9, 10) with their exact inputs."""
from __future__ import annotations

from tests.api_support import assert_error, world  # noqa: F401


def test_a_405_names_the_methods_the_address_takes(client, world):  # noqa: F811
    api = world.api(client, "admin")
    response = api.request("TRACE", f"/accounts/{world.account.id}")
    assert_error(response, 405)
    allowed = {m.strip() for m in response.headers["Allow"].split(",")}
    assert {"GET", "PATCH"} <= allowed and "TRACE" not in allowed
    page = client.open("/search", method="DELETE")
    assert page.status_code == 405 and "GET" in page.headers["Allow"]


def test_a_whole_number_written_as_a_float_is_a_whole_number(client, world):  # noqa: F811
    api = world.api(client, "admin")
    path = f"/accounts/{world.account.id}/stakeholders"
    response = api.post(path, json={"name": "张总", "relationship_level": 3.0})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["relationship_level"] == 3
    for bad in (3.5, True):
        error = assert_error(api.post(path, json={"name": "李总", "relationship_level": bad}),
                             422, "relationship_level")
        assert error["fields"]["relationship_level"] == "Must be a whole number."


def test_a_service_error_on_a_next_step_comes_nested_under_its_index(client, world):  # noqa: F811
    api = world.api(client, "seated")
    body = {"occurred_on": "2026-11-02", "kind": "visit",
            "next_steps": [{"text": "准备报价"}, {"text": "回访", "owner_id": 999999}]}
    error = assert_error(api.post(f"/accounts/{world.account.id}/interactions", json=body), 422)
    assert error["fields"] == {"next_steps": {"1": {"owner_id": "Unknown user."}}}


def test_a_handover_assignment_without_a_scope_is_an_object_under_its_index(client, world):  # noqa: F811
    api = world.api(client, "admin")
    body = {"from_user_id": world.named.id, "to_user_id": world.seated.id, "dry_run": True,
            "assignments": [{"to_user_id": world.seated.id}]}
    error = assert_error(api.post("/handovers", json=body), 422)
    assert error["fields"] == {"assignments": {"0": {"_": "Give either customer_group_id or account_id."}}}


def test_flat_service_keys_become_the_nested_shape(app):
    from kb.form_errors import nested_fields
    assert nested_fields({"targets-0-target": "金额不能为负数。", "seats.AR": "刘洋 is a viewer",
                          "assignments": "没有此编号的用户", "name": "Required.", "targets-2": "x"}) == {
        "targets": {"0": {"target": "金额不能为负数。"}, "2": {"_": "x"}}, "seats": {"AR": "刘洋 is a viewer"},
        "assignments": {"_": "没有此编号的用户"}, "name": "Required."}


def test_a_group_seat_starting_before_1980_is_refused_as_every_other_date(client, world):  # noqa: F811
    api = world.api(client, "admin")
    path = f"/customer-groups/{world.group.id}/seats"
    error = assert_error(api.post(path, json={"user_id": world.named.id, "role": "SR",
                                              "started_on": "1900-01-01"}), 422, "started_on")
    assert error["fields"]["started_on"] == "Enter a date after 1980-01-01."
    seats = api.get(f"/customer-groups/{world.group.id}").get_json()["current_seats"]
    assert world.named.id not in [s["user_id"] for s in seats]


def test_a_name_of_only_invisible_characters_is_refused_like_an_empty_one(client, world):  # noqa: F811
    api = world.api(client, "admin")
    error = assert_error(api.patch(f"/accounts/{world.account.id}", json={"name": "\u200b"}), 422, "name")
    assert error["fields"]["name"] == "Required."
    assert api.get(f"/accounts/{world.account.id}").get_json()["name"] == "中国移动浙江公司"
    ok = api.post(f"/accounts/{world.account.id}/stakeholders", json={"name": "张\u200b总"})
    assert ok.status_code == 201 and ok.get_json()["name"] == "张\u200b总"  # visible text around it stays


def test_a_member_naming_a_group_that_does_not_exist_is_told_so_not_refused(client, world):  # noqa: F811
    api = world.api(client, "seated")
    error = assert_error(api.post("/accounts", json={"name": "苏州新客户", "customer_group_id": 999}),
                         422, "customer_group_id")
    assert error["fields"]["customer_group_id"] == "This customer group does not exist."
    denied = assert_error(api.post("/accounts", json={"name": "苏州新客户", "customer_group_id": None}), 403)
    assert denied["code"] == "forbidden"


def test_a_lone_surrogate_is_refused_in_the_callers_language(client, world):  # noqa: F811
    api = world.api(client, "admin")
    response = api.request("PATCH", f"/accounts/{world.account.id}", data='{"name": "\\ud800"}',
                           headers={"Content-Type": "application/json", "Accept-Language": "zh-CN"})
    error = assert_error(response, 422, "name")
    assert error["fields"]["name"] == "必须是有效的 Unicode 文本。"


def test_no_pydantic_error_type_reaches_the_caller_in_pydantics_english(app):
    """Every error type pydantic may raise gets one of our translated messages (zh-CN)."""
    from typing import get_args

    from flask_babel import force_locale
    from pydantic_core.core_schema import ErrorType

    from views.api.bodies.errors import message
    ctx = {"max_length": 3, "min_length": 2, "ge": 1, "le": 9, "gt": 1, "lt": 9, "multiple_of": 2,
           "expected": "a, b", "error": "x", "inner": "", "values": "a, b", "keys": "k", "allowed": "a"}
    with app.test_request_context(), force_locale("zh_CN"):
        for kind in get_args(ErrorType):
            text = message({"type": kind, "msg": "PYDANTIC ENGLISH", "ctx": ctx, "input": 1}, required=True)
            assert text and "PYDANTIC" not in text, kind
        for kind in ("string_unicode", "float_type", "too_short", "greater_than", "json_invalid"):
            text = message({"type": kind, "msg": "x", "ctx": ctx, "input": 1}, required=True)
            assert not text.isascii(), (kind, text)  # translated, not the English msgid


def _schema(client, world, path, method="post"):  # noqa: F811
    doc = world.api(client, "admin").get("/openapi.json").get_json()
    return doc, doc["paths"][path][method]


def _resolve(doc, schema):
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def test_the_document_says_a_contract_needs_its_amount_as_the_server_does(client, world):  # noqa: F811
    doc, op = _schema(client, world, "/opportunities/{opportunity_id}/contract")
    body = _resolve(doc, op["requestBody"]["content"]["application/json"]["schema"])
    assert set(body["required"]) == {"number", "signed_on", "amount"}
    assert body["properties"]["currency"]["enum"] == ["CNY", "USD", "EUR", "HKD", "JPY", "GBP"]


def test_the_imports_kind_is_documented_as_required(client, world):  # noqa: F811
    _doc, op = _schema(client, world, "/imports")
    kind = next(p for p in op["parameters"] if p["name"] == "kind")
    assert kind["required"] is True


def test_a_tokens_expiry_schema_takes_null_and_the_server_the_same_choices(client, login_as,  # noqa: F811
                                                                            world):
    from tests.api_support import Api
    doc, op = _schema(client, world, "/tokens")
    body = _resolve(doc, op["requestBody"]["content"]["application/json"]["schema"])
    expiry = body["properties"]["expires_days"]
    assert {"type": "null"} in expiry["anyOf"]
    assert {"type": "integer", "enum": [30, 90, 365]} in expiry["anyOf"]
    login_as(world.admin)
    api = Api(client)
    for bad in (3651, 45, "90", True):
        error = assert_error(api.post("/tokens", json={"label": "ci", "expires_days": bad}), 422, "expires_days")
        assert error["fields"]["expires_days"] == "Choose when the token expires: 30, 90 or 365 days."
    assert api.post("/tokens", json={"label": "ci", "expires_days": None}).status_code == 201
    assert api.post("/tokens", json={"label": "ci", "expires_days": 90.0}).status_code == 201


def test_a_currency_outside_the_list_is_refused_naming_the_list(client, world):  # noqa: F811
    api = world.api(client, "seated")
    for bad in ("rmb", "12"):
        error = assert_error(api.post("/opportunities", json={"account_id": world.account.id, "name": "一期",
                                                              "currency": bad}), 422, "currency")
        assert error["fields"]["currency"] == "Must be one of: CNY, USD, EUR, HKD, JPY, GBP."
    ok = api.post("/opportunities", json={"account_id": world.account.id, "name": "一期", "currency": "USD"})
    assert ok.status_code == 201 and ok.get_json()["currency"] == "USD"


def test_the_search_apis_parameters_are_checked_like_every_list(client, world):  # noqa: F811
    api = world.api(client, "seated")
    for name, bad in [("page", "abc"), ("per_page", "-5"), ("sort", "oldest"), ("type", "bogus"),
                      ("type", "account,bogus"), ("group", "abc"), ("date_from", "2026-13-01"),
                      ("date_from", "2026-1-5"), ("date_to", "x"), ("archived", "maybe")]:
        error = assert_error(api.get("/search", query_string={"q": "移动", name: bad}), 422, name)
        assert list(error["fields"]) == [name], (name, bad)
    assert assert_error(api.get("/search", query_string={"q": "移动", "sort": "oldest"}), 422)[
        "fields"]["sort"] == "Must be one of: relevance, newest."
    good = api.get("/search", query_string={"q": "移动", "type": "account,plan", "page": "1", "per_page": "5",
                                            "sort": "newest", "date_from": "2026-01-05", "group": "1"})
    assert good.status_code in (200, 503), good.get_json()
    assert client.get("/search", query_string={"q": "移动", "page": "abc"}).status_code != 422  # the page stays lenient


def test_the_search_parameters_are_typed_in_the_document(client, world):  # noqa: F811
    _doc, op = _schema(client, world, "/search", "get")
    params = {p["name"]: p["schema"] for p in op["parameters"]}
    assert params["page"]["type"] == "integer" and params["per_page"]["maximum"] == 100
    assert params["sort"]["enum"] == ["relevance", "newest"]
    assert params["date_from"] == {"type": "string", "format": "date"}
    assert params["group"]["type"] == "integer"


def test_the_watches_period_is_documented_with_the_format_the_server_enforces(client, world):  # noqa: F811
    import re
    _doc, op = _schema(client, world, "/watches", "get")
    pattern = re.compile(next(p for p in op["parameters"] if p["name"] == "period")["schema"]["pattern"])
    api = world.api(client, "admin")
    for period in ("FY2027", "2027H1", "2027q3", "fy2030"):
        assert pattern.match(period) and api.get("/watches", query_string={"period": period}).status_code == 200
    for period in ("2027Q5", "FY27", "next year", "1999"):
        assert not pattern.match(period), period
        assert_error(api.get("/watches", query_string={"period": period}), 422, "period")


def test_echoed_read_only_names_are_declared_read_only_in_the_body_schema(client, world):  # noqa: F811
    doc, op = _schema(client, world, "/accounts/{account_id}", "patch")
    body = _resolve(doc, op["requestBody"]["content"]["application/json"]["schema"])
    assert body["additionalProperties"] is False
    for name in ("id", "created_at", "updated_at"):
        assert body["properties"][name] ["readOnly"] is True
    api = world.api(client, "admin")
    read = api.get(f"/accounts/{world.account.id}").get_json()
    sent = {name: read[name] for name in ("id", "created_at", "updated_at") if name in read}
    response = api.patch(f"/accounts/{world.account.id}", json={**sent, "region": "华东"})
    assert response.status_code == 200 and response.get_json()["region"] == "华东"


def test_the_document_says_a_plan_target_needs_its_target_as_the_server_does(client, world):  # noqa: F811
    doc = world.api(client, "admin").get("/openapi.json").get_json()
    assert "target" in doc["components"]["schemas"]["TargetInput"]["required"]
