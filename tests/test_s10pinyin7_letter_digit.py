"""Letters and a number typed together or apart find each other both ways (issue 7 §2, session 10; a fresh
tester's report): a text with "iPhone 16" is found by `iPhone16`/`iphone16` as by `iPhone 16`, a text with
"iPhone16" by `iPhone 16`; "S/4HANA" by `S4 HANA` and `S4` (a compound's run of letters and digits is also
indexed written together: `s/4` → `s4`, index SCHEMA_VERSION 10) — in search (page and API) and in the
account list (page and API), which migration 0024 refills for existing accounts."""
from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from kb.account_keys import account_name_clause, account_word_key
from kb.migrate import upgrade
from models import Account
from tests.api_support import world  # noqa: F401 — fixture
from tests.search_support import find
from tests.test_s8filt7_list_pinyin import found_by_search, listed_on_page, named_accounts
from tests.test_s8filt7_list_pinyin import old_engine  # noqa: F401 — fixture (SQLite, and PostgreSQL)

SPACED, JOINED, HANA, OTHER = "信源iPhone 16专营", "信达iPhone16旗舰", "云图S/4HANA服务", "信合16号仓"


@pytest.fixture
def named(app, world, create_account):
    rows = [(SPACED, "", []), (JOINED, "", []), (HANA, "Yuntu S/4HANA Services", []),
            (OTHER, "Xinhe iPhone cases, 16 shops", [])]  # (iphone and 16, but not next to each other)
    return named_accounts(app, world, create_account, rows)


CASES = [
    ("iPhone16", {SPACED, JOINED}), ("iphone16", {SPACED, JOINED}), ("IPHONE16", {SPACED, JOINED}),
    ("iPhone 16", {SPACED, JOINED, OTHER}),  # two words (any order, as every search of two words)
    ("iPhone17", set()),
    ("S4 HANA", {HANA}), ("s4", {HANA}), ("S/4 HANA", {HANA}), ("S4HANA", {HANA}), ("S/4HANA", {HANA}),
]


@pytest.mark.parametrize("q, expected", CASES)
def test_search_finds_letters_and_digits_either_way(app, world, named, q, expected):
    assert found_by_search(app, q, world.viewer, named) == expected


@pytest.mark.parametrize("q, expected", CASES)
def test_list_page_finds_letters_and_digits_either_way(client, login_as, world, named, q, expected):
    login_as(world.viewer)
    response = client.get("/accounts", query_string={"q": q})
    assert response.status_code == 200
    assert listed_on_page(response.get_data(as_text=True), named) == expected


@pytest.mark.parametrize("q, expected", CASES)
def test_list_api_finds_letters_and_digits_either_way(client, world, named, q, expected):
    body = world.api(client, "viewer").get("/accounts", query_string={"q": q, "per_page": 100}).get_json()
    assert {a["name"] for a in body["items"]} == expected


def test_a_note_saying_iphone_16_is_found_by_iphone16_on_the_api_and_the_page(client, login_as, world, app,
                                                                              create_interaction):
    create_interaction(world.account, title="新机型拜访", summary="客户计划为销售团队采购 iPhone 16 约 300 台。")
    create_interaction(world.account, title="配件拜访", summary="iPhone 保护壳 16 款样品。")
    api = world.api(client, "viewer")
    found = api.get("/search", query_string={"q": "iPhone16", "type": "interaction"}).get_json()["results"]
    assert [item["title"] for item in found] == ["新机型拜访"]
    login_as(world.viewer)
    html = client.get("/search", query_string={"q": "iphone16"}).get_data(as_text=True)
    assert "新机型拜访" in html and "配件拜访" not in html
    hits = find(app, "S4 HANA", world.admin).hits
    assert hits == []  # (no text here has S/4HANA: the two words are not found apart either)


def test_migration_0024_refills_the_keys_with_the_runs_written_together(old_engine):
    upgrade(old_engine, "0023")
    with old_engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO account (id, name, name_en, aliases, industry, region, tier, coverage, description,"
            " version, created_at, updated_at, pinyin_key) VALUES (1, '云图科技', '', '[\"YT-S/4HANA\"]', '', '',"
            " 'standard', 'direct', '', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00', ' yt-s/4hana s/4 ')"))
    upgrade(old_engine)
    with Session(old_engine) as session:
        key = session.scalar(select(Account.pinyin_key))
        assert key == account_word_key("云图科技", "", ["YT-S/4HANA"]) and " s4 " in key
        assert list(session.scalars(select(Account.name).where(account_name_clause("S4 HANA")))) == ["云图科技"]
