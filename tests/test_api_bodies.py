"""The pydantic request bodies (views/api/bodies/): every kind of error → the translated message on its
field (zh_CN and en), strictness, echoed read-only names, PATCH, nested errors, and the OpenAPI bodies."""
from __future__ import annotations

from datetime import date

import pytest

from models import InteractionKind, Tier
from tests.api_support import assert_error, world  # noqa: F401
from views.api.bodies import InvalidInput, clean
from views.api.bodies.accounts import AccountChanges, NewAccount, NewStakeholder, NewToken
from views.api.bodies.ltc import ConvertInput, NewOpportunity
from views.api.bodies.records import (
    HandoverInput, InteractionChanges, NewContract, NewInteraction, NewMilestone, PlanInput,
)

LONG_NAME = "客" * 201
CASES = [
    # (model, body, field, English, Chinese)
    (NewAccount, {}, "name", "Required.", "必填。"),
    (NewAccount, {"name": "  "}, "name", "Required.", "必填。"),
    (NewAccount, {"name": None}, "name", "Required.", "必填。"),
    (NewAccount, {"name": 5}, "name", "Must be a string.", "必须是字符串。"),
    (NewAccount, {"name": LONG_NAME}, "name", "At most 200 characters.", "最多 200 个字符。"),
    (NewAccount, {"name": "浙江移动", "nickname": "x"}, "nickname", "Unknown field.", "未知字段。"),
    (NewAccount, {"name": "浙江移动", "tier": "gold"}, "tier",
     "Must be one of: strategic, key, growth, standard.", "必须是以下值之一：strategic, key, growth, standard。"),
    (NewAccount, {"name": "浙江移动", "tier": None}, "tier", "May not be null.", "不能为 null。"),
    (NewAccount, {"name": "浙江移动", "parent_id": "5"}, "parent_id", "Must be a whole number.", "必须是整数。"),
    (NewAccount, {"name": "浙江移动", "parent_id": True}, "parent_id", "Must be a whole number.", "必须是整数。"),
    (NewAccount, {"name": "浙江移动", "parent_id": 0}, "parent_id", "Must be at least 1.", "不能小于 1。"),
    (NewAccount, {"name": "浙江移动", "parent_id": 2**31}, "parent_id", "Must be at most 2147483647.",
     "不能大于 2147483647。"),
    (NewAccount, {"name": "浙江移动", "confirm_duplicate": 1}, "confirm_duplicate", "Must be true or false.",
     "必须是 true 或 false。"),
    (NewAccount, {"name": "浙江移动", "aliases": "浙江移动"}, "aliases", "Must be a list of strings.",
     "必须是字符串列表。"),
    (NewAccount, {"name": "浙江移动", "aliases": ["ZJCM", "移" * 101]}, "aliases",
     "Each item: At most 100 characters.", "每一项：最多 100 个字符。"),
    (NewAccount, {"name": "浙江移动", "aliases": [f"别名{i}" for i in range(21)]}, "aliases",
     "At most 20 items.", "最多 20 项。"),
    (NewStakeholder, {"name": "张总", "owner_ids": [1, "2"]}, "owner_ids",
     "Must be a list of ids (whole numbers).", "必须是 ID（整数）列表。"),
    (NewStakeholder, {"name": "张总", "owner_ids": [1, 0]}, "owner_ids", "Ids are positive whole numbers.",
     "ID 必须是正整数。"),
    (NewStakeholder, {"name": "张总", "relationship_level": 6}, "relationship_level", "Must be at most 5.",
     "不能大于 5。"),
    (NewInteraction, {"occurred_on": "2026-13-01", "kind": "visit"}, "occurred_on",
     "Must be a date written YYYY-MM-DD.", "必须是 YYYY-MM-DD 格式的日期。"),
    (NewInteraction, {"occurred_on": "2026-1-5", "kind": "visit"}, "occurred_on",
     "Must be a date written YYYY-MM-DD.", "必须是 YYYY-MM-DD 格式的日期。"),
    (NewInteraction, {"occurred_on": "2026-10-08", "kind": "visit", "next_steps": {"text": "x"}}, "next_steps",
     "Must be a list of objects.", "必须是对象列表。"),
    (NewContract, {"number": "HT-1", "signed_on": "2026-10-08", "amount": True}, "amount",
     'Must be a number or a decimal string, e.g. "1250000.00".', '必须是数字或小数字符串，例如 "1250000.00"。'),
    (NewContract, {"number": "HT-1", "signed_on": "2026-10-08", "amount": "1" * 41}, "amount",
     'Must be a number or a decimal string, e.g. "1250000.00".', '必须是数字或小数字符串，例如 "1250000.00"。'),
    (NewContract, {"number": "HT-1", "signed_on": "2026-10-08", "amount": None}, "amount", "Required.",
     "必填。"),  # the amount is required (kb.services.contracts), so a null reads "Required."
    (PlanInput, {"sections": ["objectives"]}, "sections", "Must be an object.", "必须是对象。"),
    (PlanInput, {"sections": {"objectives": 1}}, "sections", "Values must be strings.", "值必须是字符串。"),
    (PlanInput, {"sections": {"zz": "x", "aa": "y"}}, "sections", None, None),  # message checked below
    (PlanInput, {"targets": [{"metric": "revenue", "target": "1"}] * 21}, "targets", "At most 20 items.",
     "最多 20 项。"),
    (HandoverInput, {"from_user_id": 1, "to_user_id": 2, "note": "交接\x00"}, "note", None, None),
    (NewToken, {"label": "脚本"}, "expires_days", "Required.", "必填。"),
    (NewToken, {"label": "脚本", "expires_days": 4000}, "expires_days",
     "Choose when the token expires: 30, 90 or 365 days.", "请选择令牌的有效期：30、90 或 365 天。"),
    (ConvertInput, {"seats": []}, "seats", "Must be an object.", "必须是对象。"),
    (ConvertInput, {"seats": None}, "seats", "May not be null.", "不能为 null。"),
    (ConvertInput, {"seats": {"AR": "4"}}, "seats", None, None),  # per role, checked below
    (NewInteraction, {"occurred_on": "2026-10-08", "kind": "visit", "next_steps": None}, "next_steps",
     "May not be null.", "不能为 null。"),
    (ConvertInput, {"seats": {"XR": 1}}, "seats", "Unknown keys: XR. Allowed: AR, SR, FR.",
     "未知的键：XR。允许的键：AR, SR, FR。"),
]


