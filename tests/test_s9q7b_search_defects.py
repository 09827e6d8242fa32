"""Search defects a second fresh tester found (issue 7, session 9, tester 9t's report), each reproduced
with records like the tester's:

1. a URL pasted from the address bar, with a query string (`?x=1`, `?id=7&lang=zh`), finds the note that
   holds it: its `?` is a character there, not a wildcard (`abc?` stays a wildcard);
7. a typographic apostrophe (’ ‘) is an apostrophe, not an unclosed quotation mark;
8. a one-character prefix after a space (`华东移动 E*`) is left out with the same notice as the glued form
   and the rest is searched; the notice names a letter or a digit; `S/*` is refused like `S*`.
"""
from __future__ import annotations

import pytest

from kb.search.query import parse_user_query
from models import UserRole
from tests.api_support import world  # noqa: F401 — fixture
from tests.search_support import find, keys

K8S = "https://www.example.org/docs/k8s-guide?x=1"
BAZ = "https://www.bazqq.org/p?id=7&lang=zh"


@pytest.fixture
def viewer(create_user):
    return create_user(role=UserRole.VIEWER, name="查看者")


@pytest.fixture
def notes(create_account, create_interaction):
    account = create_account(name="锦程物流")
    made = {name: create_interaction(account, title=title, summary=text) for name, title, text in [
        ("k8s", "部署指南", f"参考 {K8S} 的部署步骤。"),
        ("baz", "语言设置", f"见 {BAZ} 页面。"),
        ("other", "其他链接", "参考 https://www.fooqq.org/docs/guide?x=2 的说明。"),
        ("abcd", "缩写", "abcd 与 abce 两个代号。"),
    ]}
    return {name: f"interaction:{i.id}" for name, i in made.items()}


# --- 1. a pasted URL with a query string --------------------------------------------------------------------

@pytest.mark.parametrize("typed, expected", [
    (K8S, {"k8s"}), (BAZ, {"baz"}), ("https://www.example.org/docs/k8s-guide", {"k8s"}),
    ("https://www.example.org/docs/k8s-guide?x=2", set()),  # (another address: not this note)
    (f"{K8S} 部署", {"k8s"}), ("https://www.bazqq.org/p?id=8&lang=zh", set()),
])
def test_a_pasted_url_with_a_query_string_finds_the_note(app, viewer, notes, typed, expected):
    assert keys(find(app, typed, viewer)) == {notes[n] for n in expected}
    assert parse_user_query(typed).message is None


@pytest.mark.parametrize("typed, expected", [
    ("www.example.org", {"k8s"}), ("example.org", {"k8s"}), ("k8s-guide", {"k8s"}), ("www.fooqq.org", {"other"}),
    ("example.com", set()), ("www.example.net", set()),
])
def test_the_host_of_a_long_url_finds_the_note(app, viewer, notes, typed, expected):
    assert keys(find(app, typed, viewer)) == {notes[n] for n in expected}


def test_a_real_question_mark_wildcard_still_works(app, viewer, notes):
    assert keys(find(app, "abc?", viewer)) == {notes["abcd"]}


def test_the_search_page_finds_the_pasted_url(client, login_as, viewer, notes):
    login_as(viewer)
    html = client.get("/search", query_string={"q": BAZ}).get_data(as_text=True)
    assert "语言设置" in html and "部署指南" not in html


# --- 7. a typographic apostrophe is an apostrophe -----------------------------------------------------------

@pytest.fixture
def oneil(create_account):
    return create_account(name="奥尼尔咨询", name_en="O'Neil Consulting", region="", industry="")


@pytest.mark.parametrize("typed", ["O’Neil", "O‘Neil", "O'Neil", "o’neil consulting"])
def test_a_typographic_apostrophe_finds_the_name_without_a_quote_notice(app, viewer, oneil, typed):
    outcome = find(app, typed, viewer, types=("account",))
    assert {hit.id for hit in outcome.hits} == {oneil.id}
    assert parse_user_query(typed).message is None


def test_typographic_quotes_around_words_are_still_a_phrase(app, viewer, oneil):
    assert {hit.id for hit in find(app, "‘O’Neil Consulting’", viewer, types=("account",)).hits} == {oneil.id}
    assert find(app, "‘Consulting O’Neil’", viewer, types=("account",)).hits == []  # (a phrase: ordered)
    assert parse_user_query("‘Consulting O’Neil").message.startswith("A quotation mark was not closed")


def test_the_search_page_shows_no_unclosed_quote_notice_for_an_apostrophe(client, login_as, viewer, oneil):
    login_as(viewer)
    html = client.get("/search", query_string={"q": "O’Neil"}, headers={"Accept-Language": "zh-CN"}).get_data(
        as_text=True)
    assert "奥尼尔咨询" in html and "引号未闭合" not in html


