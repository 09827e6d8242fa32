"""/api/v1/openapi.json: a valid OpenAPI 3.1 document of every API route, from the same declarations that
validate requests (views.api.registry)."""
from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate

from tests.api_support import assert_error, world  # noqa: F401

API = "/api/v1"


@pytest.fixture
def document(client, world):  # noqa: F811
    response = world.api(client, "viewer").get("/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def test_the_document_is_valid_openapi_3_1(document):
    validate(document)
    assert document["openapi"].startswith("3.1")


def test_the_document_needs_sign_in_like_the_rest_of_the_api(client):
    assert_error(client.get(API + "/openapi.json"), 401)


def _rules(app) -> set[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(API + "/"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule[len(API):])
        found |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return found


def test_every_route_of_the_url_map_is_documented_and_nothing_else(app, document):
    documented = {(path, method) for path, ops in document["paths"].items() for method in ops}
    assert len(documented) >= 50
    assert _rules(app) == documented


def test_every_operation_documents_its_answers_and_the_error_shape(document):
    for path, ops in document["paths"].items():
        for method, op in ops.items():
            codes = set(op["responses"])
            assert codes & {"200", "201"}, (method, path)
            assert "401" in codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if method in ("post", "put", "patch"):
                assert {"400", "403", "409", "413", "422"} <= codes, (method, path)
            for code, answer in op["responses"].items():
                if code.startswith(("4", "5")):
                    schema = answer["content"]["application/json"]["schema"]
                    if (method, path, code) == ("post", "/imports", "422"):  # or the rejected rows' report
                        assert schema == {"anyOf": [{"$ref": "#/components/schemas/Error"},
                                                    {"$ref": "#/components/schemas/ImportReport"}]}
                        continue
                    assert schema == {"$ref": "#/components/schemas/Error"}


def test_bodies_carry_the_limits_the_services_apply(document):
    from kb.services import accounts, stakeholders

    body = document["paths"]["/accounts"]["post"]["requestBody"]["content"]["application/json"]
    name = body["schema"]["properties"]["name"]
    assert name["maxLength"] == accounts.MAX_NAME
    assert body["schema"]["required"] == ["name"]
    assert body["example"]["name"] == "华东移动无锡分公司"
    tier = body["schema"]["properties"]["tier"]
    assert tier["enum"] == ["strategic", "key", "growth", "standard"]
    new = document["paths"]["/accounts/{account_id}/stakeholders"]["post"]["requestBody"]["content"]
    assert new["application/json"]["schema"]["properties"]["notes"]["maxLength"] == stakeholders.NOTES_MAX
    patch = document["paths"]["/accounts/{account_id}"]["patch"]["requestBody"]["content"]
    assert "required" not in patch["application/json"]["schema"]  # PATCH: every field optional


def test_enumerations_say_what_each_value_means_in_the_callers_language(client, world):  # noqa: F811
    api = world.api(client, "viewer")
    zh = api.get("/openapi.json", headers={"Accept-Language": "zh-CN"}).get_json()
    en = api.get("/openapi.json", headers={"Accept-Language": "en"}).get_json()
    tier_zh = zh["paths"]["/accounts"]["post"]["requestBody"]["content"]["application/json"]
    tier_en = en["paths"]["/accounts"]["post"]["requestBody"]["content"]["application/json"]
    assert "`strategic`: Strategic" in tier_en["schema"]["properties"]["tier"]["description"]
    assert "`strategic`: 战略" in tier_zh["schema"]["properties"]["tier"]["description"]


def test_query_parameters_are_documented_with_their_bounds(document):
    params = {p["name"]: p for p in document["paths"]["/accounts"]["get"]["parameters"]}
    assert params["per_page"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}
    assert params["coverage"]["schema"]["enum"] == ["direct", "channel"]
    opp = {p["name"] for p in document["paths"]["/opportunities"]["get"]["parameters"]}
    assert {"account", "group", "stage", "status", "key_project", "page", "per_page"} <= opp


def test_security_schemes_bearer_and_session_with_csrf(document):
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearer"]["scheme"] == "bearer"
    assert schemes["session"]["in"] == "cookie"
    assert schemes["csrf"] == {**schemes["csrf"], "in": "header", "name": "X-CSRFToken"}


def test_creates_link_to_read_and_update(document):
    links = document["paths"]["/accounts"]["post"]["responses"]["201"]["links"]
    assert links["GetAccount"] == {"operationId": "show_account",
                                   "parameters": {"account_id": "$response.body#/id"}}
    for path in ("/accounts/{account_id}/stakeholders", "/accounts/{account_id}/interactions"):
        assert len(document["paths"][path]["post"]["responses"]["201"]["links"]) == 2


def test_a_view_validating_with_another_schema_than_declared_is_caught(app):
    from views.api.registry import registered_body
    from views.api.bodies.accounts import AccountChanges, NewAccount

    with app.app_context():
        assert registered_body("api.create_account") == (NewAccount, False)
        assert registered_body("api.update_account") == (AccountChanges, True)


def test_query_parameters_are_validated_by_their_declaration(client, world):  # noqa: F811
    api = world.api(client, "viewer")
    error = assert_error(api.get("/accounts?per_page=500&tier=gold", headers={"Accept-Language": "zh-CN"}),
                         422, "per_page", "tier")
    assert error["fields"]["per_page"] == "必须是 1 到 100 之间的整数。"
    error = assert_error(api.get("/opportunities?key_project=maybe", headers={"Accept-Language": "en"}),
                         422, "key_project")
    assert error["fields"]["key_project"] == "Must be true or false."


def test_the_docs_page_loads_vendored_swagger_ui_under_the_strict_csp(client, auth, create_user):
    assert client.get("/api/docs").status_code == 302  # sign-in first, like every page
    auth.login(create_user(role="viewer"))
    page = client.get("/api/docs", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert "<script>" not in html and "https://" not in html  # no inline script, no CDN
    assert "返回客户知识库" in html
    assert 'data-spec-url="/api/v1/openapi.json"' in html
    bundle = client.get("/api/docs/ui/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and len(bundle.data) > 100_000
    bundle.close()
