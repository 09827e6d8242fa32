"""The account list filter agrees with search on quotes, `*` and joined forms (issue 7, session 9: a fresh
tester's defects 3, 4 and 6), with accounts like the tester's."""
from __future__ import annotations

import pytest

from kb.account_phrases import phrase_words, split_quoted

from tests.api_support import world  # noqa: F401 — fixture
from tests.test_s8filt7_list_pinyin import found_by_search, listed_on_page, named_accounts

EAST, SUZHOU, LOGI = "华东移动通信有限公司", "华东移动苏州分公司", "华东物流"
BCS, ZJ = "长沙银行", "中国移动浙江公司"  # (ZJ: the API world's account, "China Mobile Zhejiang")
XH, YT, ZS, RS = "星河网络", "云图科技", "智算C++工具链实验室", "锐思C#软件工作室"
ECOM, GALAXY = "华东移动电子商务公司", "长沙银河证券"


@pytest.fixture
def named(app, world, create_account):
    rows = [
        (EAST, "East China Mobile Communications Co., Ltd.", ["ECMC", "中国移动华东公司"]),
        (SUZHOU, "ECMC Suzhou Branch", []),
        (LOGI, "East China Logistics", []),
        (BCS, "Bank of Changsha", ["长行"]),
        (XH, "Xinghe SD-WAN Services", []),
        (YT, "Yuntu Technology", ["YT-S/4HANA"]),
        (ZS, "Zhisuan C++ Toolchain Lab", []),
        (RS, "Ruisi C# Software Studio", ["RS-.NET", "C#/Ruisi"]),
        (ECOM, "", ["ECMC-E-Commerce"]),
        (GALAXY, "The Changsha Galaxy Securities", ["Galaxy-1.5"]),
    ]
    return named_accounts(app, world, create_account, rows)


def _api_names(client, world, q: str) -> set[str]:
    response = world.api(client, "viewer").get("/accounts", query_string={"q": q, "per_page": 100})
    assert response.status_code == 200, response.get_json()
    return {a["name"] for a in response.get_json()["items"]}


def _page_names(client, login_as, world, named, q: str) -> set[str]:
    login_as(world.viewer)
    response = client.get("/accounts", query_string={"q": q})
    assert response.status_code == 200
    return listed_on_page(response.get_data(as_text=True), named)


# --- 1. (defect 3) a quoted phrase: its words next to each other, in order ----------------------------------

PHRASES = [
    ('"China East"', set()), ('"East China"', {EAST, LOGI}), ("“East China”", {EAST, LOGI}),
    ('"Suzhou-ECMC"', set()), ('"ECMC-Suzhou"', {SUZHOU}), ('"ECMC Suzhou"', {SUZHOU}),
    ('"Bank Changsha"', set()), ('"Bank of Changsha"', {BCS}), ('"银行 长沙"', set()), ('"长沙 银行"', {BCS}),
    ('「长沙银行」', {BCS}), ('"Services Xinghe"', set()), ('"Xinghe SD-WAN"', {XH}), ('"SD-WAN Services"', {XH}),
    ('"Lab C++"', set()), ('"Zhisuan C++"', {ZS}), ('"C++ Toolchain"', {ZS}), ('"co ltd"', {EAST}),
    ('"chang sha"', {BCS, GALAXY}), ('"changsha yinhang"', {BCS}), ('"ECMC"', {EAST, SUZHOU, ECOM}),
    ('"east china" mobile', {EAST}), ('"east china" Logistics', {LOGI}), ('"China Logistics" East', {LOGI}),
    # an unclosed quote: the words are searched separately (search's message says so)
    ('"China East', {EAST, LOGI}), ('Mobile "China East', {EAST}),
]


@pytest.mark.parametrize("q, expected", PHRASES)
def test_api_lists_a_quoted_phrase_as_search_finds_it(client, world, named, q, expected):
    assert _api_names(client, world, q) == expected


@pytest.mark.parametrize("q, expected", PHRASES)
def test_search_finds_the_same_for_a_quoted_phrase(app, world, named, q, expected):
    assert found_by_search(app, q, world.viewer, named) == expected


@pytest.mark.parametrize("q, expected", [('"China East"', set()), ('"East China"', {EAST, LOGI}),
                                         ('"银行 长沙"', set()), ('"Lab C++"', set())])
def test_page_lists_a_quoted_phrase_in_order(client, login_as, world, named, q, expected):
    assert _page_names(client, login_as, world, named, q) == expected


def test_the_export_follows_the_phrase(client, login_as, world, named):
    login_as(world.viewer)
    body = client.get("/accounts/export.csv", query_string={"q": '"Bank Changsha"'}).get_data(as_text=True)
    assert BCS not in body
    body = client.get("/accounts/export.csv", query_string={"q": '"Bank of Changsha"'}).get_data(as_text=True)
    assert BCS in body and EAST not in body


def test_a_phrase_stays_inside_one_name(client, world, create_account, named):
    # "ECMC" ends the alias line and "Suzhou" would start the next name: no phrase across two names
    create_account(group=world.group, name="苏州测试", name_en="Suzhou Test", aliases=["Test ECMC"])
    assert _api_names(client, world, '"ECMC Suzhou"') == {SUZHOU}


def test_split_quoted_reads_quotes_as_search_does():
    assert split_quoted('East "China Mobile" x') == (["China Mobile"], "East   x")
    assert split_quoted('"East China') == ([], " East China")
    assert split_quoted("“华东 移动”") == (["华东 移动"], " ")
    assert phrase_words("S/4HANA Yuntu") == ["s", "4hana", "yuntu"]
    assert phrase_words("Lab C++ .NET") == ["lab", "c++", ".net"]
