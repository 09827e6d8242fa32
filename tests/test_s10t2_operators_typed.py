"""Operators as people type them, from a second fresh tester (issue 7, session 10): a minus before a
parenthesis or typed as − (U+2212), an operator glued to a parenthesis (an input method's （）), `not` inside
an English name, and the minus notice naming a whole phrase. Search and the account
list (page and API) answer alike (one rule: kb.search.queryops)."""
from __future__ import annotations

import pytest

from kb.search.query import parse_user_query
from tests.api_support import world  # noqa: F401 — fixture
from tests.test_s8filt7_list_pinyin import found_by_search, listed_on_page, named_accounts

EAST, SUZHOU, SOUTH = "华东移动通信有限公司", "华东移动苏州分公司", "南方联合电信"
FLORIST = "勿忘我花店"


@pytest.fixture
def named(app, world, create_account):
    rows = [
        (EAST, "East China Mobile Communications Co., Ltd.", ["ECMC"]),
        (SUZHOU, "ECMC Suzhou Branch", []),
        (SOUTH, "South United Telecom", ["SUT"]),
        (FLORIST, "Forget Me Not Florist", []),
    ]
    return named_accounts(app, world, create_account, rows)


CASES = [
    ("ECMC -(苏州)", {EAST}), ("ECMC −苏州", {EAST}), ("ECMC NOT (苏州)", {EAST}),
    ("ECMC NOT(苏州)", {EAST}), ("ECMC NOT（苏州）", {EAST}), ("ECMC）NOT 苏州", {EAST}),
    ("(ECMC OR SUT)NOT 苏州", {EAST, SOUTH}), ("（ECMC OR SUT）NOT 苏州", {EAST, SOUTH}),
    ("ECMC OR(SUT)", {EAST, SUZHOU, SOUTH}),
    ("forget me not florist", {FLORIST}), ("Forget Me Not Florist", {FLORIST}), ("forget me not", {FLORIST}),
    ("华东 not 苏州", {EAST}),  # before Chinese, a lower-case not is still NOT
]


@pytest.mark.parametrize("q, expected", CASES)
def test_search_finds(app, world, named, q, expected):
    assert found_by_search(app, q, world.viewer, named) == expected


@pytest.mark.parametrize("q, expected", CASES)
def test_the_list_lists_the_same(client, login_as, world, named, q, expected):
    login_as(world.viewer)
    response = client.get("/accounts", query_string={"q": q})
    assert response.status_code == 200
    assert listed_on_page(response.get_data(as_text=True), named) == expected
    body = world.api(client, "viewer").get("/accounts", query_string={"q": q}).get_json()
    assert {a["name"] for a in body["items"]} == expected


def test_the_minus_notice_names_the_whole_phrase(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        parsed = parse_user_query('ECMC -"ECMC Suzhou"')
    assert 'NOT "ECMC Suzhou"' in parsed.message


@pytest.mark.parametrize("q, expected, prefix", [
    ("title:ECMC", {EAST, SUZHOU}, "title:"), ("ECMC industry:苏州", {SUZHOU}, "industry:"),
    ("(text:SUT OR ECMC)", {EAST, SUZHOU, SOUTH}, "text:"),
])
def test_the_list_says_it_left_out_a_field_prefix(client, login_as, world, named, q, expected, prefix):
    """The list matches names only: search's field prefixes are left out with a notice (was: nothing listed,
    no message), the value matched as a name word."""
    body = world.api(client, "viewer").get("/accounts", query_string={"q": q},
                                           headers={"Accept-Language": "en"}).get_json()
    assert {a["name"] for a in body["items"]} == expected
    assert f"The account list matches names only: {prefix} was left out" in body["message"]
    login_as(world.viewer)
    html = client.get("/accounts", query_string={"q": q}, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert f"客户列表只匹配名称：{prefix} 未参与筛选" in html and listed_on_page(html, named) == expected
