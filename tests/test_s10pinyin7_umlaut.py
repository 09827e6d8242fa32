"""Pinyin as people write it (issue 7 §3, session 10; a fresh tester's report): ü typed as ü, v, yu (the
passport spelling after l and n: lyu, nyu) or u, and tone marks, find the name the plain pinyin finds —
in search (page and API) and in the account list (page and API), by one rule (kb.search.pinyin:
folded_pinyin, pinyin_spellings). `lü` is pinyin, not the Latin word `lu`: it finds 吕, not 卢 or the
English name "Lu Yan"; `lu` may be ü typed without the key, so `luwei` finds 吕伟 after 卢伟. European
words keep their accent folding (`müller` finds Müller; kb.search.analysis.without_accents)."""
from __future__ import annotations

import pytest

from kb.search.pinyin import folded_pinyin, pinyin_spellings
from models import Stakeholder
from tests.api_support import world  # noqa: F401 — fixture
from tests.search_support import find
from tests.test_s8filt7_list_pinyin import found_by_search, listed_on_page, named_accounts

LVDI, LUDI, EDF = "绿地控股", "鲁迪科技", "法国电力中国"


@pytest.fixture
def named(app, world, create_account):
    rows = [(LVDI, "Greenland Holdings", []), (LUDI, "", []), (EDF, "Électricité de France China", [])]
    return named_accounts(app, world, create_account, rows)


@pytest.fixture
def people(named, create_stakeholder) -> dict[str, Stakeholder]:
    """People of 绿地控股 by name, some with English names as the tester's demo people have."""
    account = named[LVDI]
    rows = [("吕伟", None), ("卢伟", None), ("卢燕", "Lu Yan"), ("陆晓峰", "Lu Xiaofeng"), ("褚略", None),
            ("曾志强", None), ("仇建", None), ("托马斯·穆勒", "Thomas Müller")]
    return {name: create_stakeholder(account, name=name, name_en=en) if en else create_stakeholder(account, name=name)
            for name, en in rows}


def _people_found(app, world, people, q: str) -> list[str]:
    """The names of the people search finds for `q`, best first."""
    by_key = {f"stakeholder:{p.id}": name for name, p in people.items()}
    hits = find(app, q, world.admin, types=("stakeholder",), per_page=50).hits
    return [by_key[h.key] for h in hits if h.key in by_key]


@pytest.mark.parametrize("q", ["lvwei", "lüwei", "LÜWEI", "lǚwěi", "lyuwei", "lü wei", "Lǚ Wěi", "lv"])
def test_u_umlaut_typed_any_way_finds_lv_first_and_not_lu(app, world, people, q):
    found = _people_found(app, world, people, q)
    assert found[:1] == ["吕伟"]
    assert "卢伟" not in found and "卢燕" not in found


def test_lu_umlaut_alone_prefers_lv_and_is_not_the_latin_word_lu(app, world, people):
    found = _people_found(app, world, people, "lü")
    assert found[:1] == ["吕伟"]
    assert not {"卢燕", "陆晓峰", "卢伟"} & set(found)  # (lu: 卢, 陆 and their English names "Lu …")
    assert {"卢燕", "陆晓峰", "卢伟"} <= set(_people_found(app, world, people, "lu"))  # lu still finds them


def test_lu_typed_for_lv_finds_both_the_exact_name_first(app, world, people):
    assert _people_found(app, world, people, "luwei") == ["卢伟", "吕伟"]


@pytest.mark.parametrize("q", ["chulve", "chulue", "chulüe", "chulüè", "chu lüe", "chulyue"])
def test_lve_typed_as_lue_or_lue_umlaut_finds_it(app, world, people, q):
    assert _people_found(app, world, people, q) == ["褚略"]


@pytest.mark.parametrize("q, name", [("chóu", "仇建"), ("chou", "仇建"), ("Zēng Zhìqiáng", "曾志强"),
                                     ("zēngzhìqiáng", "曾志强"), ("ZĒNG", "曾志强")])
def test_tone_marks_are_ignored(app, world, people, q, name):
    assert _people_found(app, world, people, q)[:1] == [name]


@pytest.mark.parametrize("q", ["müller", "Muller", "MÜLLER"])
def test_european_accents_still_fold_to_the_bare_letters(app, world, people, q):
    assert _people_found(app, world, people, q) == ["托马斯·穆勒"]


def test_the_search_api_finds_lv_by_its_passport_spelling(client, world, people):
    api = world.api(client, "viewer")
    found = api.get("/search", query_string={"q": "lyuwei", "type": "stakeholder"}).get_json()["results"]
    assert [item["title"] for item in found][:1] == ["吕伟"]


def test_the_search_page_finds_lv_by_u_umlaut(client, login_as, world, people):
    login_as(world.viewer)
    html = client.get("/search", query_string={"q": "lüwei"}).get_data(as_text=True)
    assert "吕伟" in html and "卢伟" not in html


# --- the account list and search agree --------------------------------------------------------------------
LIST_CASES = [
    ("lvdi", {LVDI}), ("lüdi", {LVDI}), ("LÜDI", {LVDI}), ("lǜdì", {LVDI}), ("lyudi", {LVDI}),
    ("ludi", {LVDI, LUDI}),  # u may be ü typed without the key (search ranks 鲁迪 first: lesser spelling)
    ("lü", {LVDI}), ("lüdikonggu", {LVDI}), ("lü di", {LVDI}),
    ("électricité", {EDF}), ("electricite", {EDF}),  # accents of European words: as before
]


@pytest.mark.parametrize("q, expected", LIST_CASES)
def test_list_page_finds_umlaut_pinyin(client, login_as, world, named, q, expected):
    login_as(world.viewer)
    response = client.get("/accounts", query_string={"q": q})
    assert response.status_code == 200
    assert listed_on_page(response.get_data(as_text=True), named) == expected


@pytest.mark.parametrize("q, expected", LIST_CASES)
def test_list_api_finds_umlaut_pinyin(client, world, named, q, expected):
    body = world.api(client, "viewer").get("/accounts", query_string={"q": q, "per_page": 100}).get_json()
    assert {a["name"] for a in body["items"]} == expected


@pytest.mark.parametrize("q, expected", LIST_CASES)
def test_search_finds_the_same_accounts(app, world, named, q, expected):
    assert found_by_search(app, q, world.viewer, named) == expected


def test_ludi_ranks_the_name_spelled_as_typed_first(app, world, named):
    hits = find(app, "ludi", world.viewer, types=("account",)).hits
    assert [h.key for h in hits] == [f"account:{named[LUDI].id}", f"account:{named[LVDI].id}"]


@pytest.mark.parametrize("typed, folded, spellings", [
    ("lǚwěi", "lvwei", ("lvwei",)), ("lyuwei", "lyuwei", ("lvwei",)), ("luwei", "luwei", ("luwei", "lvwei")),
    ("chulüe", "chulve", ("chulve",)), ("nyu", "nyu", ("nv",)), ("xüe", "xve", ("xue",)),
    ("tianyu", "tianyu", ("tianyu", "tianv")),  # (a nyu inside a word is mostly n-yu: only a lesser spelling)
    ("lunwen", "lunwen", ("lunwen",)),  # (lun is a syllable of its own)
    ("électricité", None, None), ("müller", None, None), ("über", None, None),
])
def test_the_spelling_rule(typed, folded, spellings):
    assert folded_pinyin(typed) == folded
    assert (pinyin_spellings(folded) if folded else None) == spellings
