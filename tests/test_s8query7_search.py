"""What people type (issue 7 of session 8): Latin words joined by a hyphen or slash, a letter and a number
typed apart, numbers with thousands separators marked whole, odd queries explained, traditional characters
with several simplified meanings. Ranking of spaced pinyin and the order of equal scores:
tests/test_s8query7_ranking.py."""
from __future__ import annotations

import pytest

from kb.search.query import ime_to_ascii, parse_user_query
from kb.search.snippets import marked_text
from models import UserRole
from tests.search_support import find, keys


@pytest.fixture
def admin(create_user):
    return create_user(role=UserRole.ADMIN, name="管理员")


@pytest.fixture
def notes(create_account, create_interaction):
    account = create_account(name="锦程物流")
    texts = {
        "spaced": "扩容 East China 区域的 SD WAN 节点，ECMC Suzhou 负责试点。",
        "hyphen": "East-China 的 SD-WAN 试点。",
        "together": "EastChina 项目周报。",
        "east_only": "East region 与 China 总部开会（不相邻）。",
        "700m": "广电 700M 频段共建。",
        "700_m": "频段是 700 M，带宽 20 MHz。",
        "700_only": "用户 700 户。",
        "v521": "升级到 V5.2.1 版本。",
        "v_521": "版本 V 5.2.1 已发布。",
        "product": "S/4HANA 迁移、C++ 服务、预算 1,000 万、增长 1.5 倍、门户 example.com、电话 138-0013-8000。",
    }
    return {name: f"interaction:{create_interaction(account, title='周报', summary=text).id}"
            for name, text in texts.items()}


# -- 1. Latin words joined by a hyphen or a slash ---------------------------------------------------------
#: Outside quotes a joined word's parts also match as words in any order, as the account list's rule has
#: it (session 9): `East-China` also finds "East region 与 China"; quoted, the parts keep their order.
_ANYWHERE = {"spaced", "hyphen", "together", "east_only"}


@pytest.mark.parametrize("typed, expected", [
    ("East-China", _ANYWHERE),
    ("East/China", _ANYWHERE),
    ("East–China", _ANYWHERE),   # an en dash, as word processors type it
    ("East—China", _ANYWHERE),
    ("East_China", _ANYWHERE),
    ("East／China", _ANYWHERE),  # a full-width slash
    ("east-china", _ANYWHERE),
    ('"East-China"', {"spaced", "hyphen", "together"}),  # quoted: in their order
    ('"China-East"', set()),
    ("East China", {"spaced", "hyphen", "east_only"}),  # two words: anywhere (the compound holds both)
    ('"East China"', {"spaced", "hyphen", "together"}),  # a phrase too (tests/test_s8fix7_phrases.py)
    ("ECMC/Suzhou", {"spaced"}),
    ("ECMC-Suzhou", {"spaced"}),
    ("SD-WAN", {"spaced", "hyphen"}),
    ("SD WAN", {"spaced", "hyphen"}),
])
def test_words_joined_by_a_hyphen_or_slash_find_them_apart_or_together(app, admin, notes, typed, expected):
    assert keys(find(app, typed, admin)) == {notes[n] for n in expected}


@pytest.mark.parametrize("typed", ["S/4HANA", "C++", "1,000", "1.5", "example.com", "SD-WAN"])
def test_product_names_and_numbers_still_find_their_whole_token(app, admin, notes, typed):
    found = find(app, typed, admin)
    assert notes["product" if typed != "SD-WAN" else "hyphen"] in keys(found)
    assert notes["700_only"] not in keys(found)


# -- 2. A letter and a number typed apart ------------------------------------------------------------------
@pytest.mark.parametrize("typed, expected", [
    ("700 M", {"700m", "700_m"}),
    ("700M", {"700m", "700_m"}),
    ("700m", {"700m", "700_m"}),
    ("V 5.2.1", {"v521", "v_521"}),
    ("V5.2.1", {"v521", "v_521"}),
])
def test_a_letter_and_a_number_apart_or_together_find_each_other(app, admin, notes, typed, expected):
    assert keys(find(app, typed, admin)) == {notes[n] for n in expected}  # never every text with 700


@pytest.mark.parametrize("typed, expected", [
    ("700 M", "700M"), ("V 5.2.1", "V5.2.1"), ("5 G 专网", "5G 专网"),
    ("700 MB", "700 MB"), ("title:700 M", "title:700 M"), ('"700 M"', '"700 M"'),
])
def test_only_a_lone_letter_next_to_a_number_is_joined(typed, expected):
    assert ime_to_ascii(typed) == expected


# -- 3. Marks over whole tokens ----------------------------------------------------------------------------
@pytest.mark.parametrize("typed, mark", [
    ("1000", "«1,000»"), ("1,000", "«1,000»"), ("S/4HANA", "«S/4HANA»"), ("4hana", "«S/4HANA»"),
    ("13800138000", "«138-0013-8000»"), ("138-0013-8000", "«138-0013-8000»"),
])
def test_a_match_inside_one_token_marks_the_whole_token(app, admin, notes, typed, mark):
    found = find(app, typed, admin)
    hit = next(h for h in found.hits if h.key == notes["product"])
    text = marked_text(hit.snippet)
    assert mark in text and "«1»" not in text and "«000»" not in text


def test_a_version_is_marked_whole(app, admin, notes):
    hit = next(h for h in find(app, "5.2.1", admin).hits if h.key == notes["v521"])
    assert "«V5.2.1»" in marked_text(hit.snippet)


