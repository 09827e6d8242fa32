"""/api/v1/openapi.json in the caller's language (issue 12): operation summaries (babel extracts them with
`-k operation`), tag names and descriptions, response descriptions and the security schemes are Chinese
for a zh_CN caller and English for an en caller; operationIds, paths and tag identity stay the same."""
from __future__ import annotations

import re

import pytest

from views.api.openapi import TAGS

HAN = re.compile(r"[\u4e00-\u9fff]")


def _document(client, login_as, create_user, language: str) -> dict:
    login_as(create_user(role="member"))
    response = client.get("/api/v1/openapi.json", headers={"Accept-Language": language})
    assert response.status_code == 200
    return response.get_json()


def _operations(document: dict) -> dict[str, dict]:
    return {op["operationId"]: op for ops in document["paths"].values() for op in ops.values()}


def _declared_summaries(app) -> dict[str, str]:
    """operationId → the English summary declared in @operation."""
    from views.api.openapi import operation_id
    from views.api.registry import operation_of

    with app.test_request_context():
        return {operation_id(rule.endpoint): operation_of(rule.endpoint).summary
                for rule in app.url_map.iter_rules() if operation_of(rule.endpoint) is not None}


def test_chinese_caller_gets_chinese_summaries_for_every_operation(app, client, login_as, create_user):
    document = _document(client, login_as, create_user, "zh-CN")
    declared = _declared_summaries(app)
    operations = _operations(document)
    assert len(operations) >= 58
    for name, op in operations.items():
        assert op["summary"] != declared[name], name
        assert HAN.search(op["summary"]), (name, op["summary"])
    assert operations["list_accounts"]["summary"] == "列出客户"
    assert operations["create_opportunity"]["summary"] == "新建机会点"
    assert operations["list_tokens"]["summary"] == "列出 API 令牌（自己的；管理员可看所有人的）"
    assert operations["list_accounts"]["responses"]["401"]["description"] == "未登录，也没有有效的 Bearer 令牌。"
    assert operations["list_accounts"]["tags"] == ["客户"]
    tags = {tag["name"]: tag["description"] for tag in document["tags"]}
    assert tags["机会点"] == "机会点及其项目铁三角席位。"
    assert all(HAN.search(name) or name.startswith("API") for name in tags), tags
    used = {tag for op in operations.values() for tag in op["tags"]}
    assert used <= set(tags), used - set(tags)
    assert HAN.search(document["components"]["securitySchemes"]["bearer"]["description"])


def test_english_caller_gets_the_declared_summaries(app, client, login_as, create_user):
    document = _document(client, login_as, create_user, "en")
    declared = _declared_summaries(app)
    operations = _operations(document)
    assert {name: op["summary"] for name, op in operations.items()} == declared
    assert operations["list_accounts"]["tags"] == ["Accounts"]
    assert [tag["name"] for tag in document["tags"]] == [str(name) for name, _d in TAGS.values()]
    assert not HAN.search(str([(op["summary"], op["tags"], op["responses"]) for op in operations.values()]))


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_the_translated_document_still_validates(client, login_as, create_user, language):
    from openapi_spec_validator import validate

    validate(_document(client, login_as, create_user, language))
