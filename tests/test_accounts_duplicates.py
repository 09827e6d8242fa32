"""Possible duplicate accounts: a new account whose name, English name or alias matches an existing one
after normalisation is refused until the author confirms (page: warning with links; API: 409)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from kb.services.duplicates import name_key
from kb.textnorm import normalize
from models import Account
from tests.api_support import assert_error, world  # noqa: F401
from tests.test_demo import demo_app, demo_template  # noqa: F401 — fixtures


@pytest.mark.parametrize("typed, existing", [
    ("华东移动通信有限公司", "华东移动通信有限公司"),
    ("华东移动通信", "华东移动通信股份有限公司"),
    ("华东移动通信集团有限公司", "华东移动通信有限公司"),
    ("华东 移动 通信", "华东移动通信"),
    ("ＥＣＭＣ", "ecmc"),
    ("East China Mobile Co., Ltd.", "EAST CHINA MOBILE"),
    ("East-China Mobile Inc.", "East China Mobile Corp."),
    ("Acme LLC", "ACME Limited"),
    ("Électricité de France", "ÉLECTRICITÉ DE FRANCE SA"),
    ("Straße AG", "STRASSE"),
])
def test_names_that_mean_the_same_customer_have_one_key(typed, existing):
    assert name_key(typed) == name_key(existing)


@pytest.mark.parametrize("one, other", [
    ("华东移动通信有限公司", "华东移动苏州分公司"),
    ("华东移动", "华东联通"),
    ("Costco", "Cost"),
    ("China Mobile", "China Unicom"),
])
def test_different_customers_keep_different_keys(one, other):
    assert name_key(one) != name_key(other)


def _count(app, name):
    with app.app_context():
        from kb.db import session
        return session.scalar(select(func.count()).select_from(Account).where(Account.name == name))


def test_api_refuses_a_possible_duplicate_until_confirmed(app, client, world):
    api = world.api(client, "admin")
    response = api.post("/accounts", json={"name": "中国移动浙江有限公司"})
    error = assert_error(response, 409)
    assert error["code"] == "possible_duplicate"
    assert error["matches"] == [{"id": world.account.id, "name": "中国移动浙江公司"}]
    assert _count(app, "中国移动浙江有限公司") == 0
    confirmed = api.post("/accounts", json={"name": "中国移动浙江有限公司", "confirm_duplicate": True})
    assert confirmed.status_code == 201, confirmed.get_json()
    assert _count(app, "中国移动浙江有限公司") == 1


@pytest.mark.parametrize("body", [
    {"name": "新客户", "aliases": ["ZJCM"]},           # an alias of the new one is an alias of the old one
    {"name": "ZJCM"},                                 # its name is the old one's alias
    {"name": "新客户", "name_en": "CHINA MOBILE ZHEJIANG Co., Ltd."},
    {"name": "浙江移动"},
])
def test_api_catches_matches_over_names_english_names_and_aliases(client, world, body):
    error = assert_error(world.api(client, "admin").post("/accounts", json=body), 409)
    assert [m["id"] for m in error["matches"]] == [world.account.id]


def test_api_creates_an_unrelated_account_without_asking(client, world):
    response = world.api(client, "admin").post("/accounts", json={"name": "浙江电信", "aliases": ["ZJT"]})
    assert response.status_code == 201


def test_api_rejects_a_confirmation_that_is_not_a_boolean(client, world):
    assert_error(world.api(client, "admin").post("/accounts", json={"name": "浙江移动", "confirm_duplicate": "yes"}),
                 422, "confirm_duplicate")


@pytest.fixture
def admin(create_user, login_as):
    user = create_user(role="admin", name="管理员")
    login_as(user)
    return user


def test_page_warns_with_links_keeps_the_input_and_creates_after_confirmation(app, client, admin,
                                                                           create_account):
    existing = create_account(name="华东移动通信有限公司", aliases=["华东移动", "ECMC"])
    form = client.get("/accounts/new").get_data(as_text=True)
    assert "confirm_duplicate" not in form
    data = {"name": "ECMC", "name_en": "", "aliases": "东移二号", "industry": "电信", "region": "华东",
            "tier": "key", "coverage": "direct", "customer_group_id": "", "parent_id": "",
            "description": "重复录入的客户"}
    response = client.post("/accounts/new", data=data)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert f'href="/accounts/{existing.id}"' in html and "华东移动通信有限公司" in html
    assert 'name="confirm_duplicate"' in html
    assert "东移二号" in html and "重复录入的客户" in html  # nothing typed is lost
    assert _count(app, "ECMC") == 0
    confirmed = client.post("/accounts/new", data={**data, "confirm_duplicate": "y"})
    assert confirmed.status_code == 302
    assert _count(app, "ECMC") == 1


def test_page_creates_an_unrelated_account_directly(app, client, admin, create_account):
    create_account(name="华东移动通信有限公司")
    response = client.post("/accounts/new", data={"name": "华南电信", "tier": "key", "coverage": "direct",
                                                  "customer_group_id": "", "parent_id": ""})
    assert response.status_code == 302 and _count(app, "华南电信") == 1


@pytest.mark.parametrize("name", ["华东移动通信有限公司", "ECMC", "华东移动通信股份有限公司", "ｅｃｍｃ"])
def test_demo_account_typed_again_is_caught(demo_app, name):
    from models import User
    from tests.api_support import Api, make_token
    with demo_app.app_context():
        from kb.db import session
        admin = session.scalar(select(User).where(User.email == "admin@demo.kb"))
        session.expunge(admin)
        ecmc_id = session.scalar(select(Account.id).where(Account.name == "华东移动通信有限公司"))
    api = Api(demo_app.test_client(), make_token(demo_app, admin))
    error = assert_error(api.post("/accounts", json={"name": name}), 409)
    assert {"id": ecmc_id, "name": "华东移动通信有限公司"} in error["matches"]


def test_traditional_spelling_is_a_possible_duplicate():
    assert name_key("華東移動通信有限公司") == name_key("华东移动通信有限公司")
    assert name_key("台灣大哥大股份有限公司") == name_key("台湾大哥大")
