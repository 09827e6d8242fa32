"""The account list filter (`/accounts?q=`, `GET /api/v1/accounts?q=`) finds accounts by the pinyin search
finds them by (issue 7 §1, §3): runs of full syllables (`yinhang`, `huadongyidong`), initials of whole names
(`zgyd`, `hdyd`), a prefix of a form from PINYIN_PREFIX_MIN letters (`changsha`, `yinh`), words apart
(`chang sha`) — and not raw pieces of the pinyin (`angsha`). The list and search agree on which accounts
a query finds; migration 0020 fills the key of accounts that existed before it."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from kb.account_keys import account_name_clause, account_pinyin_key, account_word_key
from kb.migrate import upgrade
from kb.search.documents import account_document
from kb.search.query import PINYIN_PREFIX_MIN
from models import Account, User
from tests.api_support import world  # noqa: F401 — fixture
from tests.conftest import PG_URL
from tests.search_support import find
from tests.test_demo import demo_app, demo_template  # noqa: F401 — fixtures

_ROW = re.compile(r'<a href="/accounts/(\d+)"><strong>')


@pytest.fixture
def named(world, create_account):
    """Accounts by name: the API world's 中国移动浙江公司 and three more, in its customer group."""
    accounts = {
        "长沙银行": create_account(group=world.group, name="长沙银行", name_en="BCS Bank", aliases=["长行"]),
        "中国移动": create_account(group=world.group, name="中国移动", name_en="China Mobile", aliases=["CMCC"]),
        "华东移动": create_account(group=world.group, name="华东移动", name_en="ECMC", aliases=["East China Mobile"]),
    }
    accounts[world.account.name] = world.account
    return accounts


ZJ = "中国移动浙江公司"
CASES = [
    ("zgyd", {"中国移动", ZJ}),  # initials of the whole name; a prefix of 中国移动浙江公司's (zgydzjgs)
    ("ZGYD", {"中国移动", ZJ}),
    ("yidong", {"中国移动", "华东移动", ZJ}),  # a run of syllables inside the name
    ("yinhang", {"长沙银行"}),
    ("changsha", {"长沙银行"}),  # a prefix of changshayinhang
    ("chang sha", {"长沙银行"}),  # words apart: each a form (sha) or a form's start (chang…)
    ("huadongyidong", {"华东移动"}),
    ("hdyd", {"华东移动"}),
    ("hua dong", {"华东移动"}),
    ("huadong yidong", {"华东移动"}),
    ("yinh", {"长沙银行"}),  # PINYIN_PREFIX_MIN letters: a prefix
    ("yin", {"长沙银行"}),  # a whole syllable
    ("zhejiang", {ZJ}),
    ("angsha", set()),  # inside a form, not the start of one: search does not find it either
    ("ydong", set()),
    ("zho", set()),  # three letters: only a whole form, and zho is none
    ("csy", set()),  # runs of initials are not forms (csyh is)
    ("zz", set()),
]


def listed_on_page(html: str, accounts: dict[str, Account]) -> set[str]:
    ids = {int(i) for i in _ROW.findall(html)}
    return {name for name, account in accounts.items() if account.id in ids}



def named_accounts(app, world, create_account, rows):
    """{name: account} of `rows` [(name, English name, aliases)] created in the API world's customer group,
    with the world's own account; every region and industry blank, so that only names can match (the
    world account's region 华东 is in its search document's text, not in its names)."""
    accounts = {name: create_account(group=world.group, name=name, name_en=name_en, aliases=aliases,
                                     region="", industry="") for name, name_en, aliases in rows}
    with app.app_context():
        from kb.db import session

        session.get(Account, world.account.id).region = ""
        session.commit()
    accounts[world.account.name] = world.account
    return accounts

def found_by_search(app, q: str, user: User, accounts: dict[str, Account], **params) -> set[str]:
    outcome = find(app, q, user, types=("account",), per_page=100, **params)
    ids = {hit.id for hit in outcome.hits}
    return {name for name, account in accounts.items() if account.id in ids}


def test_the_prefix_rule_is_searchs():
    assert PINYIN_PREFIX_MIN == len("yinh")  # (the cases above are written for it)


@pytest.mark.parametrize("q, expected", CASES)
def test_page_lists_accounts_by_pinyin(client, login_as, world, named, q, expected):
    login_as(world.viewer)
    response = client.get("/accounts", query_string={"q": q})
    assert response.status_code == 200
    assert listed_on_page(response.get_data(as_text=True), named) == expected


@pytest.mark.parametrize("q, expected", CASES)
def test_api_lists_accounts_by_pinyin(client, world, named, q, expected):
    body = world.api(client, "viewer").get("/accounts", query_string={"q": q, "per_page": 100}).get_json()
    assert {a["name"] for a in body["items"]} == expected
    assert body["total"] == len(expected)
    assert all("pinyin_key" not in a for a in body["items"])


