"""Issue 12, tester's defects 5, 6 and 15: every prose string of /api/v1/openapi.json is in the caller's
language (query parameter descriptions, the read-only-fields note, operation and schema descriptions),
every enumeration says what its values mean, and /api/docs carries the caller's language."""
from __future__ import annotations

import re
from typing import Any, Iterator

import pytest

HAN = re.compile(r"[\u4e00-\u9fff]")
#: Prose that is the same in every language: the product's name.
SAME_IN_EVERY_LANGUAGE = {"Account KB API"}
DATA_KEYS = {"example", "examples", "default", "enum", "const"}


def _document(client: Any, login_as: Any, create_user: Any, language: str) -> dict[str, Any]:
    login_as(create_user(role="member"))
    response = client.get("/api/v1/openapi.json", headers={"Accept-Language": language})
    assert response.status_code == 200
    return response.get_json()


def _prose(node: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """(where, text) of every description, summary and title (not inside examples or enumerations)."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _prose(item, f"{where}/{index}")
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in DATA_KEYS:
                continue
            if key in ("description", "summary", "title") and isinstance(value, str):
                if value:
                    yield f"{where}/{key}", value
            else:
                yield from _prose(value, f"{where}/{key}")


def _parameter(document: dict[str, Any], path: str, name: str) -> dict[str, Any]:
    return next(p for p in document["paths"][path]["get"]["parameters"] if p["name"] == name)


def test_a_chinese_caller_gets_no_english_prose(client, login_as, create_user):
    document = _document(client, login_as, create_user, "zh-CN")
    prose = list(_prose(document))
    assert len(prose) > 300
    english = [(where, text) for where, text in prose
               if not HAN.search(text) and text not in SAME_IN_EVERY_LANGUAGE]
    assert english == []
    assert _parameter(document, "/accounts", "page")["description"] == "页码，从 1 开始。"
    assert _parameter(document, "/accounts", "per_page")["description"] == "每页条数，1–100（默认 25）。"
    assert _parameter(document, "/watches", "period")["description"] == "FY2027、2027H1 或 2027Q3；不填：今年。"
    schemas = document["components"]["schemas"]
    assert schemas["Error"]["description"].startswith('`{"error": {"code", "message", "fields"}}`；409')
    assert schemas["Token"]["description"] == "列表中的 API 令牌：从不含密钥及其哈希。"
    create = document["paths"]["/opportunities"]["post"]
    assert create["description"].startswith("项目铁三角在创建当天按 `seats` 组建")


def test_echoed_read_only_names_are_described_in_chinese(client, login_as, create_user):
    document = _document(client, login_as, create_user, "zh-CN")
    body = document["paths"]["/accounts/{account_id}"]["patch"]["requestBody"]["content"]["application/json"]
    properties = body["schema"]["properties"]
    for name in ("id", "created_at", "updated_at", "created_by_id", "updated_by_id"):
        assert properties[name] == {"readOnly": True, "description": NOTE_ZH}


def test_an_english_caller_gets_english_prose(client, login_as, create_user):
    document = _document(client, login_as, create_user, "en")
    chinese = [(where, text) for where, text in _prose(document) if HAN.search(text)]
    assert chinese == []
    assert _parameter(document, "/accounts", "page")["description"] == "Page number, from 1."
    notes = [text for _where, text in _prose(document) if text.startswith("Read-only: on a change")]
    assert len(notes) >= 20 and set(notes) == {NOTE_EN}


NOTE_ZH = "只读：修改记录时，回传 GET 返回的值会被接受并忽略；其他值会被拒绝（422“此字段不可修改。”）。"
NOTE_EN = ('Read-only: on a change, the value GET gives is accepted and ignored; another value is refused '
           '(422 "This field cannot be changed.").')


@pytest.mark.parametrize("language, enum, meanings", [
    ("zh-CN", "HandoverKind", ["`seat`: 客户群铁三角席位", "`stakeholder_owner`: 关键人负责人（主责或备份）",
                               "`project_seat`: 未关闭机会点的项目铁三角席位"]),
    ("en", "HandoverKind", ["`seat`: Customer-group triangle seat", "`next_step`: Open next step"]),
    ("zh-CN", "SeatState", ["`scheduled`: 已排定：在该日之后开始", "`in_force`: 在任", "`ended`: 已结束"]),
    ("en", "SeatState", ["`scheduled`: Scheduled: starts after that day", "`in_force`: In force"]),
    ("zh-CN", "TokenScope", ["`read`: 只读（仅 GET 请求）", "`write`: 读写（其用户能做的都可以做）"]),
    ("en", "TokenScope", ["`read`: Read only (GET requests)", "`write`: Read and write"]),
])
def test_every_enumeration_says_what_its_values_mean(client, login_as, create_user, language, enum, meanings):
    document = _document(client, login_as, create_user, language)
    descriptions = [text for _where, text in _prose(document) if text.startswith("`")]
    described = [text for text in descriptions if all(meaning in text for meaning in meanings)]
    assert described, (enum, [d for d in descriptions if meanings[0].split(":")[0] in d])


def test_no_enumeration_repeats_its_values_as_their_meaning(client, login_as, create_user):
    document = _document(client, login_as, create_user, "en")
    lazy = [text for _where, text in _prose(document)
            if re.search(r"`(\w+)`: \1(;|$)", text)]
    assert lazy == []


@pytest.mark.parametrize("language, lang", [("zh-CN", "zh-CN"), ("zh", "zh-CN"), ("en", "en")])
def test_the_docs_page_is_in_the_callers_language(client, auth, create_user, language, lang):
    auth.login(create_user(role="viewer"))
    page = client.get("/api/docs", headers={"Accept-Language": language})
    html = page.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert '<link rel="stylesheet" href="/static/css/api-docs.css">' in html
    css = client.get("/static/css/api-docs.css")
    assert css.status_code == 200 and b".api-docs-back a" in css.data
    css.close()
