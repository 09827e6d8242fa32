"""Issue 7, session 11 (a tester's report): several prefixes too short to search (`E* M*`) get one sentence
naming them all, not one message per word (search said "M* was left out of the search: …" and then "This
search is too broad: …"). Search (page and API) and the account list (page and API) word it alike
(kb.search.shortprefix); one short prefix keeps its message (tests/test_s10r7_names_and_prefixes.py).
"""
from __future__ import annotations

import html as html_lib
import re

import pytest

from tests.api_support import world  # noqa: F401 — fixture
from tests.test_s8filt7_list_pinyin import found_by_search, listed_on_page, named_accounts

EAST, LOGI = "华东移动通信有限公司", "华东物流"

SEARCH_EN = "This search is too broad: {} each need at least two letters (or one Chinese character) before * or ?."
SEARCH_DIGITS_EN = ("This search is too broad: {} each need at least two letters or digits (or one Chinese "
                    "character) before * or ?.")
SEARCH_ZH = "搜索范围过于宽泛：“{}”都需要在 * 或 ? 前至少输入两个字母（或一个汉字）。"
LIST_EN = "This filter is too broad: {} each need at least two letters (or one Chinese character) before *."
LIST_DIGITS_EN = ("This filter is too broad: {} each need at least two letters or digits (or one Chinese "
                  "character) before *.")
LIST_ZH = "筛选范围过于宽泛：“{}”都需要在 * 前至少输入两个字母（或一个汉字）。"
LEFT_OUT_EN = ("{} were left out of the search: a prefix needs at least two letters (or one Chinese character) "
               "before * or ?.")
LEFT_OUT_ZH = "“{}”未参与搜索：前缀搜索需要在 * 或 ? 前至少输入两个字母（或一个汉字）。"
_MESSAGE = re.compile(r'<p class="flash [^"]*search-message"[^>]*>(.*?)</p>', re.S)


@pytest.fixture
def east(app, world, create_account):
    rows = [(EAST, "East China Mobile Communications Co., Ltd.", ["ECMC"]), (LOGI, "East China Logistics", [])]
    return named_accounts(app, world, create_account, rows)


def _search_page_messages(client, login_as, world, q: str, lang: str) -> list[str]:
    login_as(world.viewer)
    response = client.get("/search", query_string={"q": q}, headers={"Accept-Language": lang})
    assert response.status_code == 200
    return [html_lib.unescape(m).strip() for m in _MESSAGE.findall(response.get_data(as_text=True))]


REFUSED = [  # (typed, the words named, search's message, the list's message)
    ("E* M*", "E*, M*", SEARCH_EN, LIST_EN),  # the tester's example
    ("e* m* x*", "e*, m*, x*", SEARCH_EN, LIST_EN),
    ("Ｅ＊ Ｍ＊", "E*, M*", SEARCH_EN, LIST_EN),  # full-width, as typed with an IME
    ("E* 华东 M*", "E*, M*", SEARCH_EN, LIST_EN),  # one leading (refused), one left out: both named
    ("e* 5*", "e*, 5*", SEARCH_DIGITS_EN, LIST_DIGITS_EN),  # a digit is named as such
]


@pytest.mark.parametrize("q, named, search_message, list_message", REFUSED)
def test_search_page_gives_one_message_naming_every_short_prefix(client, login_as, world, q, named,
                                                                  search_message, list_message):
    assert _search_page_messages(client, login_as, world, q, "en") == [search_message.format(named)]


@pytest.mark.parametrize("q, named, search_message, list_message", REFUSED)
def test_search_api_and_the_list_api_say_it_alike(app, client, world, east, q, named, search_message,
                                                  list_message):
    api = world.api(client, "viewer")
    body = api.get("/search", query_string={"q": q}, headers={"Accept-Language": "en"}).get_json()
    assert body["message"] == search_message.format(named) and body["results"] == []
    response = api.get("/accounts", query_string={"q": q}, headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"q": list_message.format(named)}
    assert found_by_search(app, q, world.viewer, east) == set()


def test_in_chinese_too(client, login_as, world, east):
    assert _search_page_messages(client, login_as, world, "E* M*", "zh-CN") == [SEARCH_ZH.format("E*, M*")]
    response = client.get("/accounts", query_string={"q": "E* M*"}, headers={"Accept-Language": "zh-CN"})
    page = response.get_data(as_text=True)
    assert LIST_ZH.format("E*, M*") in page and listed_on_page(page, east) == set(east)  # the filter ignored


@pytest.mark.parametrize("lang, message", [("en", LEFT_OUT_EN), ("zh-CN", LEFT_OUT_ZH)])
def test_several_left_out_beside_a_word_are_one_sentence_and_the_word_is_searched(app, client, login_as, world,
                                                                                  east, lang, message):
    q = "华东 E* M*"
    assert _search_page_messages(client, login_as, world, q, lang) == [message.format("E*, M*")]
    body = world.api(client, "viewer").get("/accounts", query_string={"q": q, "per_page": 100},
                                           headers={"Accept-Language": lang}).get_json()
    assert body["message"] == message.format("E*, M*")
    assert {a["name"] for a in body["items"]} == {EAST, LOGI} == found_by_search(app, q, world.viewer, east)
