"""The account list filter splits a typed word as search does (a fresh tester's defect, issue 7 §1):

- Latin/digit parts joined by `-`, `/`, `_`, `–` match when the parts match as words, in any order, or
  written together ("East-China" finds "East China" and "EastChina"), and the joined word whole still
  matches a name that has it (S/4HANA, SD-WAN);
- a word mixing Latin and Chinese is split where the script changes, each part a word that must match;
- a list export with a refused filter is refused with the filter's message, not every account.
"""
from __future__ import annotations

import pytest

from kb.account_keys import joined_parts, query_words
from models import Account
from tests.api_support import world  # noqa: F401 — fixture
from tests.test_s8filt7_list_pinyin import found_by_search, listed_on_page, named_accounts

EAST, SUZHOU = "华东移动通信有限公司", "华东移动苏州分公司"
ZJ = "中国移动浙江公司"  # the API world's account (English name "China Mobile Zhejiang")
WHALE, YX, RENHE, TC = "蓝鲸汽车集团股份有限公司", "优选连锁超市", "仁和医疗集团", "58同城"
LOGI, NET, SAP = "华东物流", "网联科技", "鑫泰人寿"


@pytest.fixture
def named(app, world, create_account):
    """The tester's accounts (names as in the demo data) and three with joined words in their names."""
    rows = [
        (EAST, "East China Mobile Communications Co., Ltd.", ["ECMC", "中国移动华东公司"]),
        (SUZHOU, "ECMC Suzhou Branch", []),
        (WHALE, "Blue Whale Automotive Group", ["蓝鲸汽车", "蓝鲸", "BWA"]),
        (YX, "Youxuan Retail Chain", ["优选超市", "优选", "YX Mart"]),
        (RENHE, "Renhe Healthcare Group", ["仁和医疗", "仁和医院集团", "Renhe"]),
        (TC, "", ["58.com"]),
        (LOGI, "EastChina Logistics", []),
        (NET, "NetLink SD-WAN Services", ["C++ Lab 1.5"]),
        (SAP, "Xintai Life", ["S/4HANA 用户"]),
    ]
    return named_accounts(app, world, create_account, rows)


CASES = [
    # parts joined by - / _ – : each part a word
    ("ECMC/Suzhou", {SUZHOU}), ("ECMC-Suzhou", {SUZHOU}), ("Suzhou-ECMC", {SUZHOU}),
    ("East-China", {EAST, LOGI}), ("East-China Mobile", {EAST}), ("Blue-Whale", {WHALE}),
    ("YX-Mart", {YX}), ("YX_Mart", {YX}), ("YX–Mart", {YX}), ("58-tongcheng", {TC}),
    ("Blue-Shark", set()),
    # Latin and Chinese without a space: split where the script changes
    ("huadong移动", {EAST, SUZHOU}), ("zgyd移动", {EAST, ZJ}), ("移动ECMC", {EAST, SUZHOU}),
    ("58tongcheng同城", {TC}), ("Renhe医疗", {RENHE}), ("仁和Renhe", {RENHE}), ("仁和ECMC", set()),
    # a leading dot
    (".com", {TC}), ("58.com", {TC}),
    # joined words a name has whole still match
    ("S/4HANA", {SAP}), ("SD-WAN", {NET}), ("C++", {NET}), ("1.5", {NET}),
]


@pytest.mark.parametrize("q, expected", CASES)
def test_page_lists_what_the_parts_match(client, login_as, world, named, q, expected):
    login_as(world.viewer)
    response = client.get("/accounts", query_string={"q": q}, headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert listed_on_page(html, named) == expected
    assert "已忽略" not in html


@pytest.mark.parametrize("q, expected", CASES)
def test_api_lists_what_the_parts_match(client, world, named, q, expected):
    body = world.api(client, "viewer").get("/accounts", query_string={"q": q, "per_page": 100}).get_json()
    assert {a["name"] for a in body["items"]} == expected
    assert body["total"] == len(expected)




@pytest.mark.parametrize("q, expected", CASES)
def test_search_finds_the_same_accounts(app, world, named, q, expected):
    assert found_by_search(app, q, world.viewer, named) == expected


def test_the_words_and_parts():
    assert query_words("huadong移动 移动ECMC") == ["huadong", "移动", "ecmc"]
    assert query_words("ECMC/Suzhou") == ["ecmc/suzhou"]
    assert joined_parts("ecmc/suzhou") == ["ecmc", "suzhou"]
    assert joined_parts("c++") == [] and joined_parts("1.5") == [] and joined_parts(".com") == []
    assert joined_parts("-".join("abcdefghi")) == []  # over 8 parts: the word whole only (bounded work)


# --- a list export with a refused filter -------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_refuses_a_refused_filter(client, login_as, world, named, fmt):
    login_as(world.viewer)
    response = client.get(f"/accounts/export.{fmt}", query_string={"q": "a" * 201},
                          headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "最多 200 个字符。" in html and EAST not in html
    assert response.mimetype == "text/html"


def test_export_with_a_good_filter_still_exports(client, login_as, world, named):
    login_as(world.viewer)
    response = client.get("/accounts/export.csv", query_string={"q": "Blue-Whale"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert WHALE in body and EAST not in body
