"""The account list reads OR, AND, NOT, lower-case operators and a minus sign as search does, and says what
it did with syntax it does not take literally (issue 7, session 10: a fresh tester's defects 1 to 3 and 6)."""
from __future__ import annotations

import pytest

from kb.account_keys import MAX_QUERY_WORDS
from kb.search.query import parse_user_query
from kb.search.queryops import spelled_operators
from tests.api_support import world  # noqa: F401 — fixture
from tests.test_s8filt7_list_pinyin import found_by_search, listed_on_page, named_accounts

EAST, SUZHOU, SOUTH = "华东移动通信有限公司", "华东移动苏州分公司", "南方电信"
HW, HZ, ZX = "华为技术", "华为中兴联合实验室", "中兴通讯"


@pytest.fixture
def named(app, world, create_account):
    rows = [
        (EAST, "East China Mobile Communications Co., Ltd.", ["ECMC"]),
        (SUZHOU, "ECMC Suzhou Branch", []),
        (SOUTH, "South Telecom", []),
        (HW, "Huawei Technologies", []),
        (HZ, "Huawei ZTE Joint Lab", []),
        (ZX, "ZTE Corporation", []),
    ]
    return named_accounts(app, world, create_account, rows)


def _api(client, world, q: str, lang: str = "en") -> dict:
    response = world.api(client, "viewer").get("/accounts", query_string={"q": q, "per_page": 100},
                                               headers={"Accept-Language": lang})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _names(body: dict) -> set[str]:
    return {a["name"] for a in body["items"]}


def _page(client, login_as, world, q: str, lang: str = "en") -> str:
    login_as(world.viewer)
    response = client.get("/accounts", query_string={"q": q}, headers={"Accept-Language": lang})
    assert response.status_code == 200
    return response.get_data(as_text=True)


# --- 1. OR, AND, NOT: what search finds, the list lists -----------------------------------------------------

BOOLEAN = [
    ("ECMC OR 南方电信", {EAST, SUZHOU, SOUTH}),
    ("ECMC NOT 苏州", {EAST}), ("NOT 苏州 ECMC", {EAST}), ("ECMC AND 苏州", {SUZHOU}),
    ("ECMC 苏州 OR 南方电信", {SUZHOU}),  # ECMC and (苏州 or 南方电信), as search's parser groups it
    ("ECMC AND 苏州 OR 南方电信", {SUZHOU, SOUTH}),  # (ECMC and 苏州) or 南方电信
    ("华为 OR 中兴 OR 南方", {HW, HZ, ZX, SOUTH}), ("华为 NOT 中兴", {HW}), ("ZTE NOT Huawei", {ZX}),
    ('"East China" OR "South Telecom"', {EAST, SOUTH}), ('ECMC NOT "Suzhou Branch"', {EAST}),
    ("ECMC OR OR 南方电信", {EAST, SUZHOU, SOUTH}), ("ECMC OR", {EAST, SUZHOU}),
]


@pytest.mark.parametrize("q, expected", BOOLEAN)
def test_api_lists_what_the_operators_say(client, world, named, q, expected):
    assert _names(_api(client, world, q)) == expected


@pytest.mark.parametrize("q, expected", BOOLEAN)
def test_the_page_lists_the_same(client, login_as, world, named, q, expected):
    assert listed_on_page(_page(client, login_as, world, q), named) == expected


@pytest.mark.parametrize("q, expected", BOOLEAN)
def test_search_finds_the_same_accounts(app, world, named, q, expected):
    assert found_by_search(app, q, world.viewer, named) == expected


def test_operators_are_not_words_in_the_word_cap(client, world, named):
    """Eight words joined by OR are taken (operators count nothing); a ninth word is refused as before."""
    words = ["ECMC", "南方电信", "华为", "中兴", "Suzhou", "South", "ZTE", "Huawei"]
    assert len(words) == MAX_QUERY_WORDS
    assert _names(_api(client, world, " OR ".join(words))) == {EAST, SUZHOU, SOUTH, HW, HZ, ZX}
    response = world.api(client, "viewer").get("/accounts", query_string={"q": " OR ".join([*words, "Lab"])},
                                               headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"q": "Type at most 8 words."}


# --- 2. lower-case operators and a minus sign, with a notice (search and list alike) ------------------------

