"""Issue 7 §1/§3, session 11: a prefix with ü or tone marks is folded as a whole word is (a tester's report).

`lüwei`, `Lǚ Wěi`, `lyuwei` found 吕伟 and `Zēng Zhìqiáng` 曾志强, but the prefixes `lüw*`, `Lǚw*`,
`huádōng*`, `zēngzh*` found nothing where `lvw*`, `huadong*`, `zengzh*` found them: the word before a `*`
was not folded (the pinyin field got `lüw`), and when it was (the text fields) it was read as the Latin
`luw`. Now one rule (kb.search.pinyin.folded_pinyin with `prefix`: the word may end inside a syllable)
folds it in search (page and API) and in the account list (page and API); European accents in prefixes
still fold (`Élec*`, `müll*`).
"""
from __future__ import annotations

import pytest

from kb.search.pinyin import folded_pinyin, umlaut_pinyin
from tests.api_support import world  # noqa: F401 — fixture
from tests.search_support import find
from tests.test_s8filt7_list_pinyin import found_by_search, listed_on_page, named_accounts

LVDI, LUDI, HDYD, ZENG, EDF = "绿地控股", "鲁迪科技", "华东移动", "曾氏集团", "法国电力中国"


@pytest.fixture
def named(app, world, create_account):
    rows = [(LVDI, "Greenland Holdings", []), (LUDI, "", []), (HDYD, "ECMC", []), (ZENG, "", []),
            (EDF, "Électricité de France China", [])]
    return named_accounts(app, world, create_account, rows)


@pytest.fixture
def people(named, create_stakeholder) -> dict[str, object]:
    account = named[LVDI]
    rows = [("吕伟", None), ("卢伟", None), ("卢燕", "Lu Yan"), ("陆晓峰", "Lu Xiaofeng"), ("褚略", None),
            ("曾志强", None), ("托马斯·穆勒", "Thomas Müller")]
    return {name: create_stakeholder(account, name=name, name_en=en) if en else create_stakeholder(account, name=name)
            for name, en in rows}


def _people_found(app, world, people, q: str) -> list[str]:
    """The names of the people search finds for `q`, best first."""
    by_key = {f"stakeholder:{p.id}": name for name, p in people.items()}
    hits = find(app, q, world.viewer, types=("stakeholder",), per_page=50).hits
    return [by_key[h.key] for h in hits if h.key in by_key]


# --- search: people ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("q", ["lüw*", "Lǚw*", "LÜW*", "lǚwě*", "lyuw*", "lvw*", "lüwe*"])
def test_umlaut_prefix_finds_lv_and_not_lu(app, world, people, q):
    assert _people_found(app, world, people, q) == ["吕伟"]


def test_umlaut_prefix_alone_is_pinyin_not_the_latin_lu(app, world, people):
    found = _people_found(app, world, people, "lü*")  # 吕伟 (lvwei), 褚略 (chulve: its run lve)
    assert sorted(found) == sorted(["吕伟", "褚略"])  # not 卢伟, 卢燕 (Lu Yan), 陆晓峰
    assert {"卢伟", "卢燕", "陆晓峰"} <= set(_people_found(app, world, people, "lu*"))  # lu* still finds them


def test_lu_prefix_typed_for_lv_finds_both_the_spelling_as_typed_first(app, world, people):
    assert _people_found(app, world, people, "luw*") == ["卢伟", "吕伟"]  # as the word `luwei` does


@pytest.mark.parametrize("q, name", [("zēngzh*", "曾志强"), ("Zēngzh*", "曾志强"), ("zēngzhì*", "曾志强"),
                                     ("zengzh*", "曾志强"), ("chulü*", "褚略"), ("chúlüè*", "褚略")])
def test_tone_marks_in_a_prefix_are_ignored(app, world, people, q, name):
    assert _people_found(app, world, people, q) == [name]


@pytest.mark.parametrize("q", ["müll*", "Müll*", "mull*"])
def test_european_accents_in_a_prefix_still_fold(app, world, people, q):
    assert _people_found(app, world, people, q) == ["托马斯·穆勒"]


def test_search_api_and_page_find_by_a_folded_prefix(client, login_as, world, people):
    found = world.api(client, "viewer").get("/search", query_string={"q": "Lǚw*", "type": "stakeholder"})
    assert [item["title"] for item in found.get_json()["results"]] == ["吕伟"]
    login_as(world.viewer)
    html = client.get("/search", query_string={"q": "zēngzh*"}).get_data(as_text=True)
    assert "曾志强" in html and "吕伟" not in html


# --- accounts: search and the list agree ------------------------------------------------------------------
ACCOUNT_CASES = [
    ("huádōng*", {HDYD}), ("huadong*", {HDYD}), ("HUÁD*", {HDYD}),
    ("lǜd*", {LVDI}), ("lüd*", {LVDI}), ("lüdik*", {LVDI}), ("lyud*", {LVDI}), ("lvd*", {LVDI}),
    ("lud*", {LVDI, LUDI}),  # u may be ü typed without the key, as in the word `ludi`
    ("zēngsh*", {ZENG}), ("zēngshìjí*", {ZENG}), ("cēngsh*", {ZENG}),
    ("Élec*", {EDF}), ("élec*", {EDF}), ("elec*", {EDF}),  # European accents: as before
]


@pytest.mark.parametrize("q, expected", ACCOUNT_CASES)
def test_search_finds_accounts_by_a_folded_prefix(app, world, named, q, expected):
    assert found_by_search(app, q, world.viewer, named) == expected


@pytest.mark.parametrize("q, expected", ACCOUNT_CASES)
def test_list_page_finds_accounts_by_a_folded_prefix(client, login_as, world, named, q, expected):
    login_as(world.viewer)
    response = client.get("/accounts", query_string={"q": q})
    assert response.status_code == 200
    assert listed_on_page(response.get_data(as_text=True), named) == expected


@pytest.mark.parametrize("q, expected", ACCOUNT_CASES)
def test_list_api_finds_accounts_by_a_folded_prefix(client, world, named, q, expected):
    body = world.api(client, "viewer").get("/accounts", query_string={"q": q, "per_page": 100}).get_json()
    assert {a["name"] for a in body["items"]} == expected


# --- the rule ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("typed, as_prefix, as_word", [
    ("lüw", "lvw", None), ("lǚw", "lvw", None), ("zēngzh", "zengzh", None),  # end inside a syllable
    ("huádōng", "huadong", "huadong"), ("chulü", "chulv", "chulv"), ("zēngzhìqiáng", "zengzhiqiang", "zengzhiqiang"),
    ("müll", None, None), ("über", None, None), ("straß", None, None),  # no start of pinyin: European words
])
def test_a_prefix_folds_as_a_word_but_may_end_inside_a_syllable(typed, as_prefix, as_word):
    assert folded_pinyin(typed, prefix=True) == as_prefix
    assert folded_pinyin(typed) == as_word


def test_a_umlaut_prefix_is_pinyin_only_when_it_folds_to_pinyin():
    assert umlaut_pinyin("lüw", prefix=True) and not umlaut_pinyin("lüw")
    assert not umlaut_pinyin("müll", prefix=True)