# --- 8. a one-character prefix after a space; letter or digit named; S/* ------------------------------------

@pytest.fixture
def east(create_account):
    return {name: create_account(name=name, name_en=name_en, region="", industry="") for name, name_en in [
        ("华东移动通信有限公司", "East China Mobile"), ("飞讯无线", "Feixun Wi-Fi6 Networks"),
        ("长沙银行", "Bank of Changsha")]}


def _names(app, q, user, accounts):
    ids = {hit.id for hit in find(app, q, user, types=("account",)).hits}
    return {name for name, a in accounts.items() if a.id in ids}


@pytest.mark.parametrize("typed, expected, part, kind", [
    ("华东移动 E*", {"华东移动通信有限公司"}, "E*", "letters"), ("华东移动E*", {"华东移动通信有限公司"}, "E*", "letters"),
    ("Wi-Fi 6*", {"飞讯无线"}, "6*", "digits"), ("长沙银行 x?", {"长沙银行"}, "x?", "letters"),
    ("华东移动 S/*", {"华东移动通信有限公司"}, "S/*", "letters"),
])
def test_a_one_character_prefix_after_a_space_is_left_out_and_the_rest_searched(app, viewer, east, typed,
                                                                                expected, part, kind):
    assert _names(app, typed, viewer, east) == expected
    message = parse_user_query(typed).message
    assert message.startswith(f"{part} was left out of the search") and "too broad" not in message
    assert ("two letters or digits" in message) is (kind == "digits")


@pytest.mark.parametrize("typed", ["S/*", "O'*", "S*", "战略 OR s*", "NOT x*"])
def test_a_one_letter_prefix_alone_or_by_an_operator_is_refused_as_too_broad(typed):
    parsed = parse_user_query(typed)
    assert parsed.query is None and "too broad" in parsed.message and "two letters (or one" in parsed.message


def test_a_digit_alone_is_named_as_a_digit():
    parsed = parse_user_query("5*")
    assert parsed.query is None and "two letters or digits" in parsed.message


@pytest.mark.parametrize("typed", ["S/4*", "华东 ab*", "O'N*"])
def test_two_letters_or_digits_are_still_a_prefix(typed):
    parsed = parse_user_query(typed)
    assert parsed.query is not None and parsed.message is None


