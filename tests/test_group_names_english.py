"""In the English UI a customer group shows its English name (falling back to its name) wherever a group
name is shown: lists, account pages, group pages, selects, search facets, admin pages. Chinese UI: its name."""
from __future__ import annotations

import re

import pytest

from models import SeatRole, UserRole

ZH, EN = "华东运营商群", "East China Carriers"


@pytest.fixture
def world(create_user, create_group, create_account, create_seat):
    group = create_group(name=ZH, name_en=EN)
    bare = create_group(name="无英文名群", name_en="")
    holder = create_user(name="王五")
    create_seat(group, holder, SeatRole.AR)
    return dict(admin=create_user(role=UserRole.ADMIN), group=group, bare=bare,
                account=create_account(group=group, name="浙江移动"), holder=holder)


def _get(client, path, lang):
    response = client.get(path, headers={"Accept-Language": lang})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _h1(html):
    return re.search(r"<h1>(.*?)</h1>", html, re.S).group(1).strip()


@pytest.mark.parametrize("lang, shown, hidden", [("en", EN, ZH), ("zh-CN", ZH, EN)])
def test_pages_show_the_group_name_in_the_ui_language(client, login_as, world, lang, shown, hidden):
    login_as(world["admin"])
    group_link = re.compile(rf'href="/groups/{world["group"].id}"[^>]*>\s*([^<]*?)\s*(›\s*)?</a>')
    account_list = _get(client, "/accounts", lang)
    assert group_link.search(account_list).group(1) == shown
    assert re.search(rf'<option value="{world["group"].id}"[^>]*>{shown}</option>', account_list)
    account_page = _get(client, f"/accounts/{world['account'].id}", lang)
    assert {m.group(1) for m in group_link.finditer(account_page)} == {shown}
    group_page = _get(client, f"/groups/{world['group'].id}", lang)
    assert _h1(group_page) == shown and f"<title>{shown}" in group_page
    groups = _get(client, "/groups", lang)
    assert group_link.search(groups).group(1) == shown and hidden in groups  # the other name as subtitle
    form = _get(client, "/accounts/new", lang)
    assert re.search(rf'<option value="{world["group"].id}"[^>]*>{shown}</option>', form)
    users = _get(client, "/admin/users", lang)
    assert f"AR · {shown}" in users and f"AR · {hidden}" not in users


def test_group_without_english_name_shows_its_name_in_english(client, login_as, world):
    login_as(world["admin"])
    html = _get(client, f"/groups/{world['bare'].id}", "en")
    assert _h1(html) == "无英文名群"
    assert re.search(rf'<option value="{world["bare"].id}"[^>]*>无英文名群</option>', _get(client, "/accounts", "en"))


@pytest.mark.parametrize("lang, shown", [("en", EN), ("zh-CN", ZH)])
def test_search_group_facet_uses_the_ui_language(client, login_as, world, lang, shown):
    login_as(world["admin"])
    html = _get(client, "/search?q=浙江移动", lang)
    assert f"{shown} (1)" in html
