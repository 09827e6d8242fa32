"""One paging rule for every paged web list (s6 fix 2): a page past the end shows the last page, never an
"empty" message beside a non-zero total; junk, negative and huge pages show page 1. The API keeps its
documented contract (a page past the end is an empty list)."""
from datetime import date

import pytest

from models import UserRole


@pytest.fixture(autouse=True)
def chinese(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"


@pytest.fixture
def world(create_user, create_group, create_account, create_stakeholder, create_interaction):
    admin = create_user(role=UserRole.ADMIN)
    group = create_group(name="华东客户群")
    accounts = [create_account(group=group, name=f"客户{i:02d}") for i in range(27)]  # 2 pages of 25
    person = create_stakeholder(accounts[0], name="张总")
    for i in range(11):  # 2 pages of 10 visits
        create_interaction(accounts[0], title=f"拜访{i:02d}", stakeholders=[person],
                           occurred_on=date(2026, 1, i + 1))
    return dict(admin=admin, group=group, person=person)


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("page, shown, group_shown", [
    ("4", "第 2 页，共 2 页", "第 3 页，共 3 页"), ("99999999999", "第 1 页，共 2 页", "第 1 页，共 3 页"),
    ("-4", "第 1 页，共 2 页", "第 1 页，共 3 页"), ("abc", "第 1 页，共 2 页", "第 1 页，共 3 页")])
def test_group_and_stakeholder_pages_past_the_end(client, login_as, world, page, shown, group_shown):
    login_as(world["admin"])
    html = get(client, f"/groups/{world['group'].id}?page={page}")  # 3 pages of 10 (ACCOUNTS_PER_PAGE)
    assert group_shown in html and "尚无客户" not in html and "No accounts in this group yet" not in html
    if page == "4":
        listed = html.split('id="accounts-h"')[1].split('</table>')[0]
        assert "客户26" in listed and "客户20" in listed and "客户19" not in listed  # the last page's accounts
    html = get(client, f"/stakeholders/{world['person'].id}?page={page}")
    assert shown in html and "尚无拜访记录" not in html
    if page == "4":
        assert "拜访00" in html  # the oldest visit sits on the last page


def test_accounts_list_past_the_end_shows_last_page(client, login_as, world):
    login_as(world["admin"])
    html = get(client, "/accounts?page=50")
    assert "第 2 页，共 2 页" in html and "客户26" in html


def test_api_keeps_its_contract_past_the_end(client, login_as, world):
    login_as(world["admin"])
    body = client.get("/api/v1/accounts", query_string={"page": 50}).get_json()
    assert body["items"] == [] and body["page"] == 50 and body["total"] == 27


def test_search_page_past_the_end_shows_the_last_page(client, login_as, world):
    login_as(world["admin"])
    html = get(client, "/search?q=拜访&per_page=5&page=99")
    assert "第 3 页，共 3 页" in html and "第 99 页" not in html
    assert html.count('<li class="hit ') == 1  # 11 visits, 5 a page: the last page holds one
