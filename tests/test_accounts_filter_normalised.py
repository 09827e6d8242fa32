"""The account list filter (`/accounts?q=`, `GET /api/v1/accounts?q=`) matches names the way search does:
Unicode case folding, width forms, traditional/simplified Chinese, name separators (kb.textnorm), on
SQLite and PostgreSQL alike; migration 0005 fills the key of accounts that existed before it."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from kb.account_keys import account_search_key
from kb.migrate import upgrade
from tests.api_support import world  # noqa: F401


@pytest.fixture(autouse=True)
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def accounts(create_account):
    return {
        "edf": create_account(name="法国电力", name_en="Électricité de France", aliases=["EDF"]),
        "taiwan": create_account(name="台灣大哥大", name_en="Taiwan Mobile", aliases=["台哥大"]),
        "simplified": create_account(name="华东移动通信有限公司", name_en="East China Mobile",
                                     aliases=["ＥＣＭＣ", "華東移動"]),
        "straße": create_account(name="德国物流", name_en="Hauptstraße Logistik GmbH"),
        "uyghur": create_account(name="阿卜杜·热合曼贸易", name_en="Abdu Trading"),
        "other": create_account(name="国家电网", name_en="State Grid", aliases=["国网"]),
    }


CASES = [
    ("Électricité", {"edf"}), ("électricité", {"edf"}), ("ÉLECTRICITÉ", {"edf"}), ("ÉLECTRICITÉ DE", {"edf"}), ("electricite", {"edf"}),
    ("台湾大哥大", {"taiwan"}), ("台灣大哥大", {"taiwan"}), ("台哥大", {"taiwan"}),
    ("華東移動", {"simplified"}), ("华东移动", {"simplified"}), ("ecmc", {"simplified"}), ("ＥＣＭＣ", {"simplified"}),
    ("hauptstrasse", {"straße"}), ("HAUPTSTRASSE", {"straße"}), ("Hauptstraße", {"straße"}),
    ("阿卜杜热合曼", {"uyghur"}), ("阿卜杜・热合曼", {"uyghur"}),
    ("国网", {"other"}), ("mobile", {"taiwan", "simplified"}),
]


@pytest.mark.parametrize("q, expected", CASES)
def test_account_list_page_matches_normalised_names(client, login_as, create_user, accounts, q, expected):
    login_as(create_user(role="viewer"))
    html = client.get("/accounts", query_string={"q": q}).get_data(as_text=True)
    listed = {name for name, account in accounts.items() if account.name in html}
    assert listed == expected


@pytest.mark.parametrize("q, expected", CASES)
def test_api_account_list_matches_normalised_names(client, world, accounts, q, expected):
    body = world.api(client, "viewer").get("/accounts", query_string={"q": q}).get_json()
    ours = {a.name for a in accounts.values()}  # (the API's world has an account of its own)
    assert {a["name"] for a in body["items"]} & ours == {accounts[name].name for name in expected}
    assert all("search_key" not in a for a in body["items"])


def test_key_follows_renames_and_new_aliases(app, client, world, accounts):
    api = world.api(client, "admin")
    edf = accounts["edf"]
    response = api.patch(f"/accounts/{edf.id}", json={"name_en": "Électricité Réseau", "aliases": ["ＥＤＦ", "法電"]})
    assert response.status_code == 200, response.get_json()
    names = lambda q: {a["name"] for a in api.get("/accounts", query_string={"q": q}).get_json()["items"]}  # noqa: E731
    assert names("électricité réseau") == {"法国电力"}
    assert names("法电") == {"法国电力"}
    assert names("de france") == set()


def test_wildcards_in_the_query_are_literal(client, world, accounts):
    api = world.api(client, "viewer")
    for q in ("%", "_", "\\"):
        assert api.get("/accounts", query_string={"q": q}).get_json()["total"] == 0


def test_migration_0005_fills_keys_of_existing_accounts(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    upgrade(engine, "0004")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO account (id, name, name_en, aliases, industry, region, tier, coverage, description,"
            " version, created_at, updated_at) VALUES (1, '台灣大哥大', 'ÉLECTRICITÉ', '[\"ＴＷＭ\"]', '', '',"
            " 'standard', 'direct', '', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"))
    upgrade(engine)
    with engine.connect() as conn:
        key = conn.execute(text("SELECT search_key FROM account WHERE id = 1")).scalar_one()
    engine.dispose()
    assert key == "台湾大哥大\nélectricité\ntwm" == account_search_key("台灣大哥大", "ÉLECTRICITÉ", ["ＴＷＭ"])