def _errors(app, model, body, language, *, partial=False):
    with app.test_request_context(headers={"Accept-Language": language}):
        with pytest.raises(InvalidInput) as caught:
            clean(model, body, partial=partial)
    return caught.value.fields


@pytest.mark.parametrize(("model", "body", "field", "english", "chinese"), CASES)
def test_each_error_reads_as_the_translated_message_on_its_field(app, model, body, field, english, chinese):
    fields_en = _errors(app, model, body, "en")
    fields_zh = _errors(app, model, body, "zh-CN")
    assert field in fields_en and field in fields_zh, fields_en
    if english is not None:
        assert fields_en[field] == english
        assert fields_zh[field] == chinese


def test_unknown_section_keys_are_all_named_and_control_characters_refused_as_on_forms(app):
    sections = _errors(app, PlanInput, {"sections": {"zz": "x", "aa": "y"}}, "en")["sections"]
    assert sections.startswith("Unknown keys: aa, zz. Allowed: ")
    note = _errors(app, HandoverInput, {"from_user_id": 1, "to_user_id": 2, "note": "交接\x00"}, "en")["note"]
    assert "U+0000" in note
    assert _errors(app, ConvertInput, {"seats": {"AR": "4", "SR": True, "FR": None}}, "zh-CN") == {
        "seats": {"AR": "必须是用户 ID 或 null。", "SR": "必须是用户 ID 或 null。"}}


def test_errors_inside_a_list_of_objects_are_keyed_by_index(app):
    body = {"occurred_on": "2026-10-08", "kind": "visit",
            "next_steps": [{"text": "发方案"}, {"owner_id": "3"}, "call them", {"text": "x", "colour": "red"}, None]}
    assert _errors(app, NewInteraction, body, "zh-CN")["next_steps"] == {
        "1": {"text": "必填。", "owner_id": "必须是整数。"},
        "2": {"_": "必须是对象。"},
        "3": {"colour": "未知字段。"},
        "4": {"_": "必须是对象。"},
    }


def test_clean_values_are_what_the_services_take(app):
    body = {"name": " 浙江移动 ", "aliases": [" ZJCM ", "", "  "], "tier": "key", "id": 9,
            "created_at": "2026-01-01T00:00:00Z", "description": "  keep blanks  "}
    with app.test_request_context():
        assert clean(NewAccount, body) == {"name": "浙江移动", "aliases": ["ZJCM"], "tier": Tier.KEY,
                                           "description": "  keep blanks  "}
        steps = clean(NewInteraction, {"occurred_on": "2026-10-08", "kind": "visit", "stakeholder_ids": [3, 1, 3],
                                       "next_steps": [{"text": "发方案", "due_on": "2026-10-15", "overdue": True}]})
        assert steps == {"occurred_on": date(2026, 10, 8), "kind": InteractionKind.VISIT, "stakeholder_ids": [3, 1],
                         "next_steps": [{"text": "发方案", "due_on": date(2026, 10, 15)}]}
        assert clean(NewOpportunity, {"account_id": 1, "name": "5G 专网", "amount": 1250000, "seats": {"AR": 4,
                                                                                                 "SR": None}}) \
            == {"account_id": 1, "name": "5G 专网", "amount": 1250000, "seats": {"AR": 4, "SR": None}}
        assert clean(NewMilestone, {"kind": "payment", "planned_on": "2026-12-01", "planned_amount": "300000.00"}
                     )["planned_amount"] == "300000.00"