@pytest.mark.parametrize("q, expected", CASES)
def test_search_finds_the_same_accounts(app, world, named, q, expected):
    assert found_by_search(app, q, world.viewer, named) == expected


def test_export_of_the_list_follows_the_filter(client, login_as, world, named):
    login_as(world.viewer)
    csv = client.get("/accounts/export.csv", query_string={"q": "yinhang"})
    body = csv.get_data(as_text=True)
    assert csv.status_code == 200 and "长沙银行" in body and "华东移动" not in body


def test_the_key_holds_searchs_forms_each_between_spaces(app, named):
    with app.app_context():
        from kb.db import session

        bank = session.get(Account, named["长沙银行"].id)
        # (h/s8filt7b: the key also holds the words of the names, before the forms)
        assert bank.pinyin_key == account_word_key("长沙银行", "BCS Bank", ["长行"])
        assert bank.pinyin_key == " bcs bank \n" + account_pinyin_key("长沙银行", ["长行"])  # (h/s9l7: \n)
        assert bank.pinyin_key.endswith(f" {account_document(bank)['pinyin']} ")  # one rule, not two
        assert " yinhang " in bank.pinyin_key and " csyh " in bank.pinyin_key
        assert " angsha" not in bank.pinyin_key
    assert account_pinyin_key("ECMC", ["East China Mobile"]) == ""  # no Chinese, no pinyin
    assert account_name_clause("  ") is None


def test_a_renamed_account_is_found_by_its_new_pinyin_not_its_old(app, client, world, named):
    from kb.services.accounts import update_account

    with app.test_request_context():
        from kb.db import session

        admin = session.get(User, world.admin.id)
        bank = session.get(Account, named["长沙银行"].id)
        update_account(account=bank, author=admin, name="湘江银行", aliases=["湘行"])
        session.commit()
    api = world.api(client, "viewer")

    def names(q: str) -> set[str]:
        return {a["name"] for a in api.get("/accounts", query_string={"q": q}).get_json()["items"]}

    assert names("xiangjiang") == {"湘江银行"}
    assert names("xjyh") == {"湘江银行"}
    assert names("yinhang") == {"湘江银行"}
    assert names("changsha") == set()
    assert names("csyh") == set()
    assert names("bcs bank") == {"湘江银行"}  # the English name was not changed
    renamed = {"湘江银行": named["长沙银行"]}
    assert found_by_search(app, "xiangjiang", world.viewer, renamed) == {"湘江银行"}
    assert found_by_search(app, "csyh", world.viewer, renamed) == set()


def test_every_reader_sees_the_same_accounts_and_archived_ones_only_when_asked(app, client, login_as, world,
                                                                                named):
    for who in ("viewer", "outsider", "seated", "admin"):  # every signed-in reader reads every account
        body = world.api(client, who).get("/accounts", query_string={"q": "changsha"}).get_json()
        assert [a["name"] for a in body["items"]] == ["长沙银行"], who
    admin = world.api(client, "admin")
    bank = admin.get(f"/accounts/{named['长沙银行'].id}").get_json()
    assert admin.patch(f"/accounts/{bank['id']}", json={"archived": True}).status_code == 200
    viewer = world.api(client, "viewer")
    assert viewer.get("/accounts", query_string={"q": "changsha"}).get_json()["items"] == []
    archived = viewer.get("/accounts", query_string={"q": "changsha", "include_archived": "true"}).get_json()
    assert [a["name"] for a in archived["items"]] == ["长沙银行"]
    login_as(world.viewer)
    assert listed_on_page(client.get("/accounts?q=changsha").get_data(as_text=True), named) == set()
    with_archived = client.get("/accounts?q=changsha&archived=y").get_data(as_text=True)
    assert listed_on_page(with_archived, named) == {"长沙银行"}
    assert found_by_search(app, "changsha", world.viewer, named) == set()
    assert found_by_search(app, "changsha", world.viewer, named, include_archived=True) == {"长沙银行"}


def test_nobody_signed_out_lists_accounts(app, world, named):
    anonymous = app.test_client()
    assert anonymous.get("/api/v1/accounts", query_string={"q": "changsha"}).status_code == 401
    page = anonymous.get("/accounts", query_string={"q": "changsha"})
    assert page.status_code in (302, 401) and "长沙银行" not in page.get_data(as_text=True)


@pytest.mark.parametrize("q", ["a" * 200, "%", "_a", "ang%sha"])  # (h/s8filt7b: more than 8 words is a 422)
def test_long_or_odd_queries_are_answered_without_error(client, world, named, q):
    response = world.api(client, "viewer").get("/accounts", query_string={"q": q})
    assert response.status_code == 200
    assert response.get_json()["items"] == []


# --- the list and search agree, on the demo data ------------------------------------------------------------