SPELLED = [
    ("华为 or 中兴", {HW, HZ, ZX}, "or between words was read as OR"),
    ("华为 Or 中兴", {HW, HZ, ZX}, "Or between words was read as OR"),
    ("华为 and 中兴", {HZ}, "and between words was read as AND"),
    ("华为 not 中兴", {HW}, "not between words was read as NOT"),
    ("华为 -中兴", {HW}, "A minus sign before a word leaves out what has it: NOT 中兴."),
    ("ECMC -Suzhou", {EAST}, "A minus sign before a word leaves out what has it: NOT Suzhou."),
]


@pytest.mark.parametrize("q, expected, notice", SPELLED)
def test_lower_case_operators_and_minus_work_with_a_notice(app, client, login_as, world, named, q, expected,
                                                           notice):
    body = _api(client, world, q)
    assert _names(body) == expected and notice in body["message"]
    html = _page(client, login_as, world, q)
    assert listed_on_page(html, named) == expected and notice in html.replace("&#34;", '"')
    assert found_by_search(app, q, world.viewer, named) == expected
    assert notice in parse_user_query(q).message


def test_the_notice_is_translated(client, login_as, world, named):
    body = _api(client, world, "华为 or 中兴", lang="zh-CN")
    assert body["message"] == "词语之间的 or 按 OR 理解；如要查找这个词本身，请加引号：\"or\"。"
    body = _api(client, world, "华为 -中兴", lang="zh-CN")
    assert body["message"] == "词前的减号表示排除含有它的结果：NOT 中兴。"


@pytest.mark.parametrize("q", ["SD-WAN", "138-0013-8000", '"华为 or 中兴"', "or 中兴", "华为 or", "-5%", "x - y"])
def test_what_is_not_an_operator_stays_as_typed(q):
    assert spelled_operators(q) == (q, [])


def test_a_plain_list_query_has_no_message(client, world, named):
    body = _api(client, world, "ECMC")
    assert _names(body) == {EAST, SUZHOU} and body["message"] is None
    assert _api(client, world, "")["message"] is None


# --- 3. a query with no words: search's message, and nothing listed -----------------------------------------

@pytest.mark.parametrize("q", ["!!!", "😀", '"', "？？", "OR"])
def test_a_query_with_no_words_says_so(client, login_as, world, named, q):
    body = _api(client, world, q)
    assert body["items"] == [] and body["total"] == 0
    assert "Your search has no words to look for." in body["message"]
    html = _page(client, login_as, world, q, lang="zh-CN")
    assert listed_on_page(html, named) == set() and "搜索内容中没有可查找的词。" in html


# --- 4. the "too broad" message says what is true where it is shown -----------------------------------------

def test_the_lists_too_broad_message_has_no_date_advice(client, login_as, world, named):
    response = world.api(client, "viewer").get("/accounts", query_string={"q": "e*"},
                                               headers={"Accept-Language": "zh-CN"})
    message = response.get_json()["error"]["fields"]["q"]
    assert response.status_code == 422 and "日期" not in message and "?" not in message
    assert message == "筛选范围过于宽泛：请在 * 前至少输入两个字母（或一个汉字）。"
    assert message in _page(client, login_as, world, "e*", lang="zh-CN")


def test_searchs_too_broad_message_points_nowhere_wrong(client, login_as, world):
    login_as(world.viewer)
    html = client.get("/search", query_string={"q": "e*"}, headers={"Accept-Language": "zh-CN"}).get_data(
        as_text=True)
    assert "过于宽泛" in html and "左侧" not in html and "日期筛选" in html


def test_a_name_with_and_is_still_found_first(app, client, world, create_account, create_interaction):
    """`and` between words is AND (nothing is lost: every word is required anyway), and the account whose
    name is what was typed still ranks first (the exact-name bonus reads the text as typed)."""
    pg = create_account(group=world.group, name="宝洁中国", name_en="Procter and Gamble", aliases=[])
    create_interaction(world.account, summary="Procter and Gamble and Procter and Gamble: Procter, Gamble")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        from kb.search.searching import SearchParams, search

        outcome = search(SearchParams(q="Procter and Gamble", per_page=10), world.viewer)
    assert [(h.type, h.id) for h in outcome.hits][0] == ("account", pg.id)
    assert outcome.hits[0].score >= 1000  # (kb.search.query.EXACT_NAME_BONUS)
    body = _api(client, world, "Procter and Gamble")
    assert [a["name"] for a in body["items"]] == ["宝洁中国"]
