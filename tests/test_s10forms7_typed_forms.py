"""Search misses what people type, the last members (issue 7 §2, session 10), in search (the search page and
`GET /api/v1/search`) and, where names match, in the account list filter through the same rule:

1. a compound's letter parts without its number, and its runs written together: `wifi`, `WiFi`, `Wi-Fi`
   find `Wi-Fi6` (`Wi-Fi 6` as before); `S4` finds `S/4HANA`; `MES`, `galaxy`, `iphone` keep finding
   `MES3.0`, `Galaxy1.5`, `iPhone15`; a version's numbers are not run together (`v52` finds no `V5.2.1`);
2. an ampersand name typed with spaces: `AT & T`, `R & D`, `P & G`, `A & B` find `AT&T`, `R&D`, `P&G`, `A&B`
   (and `AT&T` finds the text "AT & T"); `Johnson & Johnson` stays two words;
3. the apostrophe left out: `ONeil`, `oneil` find `O'Neil` and `O’Neil` (a stakeholder's name, a note),
   as `O'Neil` and `O Neil` do; `LOreal` finds `L'Oréal`, `McDonalds` `McDonald's`.
Migration 0024 refills the list's word keys of existing accounts with these forms.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from kb.account_keys import account_name_clause, account_word_key
from kb.migrate import upgrade
from kb.search.schema import SCHEMA_VERSION
from models import Account, UserRole
from tests.api_support import world  # noqa: F401 — fixture
from tests.search_support import find, keys
from tests.test_s8filt7_list_pinyin import found_by_search, listed_on_page, named_accounts
from tests.test_s8filt7_list_pinyin import old_engine  # noqa: F401 — fixture (SQLite, and PostgreSQL)

NOTES = {
    "wifi6": "部署 Wi-Fi6 无线网络", "wifi_6": "部署 Wi-Fi 6 无线网络", "wimax": "旧的 Wi-Max 基站",
    "s4": "上线 S/4HANA 系统", "s5": "评估 S/5 方案", "mes": "MES3.0 改造", "galaxy": "采购 Galaxy1.5 终端",
    "iphone": "采购 iPhone15 手机", "version": "升级到 V5.2.1 版本",
    "att": "与 AT&T 合作", "att_apart": "与 AT & T 的合同", "rd": "R&D 中心", "pg": "P&G 客户",
    "ab": "A&B 测试", "r_d": "R 型号与 D 型号", "jj": "Johnson and Johnson 合作",
    "oneil": "拜访 O'Neil 先生", "oneil2": "拜访O’Neil女士", "mcd": "McDonald's 门店",
    "loreal": "L'Oréal 集团", "neil": "Neil 的邮件",
}


@pytest.fixture
def viewer(create_user):
    return create_user(role=UserRole.VIEWER, name="查看者")


@pytest.fixture
def notes(create_account, create_interaction, create_stakeholder):
    account = create_account(name="探针客户", name_en="", region="", industry="")
    made = {name: f"interaction:{create_interaction(account, title='纪要', summary=s).id}"
            for name, s in NOTES.items()}
    made["person"] = f"stakeholder:{create_stakeholder(account, name='Sean O’Neil', title='CIO').id}"
    return made


SEARCHED = [
    # 1. a compound's letter parts without the number, runs written together
    ("wifi", {"wifi6", "wifi_6"}), ("WiFi", {"wifi6", "wifi_6"}), ("Wi-Fi", {"wifi6", "wifi_6"}),
    ("Wi-Fi6", {"wifi6", "wifi_6"}), ("Wi-Fi 6", {"wifi6", "wifi_6"}), ("wifi6", {"wifi6", "wifi_6"}),
    ("S4", {"s4"}), ("S/4", {"s4"}), ("S4HANA", {"s4"}), ("HANA", {"s4"}), ("MES", {"mes"}),
    ("galaxy", {"galaxy"}), ("iphone", {"iphone"}), ("iPhone15", {"iphone"}), ("V5.2.1", {"version"}),
    ("v52", set()), ("521", set()), ("wimax", {"wimax"}), ("S5", {"s5"}),
    # 2. ampersand names typed with spaces (or not)
    ("AT & T", {"att", "att_apart"}), ("AT&T", {"att", "att_apart"}), ("at &t", {"att", "att_apart"}),
    ("ATT", {"att"}), ("R & D", {"rd"}), ("R&D", {"rd"}), ("P & G", {"pg"}), ("A & B", {"ab"}),
    ("Johnson & Johnson", {"jj"}),
    # 3. the apostrophe left out (a note, a stakeholder's name)
    ("ONeil", {"oneil", "oneil2", "person"}), ("oneil", {"oneil", "oneil2", "person"}),
    ("O'Neil", {"oneil", "oneil2", "person"}), ("O’Neil", {"oneil", "oneil2", "person"}),
    ("O Neil", {"oneil", "oneil2", "person"}), ("Neil", {"oneil", "oneil2", "person", "neil"}),
    ("McDonalds", {"mcd"}), ("McDonald's", {"mcd"}), ("LOreal", {"loreal"}), ("loreal", {"loreal"}),
    ("L'Oréal", {"loreal"}), ("L'Oreal", {"loreal"}), ("LOréal", {"loreal"}),
]


@pytest.mark.parametrize("q, expected", SEARCHED)
def test_search_finds_what_was_typed(app, viewer, notes, q, expected):
    assert keys(find(app, q, viewer)) == {notes[n] for n in expected}


def test_the_search_page_and_the_api_find_them(client, login_as, viewer, notes):
    login_as(viewer)
    html = client.get("/search", query_string={"q": "AT & T"}).get_data(as_text=True)
    assert "合作" in html and "合同" in html and "中心" not in html  # AT&T, "AT & T"; not R&D
    body = client.get("/api/v1/search", query_string={"q": "oneil"}).get_json()
    assert {f"{r['type']}:{r['id']}" for r in body["results"]} == {notes[n] for n in ("oneil", "oneil2", "person")}
    body = client.get("/api/v1/search", query_string={"q": "wifi"}).get_json()
    assert {f"{r['type']}:{r['id']}" for r in body["results"]} == {notes["wifi6"], notes["wifi_6"]}


def test_the_index_was_rebuilt_for_these_forms():
    assert SCHEMA_VERSION >= 10  # older indexes lack wifi, s4, oneil: they rebuild themselves


# --- the account list filter agrees on names -----------------------------------------------------------------

WIFI, S4, ATT, PG, ONEIL, LOREAL, MCD = "无线科技", "云图科技", "安泰通信", "宝洁中国", "奥尼尔咨询", "欧莱雅", "麦当劳"


@pytest.fixture
def named(app, world, create_account):
    rows = [
        (WIFI, "Wi-Fi6 Networks", []), (S4, "Yuntu Technology", ["S/4HANA Partner"]), (ATT, "AT&T", []),
        (PG, "P & G China", []), (ONEIL, "O'Neil Consulting", []), (LOREAL, "L’Oréal China", []),
        (MCD, "McDonald's", []),
    ]
    return named_accounts(app, world, create_account, rows)


LISTED = [
    ("wifi", {WIFI}), ("WiFi", {WIFI}), ("Wi-Fi", {WIFI}), ("Wi-Fi 6", {WIFI}), ("Wi-Fi6", {WIFI}),
    ("S4", {S4}), ("s4hana", {S4}), ("S5", set()),
    ("AT & T", {ATT}), ("AT&T", {ATT}), ("ATT", {ATT}), ("P & G", {PG}), ("P&G", {PG}), ("R & D", set()),
    ("ONeil", {ONEIL}), ("oneil", {ONEIL}), ("O'Neil", {ONEIL}), ("O’Neil", {ONEIL}), ("O Neil", {ONEIL}),
    ("LOreal", {LOREAL}), ("loreal", {LOREAL}), ("L'Oréal", {LOREAL}), ("McDonalds", {MCD}),
    ("McDonald's", {MCD}),
]


@pytest.mark.parametrize("q, expected", LISTED)
def test_search_finds_the_accounts(app, world, named, q, expected):
    assert found_by_search(app, q, world.viewer, named) == expected


@pytest.mark.parametrize("q, expected", LISTED)
def test_page_lists_the_same_accounts(client, login_as, world, named, q, expected):
    login_as(world.viewer)
    response = client.get("/accounts", query_string={"q": q})
    assert response.status_code == 200
    assert listed_on_page(response.get_data(as_text=True), named) == expected


@pytest.mark.parametrize("q, expected", LISTED)
def test_api_lists_the_same_accounts(client, world, named, q, expected):
    body = world.api(client, "viewer").get("/accounts", query_string={"q": q, "per_page": 100}).get_json()
    assert {a["name"] for a in body["items"]} == expected


def test_migration_0024_refills_the_keys_with_the_new_forms(old_engine):
    upgrade(old_engine, "0023")
    rows = [("无线科技", "Wi-Fi6 Networks", "[]"), ("奥尼尔咨询", "O'Neil Consulting", "[]"),
            ("云图科技", "", '["S/4HANA Partner"]')] + [(f"测试客户{i}", "", "[]") for i in range(600)]
    with old_engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO account (id, name, name_en, aliases, industry, region, tier, coverage, description,"
            " version, created_at, updated_at, pinyin_key) VALUES (:id, :name, :en, :aliases, '', '',"
            " 'standard', 'direct', '', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00', ' stale ')"),
            [{"id": i + 1, "name": name, "en": en, "aliases": aliases}
             for i, (name, en, aliases) in enumerate(rows)])
    upgrade(old_engine)
    with Session(old_engine) as session:
        stored = dict(session.execute(select(Account.name, Account.pinyin_key)).all())
        assert stored["云图科技"] == account_word_key("云图科技", "", ["S/4HANA Partner"])
        assert all(stored[name] == account_word_key(name, en, []) for name, en, a in rows if a == "[]")
        for q, expected in [("wifi", ["无线科技"]), ("oneil", ["奥尼尔咨询"]), ("S4", ["云图科技"]), ("stale", [])]:
            assert list(session.scalars(select(Account.name).where(account_name_clause(q)))) == expected, q
