"""An empty query parameter means its default, silently (s6 fix 4): `sort=`, `type=`, `per_page=`, `page=`,
`group=`, `archived=` on the search page and the search API give no "unrecognised filter" message."""
from __future__ import annotations

import pytest

from models import UserRole

DROPPED_ZH = "部分筛选条件无法识别，已忽略。"


@pytest.fixture
def admin(create_user, create_group, create_account, create_interaction):
    create_interaction(create_account(group=create_group(), name="共同词客户"), title="共同词拜访")
    return create_user(role=UserRole.ADMIN)


@pytest.mark.parametrize("empty", ["sort", "type", "per_page", "page", "group", "archived", "date_from"])
def test_empty_parameter_is_the_default_silently(client, login_as, admin, empty):
    login_as(admin)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
    body = client.get("/api/v1/search", query_string={"q": "共同词", empty: ""}).get_json()
    assert body["total"] == 2 and not body["message"]
    page = client.get("/search", query_string={"q": "共同词", empty: ""})
    assert page.status_code == 200 and DROPPED_ZH not in page.get_data(as_text=True)


def test_unknown_sort_is_still_reported(client, login_as, admin):
    login_as(admin)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
    assert DROPPED_ZH in client.get("/search", query_string={"q": "共同词", "sort": "random"}).get_data(as_text=True)


@pytest.mark.parametrize("url", [
    "/accounts?q=&tier=&coverage=&group=&industry=&region=&archived=&page=",
    "/opportunities?account=&group=&stage=&status=&key_project=&page=",
    "/leads?account=&status=&page=",
    "/admin/exports?page=",
])
def test_empty_list_filters_on_pages_are_the_defaults(client, login_as, admin, url):
    login_as(admin)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
    page = client.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'class="error"' not in html and "筛选条件无效" not in html
