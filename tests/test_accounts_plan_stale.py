"""The account list's plan column marks stale answers instead of counting them as fresh."""
from __future__ import annotations

import re

import pytest

from models import AccountPlan


def _plan_cell(html: str, name: str) -> str:
    row = re.search(rf"<tr[^>]*>\s*<td>\s*<a[^>]*><strong>{name}</strong>.*?</tr>", html, re.S).group(0)
    return re.findall(r"<td[^>]*>.*?</td>", row, re.S)[6]


def _make_old(app, plan_id: int, *keys: str) -> None:
    with app.app_context():
        from kb.db import session
        stored = session.get(AccountPlan, plan_id)
        stored.field_changes = {k: {"by": None, "at": "2020-01-01T00:00:00+00:00"} for k in keys}
        session.commit()


@pytest.mark.parametrize("lang, stale_text, title", [
    ("en", "· 1 stale", "3 of 5 answered, 1 of them stale"),
    ("zh-CN", "· 1 项过时", "已回答 3/5，其中 1 项已过时"),
])
def test_stale_answer_is_marked_in_the_list(app, client, login_as, create_user, create_account, create_plan,
                                            lang, stale_text, title):
    me = create_user()
    old = create_account(name="久未更新客户", members=[me])
    plan = create_plan(old, strategy="多年前写的战略", customers_customer="终端用户", profit_model="服务费")
    _make_old(app, plan.id, "strategy")
    fresh = create_account(name="新鲜客户", members=[me])
    create_plan(fresh, strategy="刚写的", customers_customer="终端用户", profit_model="服务费")
    login_as(me)
    html = client.get("/accounts", headers={"Accept-Language": lang}).get_data(as_text=True)
    old_cell, fresh_cell = _plan_cell(html, "久未更新客户"), _plan_cell(html, "新鲜客户")
    assert "3/5" in old_cell and stale_text in old_cell and title in old_cell
    assert old_cell.count('class="on stale"') == 1 and old_cell.count('class="on"') == 2
    assert "3/5" in fresh_cell and "stale" not in fresh_cell and "过时" not in fresh_cell


def test_stale_rule_follows_the_setting(app, client, login_as, create_user, create_account, create_plan):
    me = create_user()
    account = create_account(name="久未更新客户", members=[me])
    plan = create_plan(account, strategy="多年前写的战略")
    _make_old(app, plan.id, "strategy")
    app.config["STALE_AFTER_DAYS"] = 100000
    login_as(me)
    html = client.get("/accounts", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "stale" not in _plan_cell(html, "久未更新客户")


def test_home_meter_marks_stale_answers_too(app, client, login_as, create_user, create_account, create_plan):
    """The home page's plan meter uses the same rule as the account list (one place: plan_status)."""
    me = create_user()
    old = create_account(name="久未更新客户", members=[me])
    plan = create_plan(old, strategy="多年前写的战略", customers_customer="终端用户", profit_model="服务费")
    _make_old(app, plan.id, "strategy", "profit_model")
    login_as(me)
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    row = re.search(r"<tr>\s*<td><a[^>]*><strong>久未更新客户</strong>.*?</tr>", html, re.S).group(0)
    assert "3/5" in row and "· 2 stale" in row and "3 of 5 answered, 2 of them stale" in row
    assert row.count('class="on stale"') == 2 and row.count('class="on"') == 1