#: (query, the accounts the list and search both find); None: not written out, only compared.
DEMO_CASES = [
    ("华东移动", {"华东移动通信有限公司", "华东移动苏州分公司"}),
    ("華東移動", {"华东移动通信有限公司", "华东移动苏州分公司"}),  # traditional
    ("ＥＣＭＣ", {"华东移动通信有限公司", "华东移动苏州分公司"}),  # full width
    ("EcMc", None),
    ("云岭广电", {"云岭广电网络股份有限公司"}),  # an alias
    ("Blue Whale", {"蓝鲸汽车集团股份有限公司"}),
    ("bank", None),
    ("zgyd", {"华东移动通信有限公司"}),  # the start of its alias 中国移动华东公司's initials
    ("yinhang", {"长江商业银行股份有限公司", "海峡农村商业银行"}),
    ("yidong", None),
    ("huadongyidong", {"华东移动通信有限公司", "华东移动苏州分公司"}),
    ("hdyd", None),
    ("hua dong", None),
    ("chang jiang", {"长江商业银行股份有限公司"}),
    ("LJQC", {"蓝鲸汽车集团股份有限公司"}),  # initials, in capitals
    ("dianwang", {"云岭广电网络股份有限公司", "北方电网有限公司"}),
    ("jzsdsjglj", {"江州市大数据管理局"}),
    ("zhengquan", set()),  # 瀚海证券 is archived
    ("ren", None),
    ("angsha", set()),
    ("ydong", set()),
    ("jzs", set()),
    ("zz", set()),
]


def test_list_and_search_find_the_same_accounts_on_the_demo_data(demo_app):
    with demo_app.test_request_context():
        from kb.db import session
        from kb.search.searching import SearchParams, search
        from kb.services.accounts import account_filters_stmt

        viewer = session.scalar(select(User).where(User.email == "viewer@demo.kb"))
        for q, expected in DEMO_CASES:
            listed = set(session.scalars(select(Account.name).where(
                Account.id.in_(account_filters_stmt(q=q).with_only_columns(Account.id)))))
            hits = search(SearchParams(q=q, types=("account",), per_page=100), viewer, with_facets=False).hits
            found = set(session.scalars(select(Account.name).where(Account.id.in_([h.id for h in hits]))))
            assert listed == found, q
            assert expected is None or listed == expected, q
        assert len(DEMO_CASES) >= 15


def test_every_demo_account_keeps_its_documents_pinyin(demo_app):
    with demo_app.app_context():
        from kb.db import session

        accounts = session.scalars(select(Account)).all()
        assert len(accounts) >= 12
        for account in accounts:
            assert account.pinyin_key.endswith(f" {account_document(account)['pinyin']} "), account.name


def test_demo_list_page_and_api_by_pinyin(demo_app):
    from tests.test_demo import DEMO_PASSWORD

    client = demo_app.test_client()
    client.post("/login", data={"email": "viewer@demo.kb", "password": DEMO_PASSWORD})
    html = client.get("/accounts", query_string={"q": "yinhang"}).get_data(as_text=True)
    assert "长江商业银行股份有限公司" in html and "海峡农村商业银行" in html and "华东移动通信有限公司" not in html
    body = client.get("/api/v1/accounts", query_string={"q": "zgyd"}).get_json()
    assert [a["name"] for a in body["items"]] == ["华东移动通信有限公司"]


# --- migration 0020 ----------------------------------------------------------------------------------------

SCHEMA = "kb_s8filt7_migration"
ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not PG_URL, reason="PostgreSQL run only (KB_TEST_DATABASE_URL not set)"))]


@pytest.fixture(params=ENGINES)
def old_engine(request, tmp_path):
    """An empty database (SQLite file, or a schema of its own on the test PostgreSQL)."""
    if request.param == "sqlite":
        engine = create_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
        yield engine
        engine.dispose()
        return
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    engine = create_engine(PG_URL, connect_args={"options": f"-csearch_path={SCHEMA}"})
    yield engine
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    admin.dispose()


def test_migration_0020_fills_the_key_of_every_existing_account(old_engine):
    upgrade(old_engine, "0019")
    names = ["中国移动", "长沙银行"] + [f"测试客户{i}" for i in range(1100)]  # more than two batches of 500
    with old_engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO account (id, name, name_en, aliases, industry, region, tier, coverage, description,"
            " version, created_at, updated_at) VALUES (:id, :name, '', :aliases, '', '', 'standard',"
            " 'direct', '', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"),
            [{"id": i + 1, "name": name, "aliases": '["华东移动"]' if i == 0 else "[]"}
             for i, name in enumerate(names)])
    upgrade(old_engine)
    with Session(old_engine) as session:
        keys = dict(session.execute(select(Account.name, Account.pinyin_key)).all())
        assert keys["中国移动"] == account_word_key("中国移动", "", ["华东移动"])
        assert all(keys[name] == account_word_key(name, "", []) != "" for name in names[1:])
        for q, expected in [("zgyd", ["中国移动"]), ("hdyd", ["中国移动"]), ("yinhang", ["长沙银行"]),
                            ("angsha", [])]:
            assert list(session.scalars(select(Account.name).where(account_name_clause(q)))) == expected, q