def test_the_search_page_explains_the_left_out_digit_in_chinese(client, login_as, viewer, east):
    login_as(viewer)
    html = client.get("/search", query_string={"q": "Wi-Fi 6*", "type": "account"},
                      headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "“6*”未参与搜索：前缀搜索需要在 * 或 ? 前至少输入两个字母或数字（或一个汉字）。" in html and "飞讯无线" in html


def test_the_search_api_searches_the_rest_with_the_notice(client, world, create_account):
    create_account(group=world.group, name="飞讯无线", name_en="Feixun Wi-Fi6 Networks", region="", industry="")
    api = world.api(client, "viewer")
    body = api.get("/search", query_string={"q": "Wi-Fi 6*", "type": "account"}).get_json()
    assert [item["title"] for item in body["results"]] == ["飞讯无线"]
    assert body["message"].startswith("6* was left out") and "digits" in body["message"]


# --- 5. joined parts with C# or C++ in any order ------------------------------------------------------------

CPP, CSHARP, FSHARP = "智算C++工具链实验室", "锐思C#软件工作室", "函数F#咨询"


@pytest.fixture
def marked(create_account):
    return {name: create_account(name=name, name_en=name_en, aliases=aliases, region="", industry="")
            for name, name_en, aliases in [
                (CPP, "Zhisuan C++ Toolchain Lab", ["ZS-C++"]),
                (CSHARP, "Ruisi C# Software Studio", ["RS-.NET", "C#/Ruisi"]),
                (FSHARP, "Functional F# Consulting", ["Hanshu/F#"]),
                ("智算云", "Zhisuan Cloud", ["ZS"]), ("锐思咨询", "Ruisi Consulting", [])]}


@pytest.mark.parametrize("typed, expected", [
    ("C#/Ruisi", {CSHARP}), ("Ruisi/C#", {CSHARP}), ("Ruisi-C#", {CSHARP}), ("ruisi_c#", {CSHARP}),
    ("ZS-C++", {CPP}), ("C++-ZS", {CPP}), ("C++/ZS", {CPP}), ("F#/Hanshu", {FSHARP}), ("Hanshu/F#", {FSHARP}),
    ("C++-Ruisi", set()), ("Ruisi/C++", set()), ("C#-ZS", set()),  # both parts must match
    ('"C++-ZS"', set()), ('"C#/Ruisi"', {CSHARP}),  # a quoted word keeps its order
    ('"Ruisi/C#"', {CSHARP}),  # (in that order in "Ruisi C# Software Studio")
])
def test_joined_parts_with_csharp_or_cpp_in_any_order(app, viewer, marked, typed, expected):
    assert _names(app, typed, viewer, marked) == expected


def test_the_search_api_finds_reversed_cpp_parts(client, world, create_account):
    create_account(group=world.group, name=CPP, name_en="Zhisuan Toolchain Lab", aliases=["ZS-C++"],
                   region="", industry="")
    api = world.api(client, "viewer")
    body = api.get("/search", query_string={"q": "C++-ZS", "type": "account"}).get_json()
    assert [item["title"] for item in body["results"]] == [CPP]


# --- 3 and 6. a word and a number written together or apart -------------------------------------------------

FEIXUN, XINGLIAN, GALAXY = "飞讯无线", "星联网络", "长沙银河证券"


@pytest.fixture
def numbered(create_account):
    return {name: create_account(name=name, name_en=name_en, aliases=aliases, region="", industry="")
            for name, name_en, aliases in [
                (FEIXUN, "Feixun Wi-Fi6 Networks", []), (XINGLIAN, "Xinglian Wi-Fi 6 Mesh", []),
                ("七号无线", "Qihao Wi-Fi 7 Lab", []),
                (GALAXY, "The Changsha Galaxy Securities", ["Galaxy-1.5 Platform"]),
                ("银河二期", "Galaxy Phase", ["Galaxy-2.5"])]}


@pytest.mark.parametrize("typed, expected", [
    ("Wi-Fi 6", {FEIXUN, XINGLIAN}), ("Wi-Fi6", {FEIXUN, XINGLIAN}), ("WiFi6", {FEIXUN, XINGLIAN}),
    ("wifi 6", {FEIXUN, XINGLIAN}), ("Wi-Fi 7", {"七号无线"}), ("Wi-Fi7", {"七号无线"}), ("Wi-Fi 8", set()),
    ("Galaxy1.5", {GALAXY}), ("Galaxy-1.5", {GALAXY}), ("Galaxy 1.5", {GALAXY}), ("Galaxy2.5", {"银河二期"}),
    ("Galaxy3.5", set()),
])
def test_a_word_and_a_number_are_found_written_together_or_apart(app, viewer, numbered, typed, expected):
    assert _names(app, typed, viewer, numbered) == expected


def test_the_search_api_finds_wifi6_written_apart(client, world, create_account):
    create_account(group=world.group, name=FEIXUN, name_en="Feixun Wi-Fi6 Networks", region="", industry="")
    api = world.api(client, "viewer")
    body = api.get("/search", query_string={"q": "Wi-Fi 6", "type": "account"}).get_json()
    assert [item["title"] for item in body["results"]] == [FEIXUN]


# --- 4. text without accents finds accented names ---------------------------------------------------------

EDF = "法国电力公司"


@pytest.fixture
def accented(create_account):
    return {name: create_account(name=name, name_en=name_en, aliases=aliases, region="", industry="")
            for name, name_en, aliases in [
                (EDF, "Électricité de France", ["EDF"]), ("慕勒咨询", "Müller Consulting", []),
                ("电力研究院", "Electric Power Institute", [])]}


@pytest.mark.parametrize("typed, expected", [
    ("electricite", {EDF}), ("Electricite de France", {EDF}), ("ELECTRICITE", {EDF}), ("Électricité", {EDF}),
    ("electricité", {EDF}), ("electricite-france", {EDF}), ("muller", {"慕勒咨询"}), ("Müller", {"慕勒咨询"}),
    ("electric", {"电力研究院"}),  # (another word: not folded into it)
])
def test_text_without_accents_finds_accented_names(app, viewer, accented, typed, expected):
    assert _names(app, typed, viewer, accented) == expected


def test_the_search_api_finds_an_accented_name_typed_without_accents(client, world, create_account):
    create_account(group=world.group, name=EDF, name_en="Électricité de France", region="", industry="")
    api = world.api(client, "viewer")
    body = api.get("/search", query_string={"q": "Electricite de France", "type": "account"}).get_json()
    assert [item["title"] for item in body["results"]] == [EDF]


def test_the_accent_free_forms_rebuild_the_index():
    from kb.search.schema import SCHEMA_VERSION
    assert SCHEMA_VERSION >= 9  # (an index built before holds no accent-free forms: it is rebuilt)
