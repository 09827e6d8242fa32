"""Home: my accounts with plan completeness, my open next steps (overdue highlighted), stale answers."""
from datetime import date, timedelta

import pytest

from kb import clock
from models import Visibility


@pytest.fixture(autouse=True)
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def home(client):
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_my_accounts_by_seat_and_by_membership(client, login_as, create_user, create_group, create_seat,
                                               create_account, create_plan):
    me = create_user(name="我")
    group = create_group()
    create_seat(group, me, "SR")
    seated = create_account(group=group, name="座位客户")
    create_plan(seated, strategy="a", customers_customer="b", profit_model="c")
    create_account(name="成员客户", members=[me])
    create_account(name="别人的客户")
    from models import utcnow
    create_account(group=group, name="已归档客户", archived_at=utcnow())
    login_as(me)
    html = home(client)
    section = html.split('id="my-accounts"')[1].split("</section>")[0]
    assert "座位客户" in section and "成员客户" in section
    assert "别人的客户" not in section and "已归档客户" not in section
    assert "3/5" in section and "0/5" in section


def test_rotated_out_seat_no_longer_lists_the_account(client, login_as, create_user, create_group,
                                                     create_seat, create_account):
    me = create_user()
    group = create_group()
    create_seat(group, me, "AR", ended_on=date(2025, 1, 1))
    create_account(group=group, name="交接出去的客户")
    login_as(me)
    assert "交接出去的客户" not in home(client)


def test_admin_without_team_gets_a_hint(client, login_as, create_user, create_account):
    create_account(name="任一客户")
    login_as(create_user(role="admin"))
    html = home(client)
    assert "you can see and edit every account" in html and "on no account team" in html
    assert 'href="/accounts"' in html


def test_my_open_next_steps_overdue_highlighted(client, login_as, create_user, create_account,
                                                create_interaction):
    me, other = create_user(name="我"), create_user(name="同事")
    account = create_account(name="跟进客户", members=[me])
    today = clock.today()
    create_interaction(account, next_steps=[
        {"text": "逾期的事", "owner_id": me.id, "due_on": today - timedelta(days=3)},
        {"text": "将来的事", "owner_id": me.id, "due_on": today + timedelta(days=3)},
        {"text": "已完成的事", "owner_id": me.id, "done": True},
        {"text": "同事的事", "owner_id": other.id},
    ])
    login_as(me)
    section = home(client).split('id="my-steps"')[1].split("</section>")[0]
    assert "逾期的事" in section and "将来的事" in section and "跟进客户" in section
    assert "已完成的事" not in section and "同事的事" not in section
    overdue_line = next(line for line in section.split("<li") if "逾期的事" in line)
    future_line = next(line for line in section.split("<li") if "将来的事" in line)
    assert "overdue" in overdue_line and "overdue" not in future_line


def test_my_steps_hide_team_only_ones_i_may_no_longer_see(client, login_as, create_user, create_account,
                                                          create_interaction):
    me = create_user()
    account = create_account(name="离开的客户")  # I am not (or no longer) on its team
    create_interaction(account, visibility=Visibility.TEAM, next_steps=[{"text": "看不到的事", "owner_id": me.id}])
    create_interaction(account, next_steps=[{"text": "看得到的事", "owner_id": me.id}])
    login_as(me)
    html = home(client)
    assert "看得到的事" in html and "看不到的事" not in html


def test_stale_answers_on_my_accounts(app, client, login_as, create_user, create_account, create_plan):
    me = create_user()
    account = create_account(name="久未更新客户", members=[me])
    plan = create_plan(account, strategy="多年前写的战略")
    with app.app_context():
        from kb.db import session
        from models import AccountPlan
        stored = session.get(AccountPlan, plan.id)
        stored.field_changes = {"strategy": {"by": me.id, "at": "2020-01-01T00:00:00+00:00"}}
        session.commit()
    fresh = create_account(name="新鲜客户", members=[me])
    create_plan(fresh, strategy="刚写的")
    login_as(me)
    html = home(client)
    assert 'id="stale-answers"' in html
    section = html.split('id="stale-answers"')[1].split("</section>")[0]
    assert "久未更新客户" in section and "Customer strategy" in section and "新鲜客户" not in section
