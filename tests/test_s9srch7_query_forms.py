"""The last query forms where search and the account list filter disagreed (issue 7 §1, session 9):

1. a Chinese prefix of any length with `*` finds what the word finds (`华东移动*` used to find nothing);
2. Latin parts joined by `-`, `/`, `_`, `–` (also full-width `－`, `／`) match in any order in search too
   (`Suzhou-ECMC`), but inside quotes in their order;
3. Latin (or digits) and Chinese typed together are separate words in search too, each of which must
   match (`移动ECMC`, `huadong移动`, `58同城`);
4. English stop words: neither search nor the list drops them (the analyser has no stop list): `of`,
   `the` are words that must match in both;
5. a sweep over the demo accounts: whatever the list finds for a name written another way, search finds.
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from kb.account_keys import query_words
from kb.search.query import parse_user_query
from models import Account, User
from tests.api_support import world  # noqa: F401 — fixture
from tests.test_demo import demo_app, demo_template  # noqa: F401 — fixtures
from tests.test_s8filt7_list_pinyin import found_by_search, listed_on_page, named_accounts

EAST, SUZHOU, LOGI = "华东移动通信有限公司", "华东移动苏州分公司", "华东物流"
BCS, TC, ZJ = "长沙银行", "58同城", "中国移动浙江公司"


@pytest.fixture
def named(app, world, create_account):
    rows = [
        (EAST, "East China Mobile Communications Co., Ltd.", ["ECMC", "中国移动华东公司"]),
        (SUZHOU, "ECMC Suzhou Branch", []),
        (LOGI, "EastChina Logistics", []),
        (BCS, "Bank of Changsha", ["长行"]),
        (TC, "", ["58.com"]),
    ]
    return named_accounts(app, world, create_account, rows)


CASES = [
    # 1. a Chinese prefix: the word itself (the bigram index has no word boundaries)
    ("华东移动*", {EAST, SUZHOU}), ("華東移動*", {EAST, SUZHOU}), ("华东移*", {EAST, SUZHOU}),
    ("苏州移动*", set()), ("移动苏*", {SUZHOU}), ("华东*", {EAST, SUZHOU, LOGI}), ("华东物流*", {LOGI}),
    # 2. joined parts in any order, full-width joiners too
    ("Suzhou-ECMC", {SUZHOU}), ("Suzhou／ECMC", {SUZHOU}), ("Suzhou－ECMC", {SUZHOU}),
    ("Branch_Suzhou", {SUZHOU}), ("Mobile-China-East", {EAST}), ("China–East", {EAST}),
    ("com-58", {TC}), ("tongcheng–58", {TC}), ("Changsha-Bank", {BCS}), ("Suzhou-Logistics", set()),
    # 3. Latin or digits and Chinese together: each part a word that must match
    ("移动ECMC", {EAST, SUZHOU}), ("huadong移动", {EAST, SUZHOU}), ("ECMC移动", {EAST, SUZHOU}),
    ("同城58", {TC}), ("58同城", {TC}), ("Suzhou华东", {SUZHOU}), ("长沙Bank", {BCS}), ("物流ECMC", set()),
    # 4. stop words are words: they must match, in the list and in search alike
    ("Bank of Changsha", {BCS}), ("Bank Changsha", {BCS}), ("of Changsha", {BCS}), ("of", {BCS}),
    ("the bank", set()), ("Bank the", set()),
]


@pytest.mark.parametrize("q, expected", CASES)
def test_search_finds_the_accounts(app, world, named, q, expected):
    assert found_by_search(app, q, world.viewer, named) == expected


@pytest.mark.parametrize("q, expected", CASES)
def test_page_lists_the_same_accounts(client, login_as, world, named, q, expected):
    login_as(world.viewer)
    response = client.get("/accounts", query_string={"q": q}, headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 200
    assert listed_on_page(response.get_data(as_text=True), named) == expected


@pytest.mark.parametrize("q, expected", CASES)
def test_api_lists_the_same_accounts(client, world, named, q, expected):
    body = world.api(client, "viewer").get("/accounts", query_string={"q": q, "per_page": 100}).get_json()
    assert {a["name"] for a in body["items"]} == expected


@pytest.mark.parametrize("q, expected", [
    ('"ECMC-Suzhou"', {SUZHOU}), ('"ECMC Suzhou"', {SUZHOU}), ('"Suzhou-ECMC"', set()),
    ('"Suzhou ECMC"', set()), ('"华东移动"ECMC', {EAST, SUZHOU}), ("title:移动ECMC", set()),
    ("names:移动ECMC", {EAST, SUZHOU}),
    # a Latin prefix after Chinese (the list has no `*`: there `ec` is a whole word and finds nothing)
    ("华东移动Ec*", {EAST, SUZHOU}), ("华东物流Ec*", set()), ("ECMC华东移*", {EAST, SUZHOU}),
    # a prefix of joined parts: as typed, written together, or apart (the list finds EastChina only: `chi`
    # is under its 4 letters for the start of a word)
    ("East-Chi*", {EAST, LOGI}), ("China-Ea*", {EAST}), ("Chin-Ea*", set()), ("Suzhou-EC*", {SUZHOU}), ("Suzhou-E*", set()),
])
def test_search_only_forms(app, world, named, q, expected):
    assert found_by_search(app, q, world.viewer, named) == expected


def test_the_list_finds_a_joined_prefix_among_what_search_finds(client, login_as, world, named):
    login_as(world.viewer)
    html = client.get("/accounts", query_string={"q": "East-Chi*"}).get_data(as_text=True)
    assert listed_on_page(html, named) == {EAST, LOGI}  # (h/s9l7: the list reads `*` as search does)


def test_huadong_yidong_no_longer_finds_a_name_with_only_huadong(app, world, named):
    # Why it did: the pinyin field gets only the Latin part (Chinese has no pinyin token), so huadong* there
    # alone matched 华东物流's huadongwuliu; the parts are now two words, and 华东物流 has no 移动.
    assert LOGI in found_by_search(app, "huadong", world.viewer, named)
    assert LOGI not in found_by_search(app, "huadong移动", world.viewer, named)
    assert parse_user_query("huadong移动").text == "huadong 移动"


@pytest.mark.parametrize("q, kept", [
    ("iPhone15", "iPhone15"), ("S/4HANA", "S/4HANA"), ("V5.2.1", "V5.2.1"), ("5G专网", "5G 专网"),
    ("title:移动ECMC", "title:(移动 ECMC)"), ("华东移动Ec*", "华东移动 Ec*"), ('"移动ECMC"', '"移动ECMC"'),
])
def test_how_search_splits_what_was_typed(q, kept):
    assert parse_user_query(q).text == kept


def test_a_one_letter_prefix_after_chinese_says_so():
    parsed = parse_user_query("华东移动E*")  # (the Chinese part is searched: tests/test_s9q7_search_defects.py)
    assert parsed.text == "华东移动" and "at least two letters" in parsed.message


def test_the_list_splits_words_as_search_does():
    assert query_words("58同城 同城58 Suzhou／ECMC") == ["58", "同城", "suzhou/ecmc"]


# --- on the demo data ----------------------------------------------------------------------------------------

def _demo(demo_app):
    from kb.db import session

    viewer = session.scalar(select(User).where(User.email == "viewer@demo.kb"))
    return session, viewer


def _search_keys(q: str, viewer, **params) -> set[str]:
    from kb.search.searching import SearchParams, search

    outcome = search(SearchParams(q=q, per_page=100, **params), viewer, with_facets=False)
    assert outcome.total <= 100  # (all of them on one page: the sets compare whole)
    return {h.key for h in outcome.hits}


def test_a_chinese_prefix_finds_what_the_word_finds_on_the_demo_data(demo_app):
    with demo_app.test_request_context():
        session, viewer = _demo(demo_app)
        found = _search_keys("华东移动*", viewer)
        assert found == _search_keys("华东移动", viewer) and len(found) >= 5
        names = {session.get(Account, int(k.split(":")[1])).name for k in found if k.startswith("account:")}
        assert {EAST, SUZHOU} <= names
        assert _search_keys("华东移动苏州*", viewer) == _search_keys("华东移动苏州", viewer) != set()


def test_the_search_page_finds_a_chinese_prefix(demo_app):
    from tests.test_demo import DEMO_PASSWORD

    client = demo_app.test_client()
    client.post("/login", data={"email": "viewer@demo.kb", "password": DEMO_PASSWORD})
    html = client.get("/search", query_string={"q": "华东移动苏*"}).get_data(as_text=True)
    assert SUZHOU in html and "找不到" not in html


@pytest.mark.parametrize("q", ["华东移动苏*", "Suzhou-ECMC", "移动Suzhou"])
def test_the_search_api_finds_the_forms(client, world, named, q):
    body = world.api(client, "viewer").get("/search", query_string={"q": q, "type": "account"}).get_json()
    assert [item["title"] for item in body["results"]] == [SUZHOU]


_LATIN = re.compile(r"[A-Za-z0-9]+")
_CJK = re.compile(r"[\u4e00-\u9fff]+")


def _derived(name: str, latin_alias: str | None) -> list[tuple[str, bool]]:
    """Queries written from one name: (query, whether the list's rule must find the account by it)."""
    out: list[tuple[str, bool]] = []
    words = _LATIN.findall(name)[:8]
    if len(words) > 1:
        out += [("-".join(words), True), ("-".join(reversed(words)), True), ("/".join(words[:2]), True),
                (" ".join(reversed(words)), True), ("–".join(reversed(words[:3])), True),
                ("the " + " ".join(words), False), (" of ".join(words[:2]), False)]
    for run in _CJK.findall(name):
        out += [(run[:k] + "*", True) for k in range(2, min(len(run), 6) + 1)]
        if latin_alias:
            out += [(run + latin_alias, True), (latin_alias + run, True)]
    return out


def test_sweep_what_the_list_finds_search_finds_on_the_demo_data(demo_app):
    with demo_app.test_request_context():
        from kb.services.accounts import account_filters_stmt

        session, viewer = _demo(demo_app)
        accounts = session.scalars(select(Account).where(Account.archived_at.is_(None))).all()
        missing, checked = {}, 0
        for account in accounts:
            latin = next((a for a in account.aliases or [] if _LATIN.fullmatch(a)), None)
            for name in [account.name, account.name_en or "", *(account.aliases or [])]:
                for q, must in _derived(name, latin):
                    listed = set(session.scalars(account_filters_stmt(q=q).with_only_columns(Account.id)))
                    assert not must or account.id in listed, q
                    found = {int(k.split(":")[1]) for k in _search_keys(q, viewer, types=("account",))}
                    if listed - found:
                        missing[q] = listed - found
                    checked += 1
        assert missing == {}
        assert checked > 300
