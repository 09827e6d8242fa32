"""`archived=maybe` is a bad filter, not a quiet yes (fresh tester, session 10): the search page dropped it
into "include archived" while the search API answered 422. One rule (kb.inputs.CHECKBOX_YES) for the search
page, the search API and the account list."""
from __future__ import annotations

import pytest

from models import UserRole, utcnow

DROPPED_ZH = "部分筛选条件无法识别，已忽略。"


@pytest.fixture
def admin(create_user, create_account):
    create_account(name="在用共同词客户")
    create_account(name="归档共同词客户", archived_at=utcnow())
    return create_user(role=UserRole.ADMIN)


def _search_page(client, archived):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
    return client.get("/search", query_string={"q": "共同词", "archived": archived}).get_data(as_text=True)


@pytest.mark.parametrize("value", ["maybe", "no", "on2", "是"])
def test_search_page_drops_an_unknown_archived_value_with_the_message(client, login_as, admin, value):
    login_as(admin)
    html = _search_page(client, value)
    assert DROPPED_ZH in html
    assert "在用共同词客户" in html and "归档共同词客户" not in html


@pytest.mark.parametrize("value", ["y", "true", "1"])
def test_search_page_and_api_include_archived_for_the_yes_values(client, login_as, admin, value):
    login_as(admin)
    html = _search_page(client, value)
    assert "归档共同词客户" in html and DROPPED_ZH not in html
    body = client.get("/api/v1/search", query_string={"q": "共同词", "archived": value}).get_json()
    assert body["total"] == 2


def test_search_api_refuses_the_same_value(client, login_as, admin):
    login_as(admin)
    response = client.get("/api/v1/search", query_string={"q": "共同词", "archived": "maybe"})
    assert response.status_code == 422


def test_account_list_ignores_and_shows_an_unknown_archived_value(client, login_as, admin):
    login_as(admin)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
    html = client.get("/accounts", query_string={"archived": "maybe"}).get_data(as_text=True)
    assert "在用共同词客户" in html and "归档共同词客户" not in html
    assert "y, true, 1" in html  # the field's message says what it takes
    assert "归档共同词客户" in client.get("/accounts", query_string={"archived": "y"}).get_data(as_text=True)
