"""Home's "My accounts" for a member comes from their dashboard (the same accounts, already read with their
plans' figures: issue 9, three statements fewer) and shows what it showed: the first accounts by name, each
with its customer group and plan figures, the total; an admin's, and a member's beyond the dashboard's cap,
are read as before."""
import re

import pytest

from kb.services import dashboard
from models import utcnow


@pytest.fixture(autouse=True)
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def my_accounts(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    section = html.split('id="my-accounts"')[1].split("</section>")[0]
    total = int(re.search(r'<span class="muted small">(\d+)</span>', section).group(1))
    rows = re.findall(r"<tr>\s*<td>(.*?)</tr>", section, flags=re.S)
    return total, rows


def name_of(row):
    return re.search(r"<strong>(.*?)</strong>", row).group(1)


@pytest.fixture
def portfolio(app, create_user, create_group, create_seat, create_account, create_plan):
    me = create_user(name="客户经理")
    east, north = create_group(name="华东客户群", name_en="East China"), create_group(name="华北客户群")
    create_seat(east, me, "AR")
    create_account(group=east, name="乙客户")
    planned = create_account(group=east, name="甲客户")
    create_account(name="丙客户", members=[me])  # a named member, no group
    create_account(group=east, name="已归档客户", archived_at=utcnow())
    create_account(group=north, name="别组客户")
    plan = create_plan(planned, strategy="战略", customers_customer="客户的客户", profit_model="盈利模式")
    with app.app_context():
        from kb.db import session
        from models import AccountPlan
        session.get(AccountPlan, plan.id).field_changes = {
            "strategy": {"by": me.id, "at": "2020-01-01T00:00:00+00:00"}}
        session.commit()
    return me


def test_member_sees_their_accounts_by_name_with_group_and_plan_figures(client, login_as, portfolio):
    login_as(portfolio)
    total, rows = my_accounts(client)
    assert total == 3 and [name_of(r) for r in rows] == sorted(["甲客户", "乙客户", "丙客户"])
    row = {name_of(r): r for r in rows}
    assert "East China" in row["甲客户"] and "East China" in row["乙客户"] and "—" in row["丙客户"]
    assert "3/5" in row["甲客户"] and "1 stale" in row["甲客户"] and "0/5" in row["乙客户"]


def test_member_beyond_the_dashboard_cap_still_sees_every_account_counted(client, login_as, portfolio,
                                                                          monkeypatch):
    monkeypatch.setattr(dashboard, "ACCOUNT_LIMIT", 2)  # the dashboard covers 2 of the 3
    login_as(portfolio)
    total, rows = my_accounts(client)
    assert total == 3 and [name_of(r) for r in rows] == sorted(["甲客户", "乙客户", "丙客户"])
    assert "3/5" in {name_of(r): r for r in rows}["甲客户"]


def test_admin_on_a_team_sees_only_their_team_accounts(client, login_as, create_user, create_group,
                                                       create_seat, create_account):
    admin = create_user(name="管理员", role="admin")
    group = create_group(name="管理员的客户群")
    create_seat(group, admin, "AR")
    create_account(group=group, name="管理员的客户")
    create_account(name="别人的客户")
    login_as(admin)
    total, rows = my_accounts(client)
    assert total == 1 and [name_of(r) for r in rows] == ["管理员的客户"]