# -- 4. Odd queries get a message --------------------------------------------------------------------------
def test_two_types_are_alternatives(create_account, create_interaction):
    parsed = parse_user_query("type:account type:plan")
    assert parsed.query is not None and "type:account, type:plan" in parsed.message


def test_two_industries_are_alternatives_too(app, admin, create_account):
    bank = create_account(name="锦程银行", industry="银行")
    telecom = create_account(name="锦程电信", industry="电信")
    create_account(name="锦程制造", industry="制造")
    found = find(app, "锦程 industry:银行 industry:电信", admin)
    assert keys(found) == {f"account:{bank.id}", f"account:{telecom.id}"}
    assert "industry:银行, industry:电信" in found.message


@pytest.mark.parametrize("locale, message", [
    ("en", "A record has only one type:, so type:account, type:interaction are alternatives"),
    ("zh_CN", "每条记录只有一个 type:，所以 type:account, type:interaction 是“或”的关系"),
])
def test_two_types_find_either_on_the_page_and_in_the_api(app, client, login_as, admin, create_account,
                                                          create_interaction, locale, message):
    account = create_account(name="锦程物流")
    visit = create_interaction(account, title="锦程物流周会", summary="锦程物流的需求。")
    login_as(admin)
    client.post("/language", data={"locale": locale})
    q = {"q": "锦程物流 type:account type:interaction"}
    body = client.get("/api/v1/search", query_string=q).get_json()
    assert {(r["type"], r["id"]) for r in body["results"]} == {("account", account.id), ("interaction", visit.id)}
    assert message in body["message"]
    page = client.get("/search", query_string=q)
    assert page.status_code == 200 and message in page.get_data(as_text=True).replace("&#34;", '"')


def test_alternative_types_never_show_a_viewer_team_only_notes(app, create_user, create_account,
                                                               create_stakeholder):
    viewer = create_user(role=UserRole.VIEWER)
    account = create_account(name="锦程物流")
    person = create_stakeholder(account, name="林锦程", private_notes="锦程 私下说预算紧张")
    found = find(app, "锦程 type:stakeholder type:stakeholder_note", viewer)
    assert f"stakeholder:{person.id}" in keys(found)
    assert f"stakeholder_note:{person.id}" not in keys(found)
    assert found.total == 1


@pytest.mark.parametrize("locale, expected", [
    ("en", ["foo: is not a field", "The fields are title:, text:, type:, industry:, region:."]),
    ("zh_CN", ["foo: 不是可用的字段", "可用的字段有：title:, text:, type:, industry:, region:。"]),
])
def test_an_unknown_field_is_named_and_its_words_searched_as_text(app, client, login_as, admin, create_account,
                                                                  create_interaction, locale, expected):
    account = create_account(name="锦程物流")
    visit = create_interaction(account, title="周会", summary="讨论了 foo bar 接口。")
    login_as(admin)
    client.post("/language", data={"locale": locale})
    body = client.get("/api/v1/search", query_string={"q": "foo:bar"}).get_json()
    assert [r["id"] for r in body["results"]] == [visit.id]
    assert all(part in body["message"] for part in expected)
    html = client.get("/search", query_string={"q": "foo:bar"}).get_data(as_text=True)
    assert all(part in html for part in expected)


@pytest.mark.parametrize("typed", ["http://example.com", "10:30 例会", "title:战略", "kind:plan", "text:战略"])
def test_known_fields_and_things_that_are_not_fields_get_no_field_message(typed):
    message = parse_user_query(typed).message or ""
    assert "is not a field" not in message


def test_a_prefix_with_nothing_after_it_is_left_out(app, admin, create_account, create_interaction):
    account = create_account(name="锦程物流")
    visit = create_interaction(account, title="战略会", summary="三年战略。")
    alone = find(app, "title:", admin)
    assert alone.total == 0 and "field prefix" in alone.message
    found = find(app, "title: 战略", admin)
    assert f"interaction:{visit.id}" in keys(found) and "field prefix" in found.message


@pytest.mark.parametrize("q", ["type:account type:plan", "foo:bar", "title:", "type: type:", "foo:", "a:b:c",
                               "type:account OR type:nothing type:plan"])
def test_odd_queries_never_fail(client, login_as, admin, q):
    login_as(admin)
    assert client.get("/search", query_string={"q": q}).status_code == 200
    response = client.get("/api/v1/search", query_string={"q": q})
    assert response.status_code == 200 and response.get_json()["message"]


# -- 6. One simplified character for several traditional ones ----------------------------------------------
def test_traditional_and_simplified_find_each_other_as_the_documented_rule_says(app, admin, create_account,
                                                                                create_interaction):
    account = create_account(name="台灣大哥大")
    noodles = create_interaction(account, title="午餐", summary="牛肉麵館簽約。")
    face = create_interaction(account, title="桌面", summary="云桌面方案。")
    noodle_key, face_key = f"interaction:{noodles.id}", f"interaction:{face.id}"
    assert {noodle_key, face_key} <= keys(find(app, "面", admin))
    # kept on purpose (kb/textnorm.py rule 3): 麵 also finds the simplified 面 of the other meaning
    assert {noodle_key, face_key} <= keys(find(app, "麵", admin))
    assert f"account:{account.id}" in keys(find(app, "台湾大哥大", admin))
