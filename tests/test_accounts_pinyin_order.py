"""The account list (page and `GET /api/v1/accounts`) orders Chinese names by pinyin, not by code point;
`Account.sort_key` follows renames, and migration 0006 fills it for accounts that existed before."""
from __future__ import annotations

import re

from sqlalchemy import create_engine, text

from kb.account_keys import account_sort_key
from kb.migrate import upgrade
from tests.api_support import world  # noqa: F401

# By code point: 华 (U+534E) < 招 (U+62DB) < 长 (U+957F) < 阿 (U+963F). By pinyin: a < ch < hu < zh.
NAMES = ["华东移动", "长沙银行", "阿里云", "招商证券"]
PINYIN_ORDER = ["阿里云", "长沙银行", "华东移动", "招商证券"]


def _listed(html: str) -> list[str]:
    return [n for n in re.findall(r"<strong>([^<]+)</strong>", html) if n in NAMES]


def test_sort_key_is_the_pinyin_then_the_name():
    assert account_sort_key("长沙银行") == "changshayinhang 长沙银行"
    assert account_sort_key("ABC 银行") == "abcyinhang ABC 银行"
    assert sorted(NAMES) != PINYIN_ORDER  # code point order would be wrong
    assert sorted(NAMES, key=account_sort_key) == PINYIN_ORDER


def test_list_page_orders_by_pinyin(client, login_as, create_user, create_account):
    for name in NAMES:
        create_account(name=name)
    login_as(create_user(role="viewer"))
    html = client.get("/accounts", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert _listed(html) == PINYIN_ORDER


def test_api_orders_by_pinyin_and_follows_renames(client, world, create_account):
    accounts = {name: create_account(name=name) for name in NAMES}
    api = world.api(client, "admin")
    names = lambda: [a["name"] for a in api.get("/accounts").get_json()["items"] if a["name"] in NAMES  # noqa: E731
                     or a["name"] == "艾派克"]
    assert names() == PINYIN_ORDER
    response = api.patch(f"/accounts/{accounts['招商证券'].id}", json={"name": "艾派克"})  # zhao… → ai…
    assert response.status_code == 200, response.get_json()
    assert names() == ["艾派克", "阿里云", "长沙银行", "华东移动"]
    assert all("sort_key" not in a for a in api.get("/accounts").get_json()["items"])


def test_migration_0006_fills_sort_keys_of_existing_accounts(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    upgrade(engine, "0005")
    with engine.begin() as conn:
        for i, name in enumerate(NAMES, start=1):
            conn.execute(text(
                "INSERT INTO account (id, name, name_en, aliases, industry, region, tier, coverage, description,"
                " search_key, version, created_at, updated_at) VALUES (:id, :name, '', '[]', '', '', 'standard',"
                " 'direct', '', '', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"), {"id": i, "name": name})
    upgrade(engine)
    with engine.connect() as conn:
        ordered = conn.execute(text("SELECT name, sort_key FROM account ORDER BY sort_key, id")).all()
    engine.dispose()
    assert [r.name for r in ordered] == PINYIN_ORDER
    assert ordered[1].sort_key == "changshayinhang 长沙银行"
