"""Search-side defects a fresh tester found (issue 7, session 9; tester's report 1, 2, 5, 7, 8), each
reproduced with accounts made like the tester's:

1. a quoted phrase keeps its order on every field, pinyin included (`"dong hua"` does not find 华东);
2. `C++`, `C#`, `F#`, `.NET` are distinct whole words, also typed against Chinese (`C++长沙`), and give
   no one-letter pinyin word;
3. joined parts with digits or accented letters (`1.5-Galaxy`, `Électricité-France`, `YT-S/4HANA`) find
   the account whose names have the parts, in any order outside quotes; pinyin forms only of ASCII letters;
4. a one-letter Latin prefix typed after Chinese (`华东移动E*`) searches the Chinese part and says why
   the letter was ignored;
5. `AND`, `OR` or `NOT` alone: the message and the results agree.
"""
from __future__ import annotations

import pytest
from whoosh import query as wq

from kb.search.query import parse_user_query
from tests.api_support import world  # noqa: F401 — fixture
from tests.test_s8filt7_list_pinyin import found_by_search, named_accounts

EAST, BCS = "华东移动通信有限公司", "长沙银行"
DONGHUA = "东华软件"
SDWAN = "星河SD-WAN网络服务"
CPP, CSHARP = "智算C++工具链实验室", "锐思C#软件工作室"
FSHARP = "函数F#咨询"
GALAXY = "长沙银河证券"
EDF = "法国电力中国"
YUNTU = "云图软件"
TC = "58同城"
ZJ = "中国移动浙江公司"  # (the API world's own account)


@pytest.fixture
def named(app, world, create_account):
    rows = [
        (EAST, "East China Mobile Communications Co., Ltd.", ["ECMC"]),
        (BCS, "Bank of Changsha", ["长行"]),
        (DONGHUA, "Donghua Software", []),
        (SDWAN, "Xinghe SD-WAN Services", []),
        (CPP, "Zhisuan C++ Toolchain Lab", []),
        (CSHARP, "Ruisi C# Software Studio", ["RS-.NET", "C#/Ruisi"]),
        (FSHARP, "Functional F# and Data Consulting", []),
        (TC, "", ["58.com"]),
        (GALAXY, "The Changsha Galaxy Securities", ["Galaxy-1.5 Program"]),
        (EDF, "Électricité de France China", ["EDF"]),
        (YUNTU, "Yuntu S/4HANA Services", ["YT"]),
    ]
    return named_accounts(app, world, create_account, rows)


def _pinyin_leaves(q: wq.Query | None) -> list[str]:
    return [] if q is None else [str(t.text) for t in q.leaves() if t.fieldname == "pinyin"]


# --- 1. a quoted phrase keeps its order, pinyin included ------------------------------------------------------

@pytest.mark.parametrize("q, expected", [
    ('"dong hua"', {DONGHUA}), ('"hua dong"', {EAST}),  # 东华 / 华东: each only its own order
    ('"yinhang changsha"', set()), ('"changsha yinhang"', {BCS}), ('"chang sha"', {BCS, GALAXY}),
    ('"WAN SD"', set()), ('"SD WAN"', {SDWAN}), ('"SD-WAN Xinghe"', set()), ('"Xinghe SD-WAN"', {SDWAN}),
    ('"Changsha Bank"', set()), ('"Bank of Changsha"', {BCS}),
    ("dong hua", {EAST, DONGHUA}), ("yinhang changsha", {BCS}), ("WAN SD", {SDWAN}),  # unquoted: any order
])
def test_a_quoted_phrase_keeps_its_order(app, world, named, q, expected):
    assert found_by_search(app, q, world.viewer, named) == expected


def test_the_pinyin_of_a_quoted_phrase_is_one_ordered_word():
    assert _pinyin_leaves(parse_user_query('"yinhang changsha"').query) == ["yinhangchangsha"]
    assert _pinyin_leaves(parse_user_query('"iPhone15 Xinyuan"').query) == []  # (not pinyin: left out)


def test_the_search_api_keeps_a_phrases_order(client, world, named):
    api = world.api(client, "viewer")
    assert api.get("/search", query_string={"q": '"yinhang changsha"', "type": "account"}).get_json()["results"] == []
    found = api.get("/search", query_string={"q": '"changsha yinhang"', "type": "account"}).get_json()["results"]
    assert [item["title"] for item in found] == [BCS]


# --- 2. C++, C#, F#, .NET: distinct whole words ----------------------------------------------------------------

@pytest.mark.parametrize("q, expected", [
    ("C++", {CPP}), ("c++", {CPP}), ("C#", {CSHARP}), ("F#", {FSHARP}), (".NET", {CSHARP}),
    ("C++长沙", set()), ("C++锐思", set()), ("C#工具链", set()),  # both parts must match
    ("C++工具链", {CPP}), ("智算C++", {CPP}), ("C#软件", {CSHARP}), ("锐思C#", {CSHARP}), ("锐思.NET", {CSHARP}),
    ("函数F#", {FSHARP}), ("函数C#", set()),
    ('"C++ Zhisuan"', set()), ('"Zhisuan C++"', {CPP}),  # (no pinyin `zhisuan` alone: the order holds)
])
def test_cpp_and_csharp_are_distinct_words(app, world, named, q, expected):
    assert found_by_search(app, q, world.viewer, named) == expected


@pytest.mark.parametrize("q, kept", [("C++长沙", "C++ 长沙"), ("C#工具链", "C# 工具链"), ("长沙C++", "长沙 C++"),
                                     ("锐思.NET", "锐思 .NET"), ("函数F#", "函数 F#")])