def test_patch_takes_only_what_is_sent_and_refuses_null_where_a_value_is_needed(app):
    with app.test_request_context():
        assert clean(AccountChanges, {"region": "浙江"}, partial=True) == {"region": "浙江"}
        assert clean(AccountChanges, {"parent_id": None, "version": None}, partial=True) == {
            "parent_id": None, "version": None}
        assert clean(InteractionChanges, {"next_steps": [{"id": 4, "text": "复盘", "version": 2}]},
                     partial=True) == {"next_steps": [{"id": 4, "text": "复盘"}]}
    assert _errors(app, AccountChanges, {"industry": None}, "en", partial=True) == {"industry": "May not be null."}
    assert _errors(app, AccountChanges, {"name": None}, "en", partial=True) == {"name": "Required."}
    # a nested object keeps its required fields on PATCH
    assert _errors(app, InteractionChanges, {"next_steps": [{"id": 4}]}, "en", partial=True) == {
        "next_steps": {"0": {"text": "Required."}}}
    assert _errors(app, AccountChanges, {}, "en") == {"name": "Required."}


def test_the_api_answers_422_with_the_mapped_messages(client, world):  # noqa: F811
    api = world.api(client, "seated")
    zh = {"Accept-Language": "zh-CN"}
    error = assert_error(api.post(f"/accounts/{world.account.id}/interactions", headers=zh, json={
        "occurred_on": "2026-13-01", "kind": "visit", "next_steps": [{"owner_id": True}], "mood": "good"}),
        422, "occurred_on", "next_steps", "mood")
    assert error["code"] == "validation_failed"
    assert error["fields"] == {"occurred_on": "必须是 YYYY-MM-DD 格式的日期。", "mood": "未知字段。",
                               "next_steps": {"0": {"text": "必填。", "owner_id": "必须是整数。"}}}
    error = assert_error(api.patch(f"/accounts/{world.account.id}", json={"tier": None, "parent_id": "5"}),
                         422, "tier", "parent_id")
    assert error["fields"] == {"tier": "May not be null.", "parent_id": "Must be a whole number."}


def test_the_api_ignores_echoed_read_only_names_and_patch_leaves_the_rest(client, world):  # noqa: F811
    api = world.api(client, "seated")
    shown = api.get(f"/accounts/{world.account.id}").get_json()
    echoed = {"id": shown["id"], "updated_at": shown["updated_at"], "region": "杭州",
              "version": shown["version"]}
    assert api.patch(f"/accounts/{world.account.id}", json=echoed).status_code == 200
    # another value of a read-only name is refused (tests/test_api_read_only_fields.py)
    assert api.patch(f"/accounts/{world.account.id}", json={"id": 999, "region": "x"}).status_code == 422
    again = api.get(f"/accounts/{world.account.id}").get_json()
    assert (again["id"], again["region"], again["name"], again["aliases"]) == (
        world.account.id, "杭州", "中国移动浙江公司", shown["aliases"])
    created = api.post(f"/accounts/{world.account.id}/stakeholders",
                       json={"id": 5, "account_id": 77, "name": " 张总 ", "relationship_level": 3})
    assert created.status_code == 201, created.get_json()
    assert (created.get_json()["name"], created.get_json()["account_id"]) == ("张总", world.account.id)


def test_a_view_cleaning_with_another_model_than_it_declares_fails_loudly(app):
    from views.api.bodies import load_body

    with app.test_request_context("/api/v1/accounts", method="POST", json={"name": "x"}):
        from flask import request

        assert request.endpoint == "api.create_account"
        with pytest.raises(RuntimeError):
            load_body(AccountChanges)
        assert load_body(NewAccount) == {"name": "x"}


def test_the_document_shows_the_models_limits_and_patch_requires_nothing(client, world):  # noqa: F811
    doc = world.api(client, "viewer").get("/openapi.json", headers={"Accept-Language": "en"}).get_json()
    post = doc["paths"]["/accounts"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    patch = doc["paths"]["/accounts/{account_id}"]["patch"]["requestBody"]["content"]["application/json"]["schema"]
    assert post["required"] == ["name"] and "required" not in patch
    assert post["additionalProperties"] is False and patch["additionalProperties"] is False
    assert post["properties"]["name"] == {"type": "string", "maxLength": 200, "minLength": 1, "pattern": r"\S"}
    assert post["properties"]["tier"]["enum"] == ["strategic", "key", "growth", "standard"]
    assert "`strategic`:" in post["properties"]["tier"]["description"]
    assert "x-enum" not in str(doc) and "$defs" not in str(doc)
    assert post["properties"]["id"] ["readOnly"] is True and "id" not in post["required"]  # echoed, ignored
    steps = doc["paths"]["/interactions/{interaction_id}"]["patch"]["requestBody"]["content"][
        "application/json"]["schema"]["properties"]["next_steps"]
    target = steps["items"]["$ref"].rsplit("/", 1)[1]
    assert target == "StepChangeInput" and doc["components"]["schemas"][target]["required"] == ["text"]
    assert doc["components"]["schemas"]["TargetInput"]["properties"]["metric"]["enum"]