def test_the_script_split_keeps_the_marks(q, kept):
    assert parse_user_query(q).text == kept


@pytest.mark.parametrize("q", ["C++", "C#", "F#", ".NET", "C++长沙", '"C++ Zhisuan"', "RS-.NET"])
def test_no_one_letter_or_partial_pinyin_word(q):
    assert _pinyin_leaves(parse_user_query(q).query) == []


def test_the_search_api_finds_csharp_alone(client, world, named):
    found = world.api(client, "viewer").get("/search", query_string={"q": "C#", "type": "account"}).get_json()
    assert [item["title"] for item in found["results"]] == [CSHARP]


# --- 3. joined parts with digits or accented letters ------------------------------------------------------------

@pytest.mark.parametrize("q, expected", [
    ("Galaxy-1.5", {GALAXY}), ("1.5-Galaxy", {GALAXY}), ("Galaxy/1.5", {GALAXY}), ("Galaxy_1.5", {GALAXY}),
    ("Program-1.5", {GALAXY}), ("Galaxy-2.5", set()), ("2.5-Galaxy", set()),
    ("Électricité-France", {EDF}), ("France-Électricité", {EDF}), ("Électricité-de", {EDF}),
    ("Électricité/de", {EDF}), ("ÉLECTRICITÉ_FRANCE", {EDF}), ("Électricité-Galaxy", set()),
    ("YT-S/4HANA", {YUNTU}), ("S/4HANA-YT", {YUNTU}), ("S/4HANA", {YUNTU}), ("YT-S/4HANA-Galaxy", set()),
    ('"France-Électricité"', set()), ('"Électricité-de"', {EDF}), ('"S/4HANA-Yuntu"', set()),
])
def test_joined_parts_with_digits_or_accents_in_any_order(app, world, named, q, expected):
    assert found_by_search(app, q, world.viewer, named) == expected


@pytest.mark.parametrize("q", ["Électricité-France", "France-Électricité", "Électricité", "1.5-Galaxy",
                               "Galaxy/1.5", "YT-S/4HANA"])
def test_pinyin_forms_only_of_ascii_letters(q):
    leaves = _pinyin_leaves(parse_user_query(q).query)
    assert not any(len(w) < 2 or not w.isascii() or "lectricit" in w for w in leaves), leaves


def test_the_search_api_finds_accented_parts_in_any_order(client, world, named):
    found = world.api(client, "viewer").get("/search", query_string={"q": "France-Électricité",
                                                                     "type": "account"}).get_json()
    assert [item["title"] for item in found["results"]] == [EDF]


# --- 4. one Latin letter or digit before `*`, typed after Chinese ------------------------------------------------

@pytest.mark.parametrize("q, expected, part", [
    ("华东移动E*", {EAST}, "E*"), ("同城5*", {TC}, "5*"), ("华东移动Ｅ＊", {EAST}, "E*"), ("长沙银行x?", {BCS}, "x?"),
])
def test_the_chinese_part_is_searched_and_the_letter_explained(app, world, named, q, expected, part):
    assert found_by_search(app, q, world.viewer, named) == expected
    message = parse_user_query(q).message
    assert message.startswith(part) and "two letters" in message and "too broad" not in message


def test_a_two_letter_prefix_after_chinese_is_still_searched(app, world, named):
    assert found_by_search(app, "华东移动Ec*", world.viewer, named) == {EAST}
    assert parse_user_query("华东移动Ec*").message is None


def test_the_search_page_explains_the_ignored_letter_in_chinese(client, login_as, world, named):
    login_as(world.viewer)
    html = client.get("/search", query_string={"q": "华东移动E*", "type": "account"},
                      headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "“E*”未参与搜索：前缀搜索需要在 * 或 ? 前至少输入两个字母（或一个汉字）。" in html
    assert EAST in html and "flash-info" in html


def test_the_search_page_explains_the_ignored_letter_in_english(client, login_as, world, named):
    login_as(world.viewer)
    client.post("/language", data={"locale": "en"})
    html = client.get("/search", query_string={"q": "同城5*"}).get_data(as_text=True)
    assert "5* was left out of the search: a prefix needs at least two letters" in html and TC in html


def test_the_search_api_searches_the_chinese_part_with_the_notice(client, world, named):
    body = world.api(client, "viewer").get("/search", query_string={"q": "华东移动E*", "type": "account"}).get_json()
    assert [item["title"] for item in body["results"]] == [EAST] and "E*" in body["message"]


# --- 5. AND, OR or NOT alone: the message and the results agree ----------------------------------------------------

@pytest.mark.parametrize("q", ["AND", "OR", "NOT", "NOT NOT", "AND OR"])
def test_an_operator_alone_searches_nothing_as_its_message_says(app, world, named, q):
    assert found_by_search(app, q, world.viewer, named) == set()
    parsed = parse_user_query(q)
    assert parsed.query is None and "between words" in parsed.message and "lower case" in parsed.message


def test_the_word_in_lower_case_is_searched(app, world, named):
    assert found_by_search(app, "and", world.viewer, named) == {FSHARP}


@pytest.mark.parametrize("q", ["AND", "NOT"])
def test_the_search_api_and_page_agree_on_an_operator_alone(client, login_as, world, named, q):
    body = world.api(client, "viewer").get("/search", query_string={"q": q}).get_json()
    assert body["total"] == 0 and body["results"] == [] and "AND" in body["message"]
    login_as(world.viewer)
    html = client.get("/search", query_string={"q": q}, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "要搜索这个词本身，请用小写输入" in html and FSHARP not in html
