"""The four watches (issue 10 §4) as the service computes them: health shares, won/pipeline per currency,
win rate and median decision cycle, key-project lights, risks overdue first — and a reader outside the
team never counts a team-only opportunity. Constant number of statements whatever the data."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event

from models import (
    AccountPlan, Interaction, InteractionKind, NextStep, OpportunityStage, PlanStatus, User, Visibility,
)
from tests.api_support import world  # noqa: F401  # `world` is a fixture
from tests.watches_support import add_opportunity, add_risk


def watches_for(app, user, group=None, period=None):
    with app.test_request_context():
        from flask_login import login_user

        from kb import clock
        from kb.db import session
        from kb.services.watch_period import parse_period
        from kb.services.watches import four_watches
        from models import CustomerGroup

        login_user(session.get(User, user.id))
        today = clock.today()
        g = session.get(CustomerGroup, group.id) if group is not None else None
        w = four_watches(viewer=session.get(User, user.id), group=g, today=today,
                         period=parse_period(period or f"FY{today.year}", today=today))
        # touch what the templates read, inside the session
        for k in w.key_projects:
            _ = (k.opportunity.name, k.opportunity.account.name, k.owner and k.owner.name)
        for r in w.risks.rows:
            _ = (r.risk.description, r.risk.owner and r.risk.owner.name)
        session.expunge_all()  # keep what was read after the request ends
        return w


def this_year():
    from kb import clock
    return clock.today().year


@pytest.fixture
def health_world(app, world, create_user, create_account, create_plan):
    sr, fr = create_user(name="孙方案"), create_user(name="周交付")
    other = create_account(group=world.group, name="浙江电信", name_en="Zhejiang Telecom")
    year = this_year()
    full = ((world.seated, "AR", None), (sr, "SR", None), (fr, "FR", None))
    add_opportunity(app, world.account, "完整三角", seats=full, stakeholders=1, updated_days_ago=2)
    add_opportunity(app, world.account, "缺交付", seats=full[:2] + ((fr, "FR", date(2026, 2, 1)),),
                    updated_days_ago=40)
    add_opportunity(app, other, "无三角", stakeholders=2, updated_days_ago=45)
    add_opportunity(app, other, "团队机密机会", visibility="team", seats=full, stakeholders=1)
    add_opportunity(app, other, "已赢", status="won", closed_on=date(year, 1, 10))  # closed: not in health
    with app.app_context():
        from kb.db import session
        session.add(AccountPlan(account_id=world.account.id, period=f"FY{year}", status=PlanStatus.REVIEWED,
                                reviewed_on=date(year, 1, 5), sections={}, field_changes={}))
        session.add(AccountPlan(account_id=other.id, period=f"FY{year}", status=PlanStatus.DRAFT, sections={},
                                field_changes={}))
        yesterday = date(year, 1, 1) - timedelta(days=1)
        for visibility in (Visibility.ORG, Visibility.TEAM):
            session.add(Interaction(account_id=other.id, occurred_on=yesterday, kind=InteractionKind.VISIT,
                                    visibility=visibility,
                                    next_steps=[NextStep(text="回访", due_on=yesterday),
                                                NextStep(text="已完成", due_on=yesterday, done=True)]))
        session.commit()
    return world


def test_health_shares_for_a_team_member(app, health_world):
    h = watches_for(app, health_world.seated, group=health_world.group).health
    assert h.open_opportunities == 4
    assert (h.complete_triangle.count, h.complete_triangle.total) == (2, 4)  # an ended FR seat does not count
    assert (h.updated_recently.count, h.updated_recently.total) == (2, 4)
    assert (h.stakeholders_linked.count, h.stakeholders_linked.percent) == (3, 75)
    assert (h.reviewed_plans.count, h.reviewed_plans.total) == (1, 2)  # a draft plan is not reviewed
    assert h.overdue_next_steps == 2  # the done one is not overdue


@pytest.mark.parametrize("who", ["outsider", "viewer"])
def test_health_never_counts_a_team_only_opportunity_or_step_for_others(app, health_world, who):
    h = watches_for(app, getattr(health_world, who), group=health_world.group).health
    assert h.open_opportunities == 3
    assert (h.complete_triangle.count, h.complete_triangle.total) == (1, 3)
    assert (h.stakeholders_linked.count, h.stakeholders_linked.total) == (2, 3)
    assert h.overdue_next_steps == 1


def test_reviewed_plan_of_another_period_does_not_count(app, health_world):
    h = watches_for(app, health_world.seated, group=health_world.group, period=f"FY{this_year() + 1}").health
    assert (h.reviewed_plans.count, h.reviewed_plans.total) == (0, 2)


@pytest.fixture
def kpi_world(app, world, create_account, create_group):
    year = this_year()
    other_group = create_group(name="华南客户群")
    south = create_account(group=other_group, name="广东移动", name_en="Guangdong Mobile")
    add_opportunity(app, world.account, "赢单一", amount="1000000", status="won",
                    opened_on=date(year - 1, 11, 1),
                    closed_on=date(year, 1, 10))  # 70 days
    add_opportunity(app, world.account, "美元赢单", amount="200000", currency="USD", status="won",
                    opened_on=date(year - 1, 12, 1), closed_on=date(year, 1, 20))  # 50 days
    add_opportunity(app, world.account, "输单", amount="3000000", status="lost", opened_on=date(year, 1, 1),
                    closed_on=date(year, 1, 31))  # 30 days
    add_opportunity(app, world.account, "放弃", status="abandoned", opened_on=date(year, 1, 1),
                    closed_on=date(year, 1, 2))
    add_opportunity(app, world.account, "去年赢单", amount="9000000", status="won",
                    opened_on=date(year - 1, 1, 1),
                    closed_on=date(year - 1, 6, 1))
    add_opportunity(app, world.account, "在谈", amount="1000000", probability=40, stage="negotiation")
    add_opportunity(app, world.account, "美元在谈", amount="100000", currency="USD", probability=50, stage="bid")
    add_opportunity(app, world.account, "机密大单", amount="50000000", probability=90, stage="bid",
                    visibility="team")
    add_opportunity(app, world.account, "机密赢单", amount="7000000", status="won", visibility="team",
                    opened_on=date(year, 1, 1), closed_on=date(year, 1, 2))
    add_opportunity(app, south, "华南在谈", amount="500000", probability=20)
    return world


def test_kpi_keeps_currencies_apart_and_computes_win_rate_and_median_cycle(app, kpi_world):
    k = watches_for(app, kpi_world.outsider).kpi
    assert k.won == {"CNY": Decimal("1000000.00"), "USD": Decimal("200000.00")}
    assert k.pipeline == {"CNY": Decimal("1500000.00"), "USD": Decimal("100000.00")}
    assert k.weighted == {"CNY": Decimal("500000.00"), "USD": Decimal("50000.00")}
    assert (k.won_count, k.lost_count) == (2, 1)
    assert k.win_rate == pytest.approx(2 / 3)
    assert k.median_cycle_days == 50
    assert k.by_stage[OpportunityStage.NEGOTIATION] == {"CNY": Decimal("1000000.00")}
    assert k.by_stage[OpportunityStage.BID] == {"USD": Decimal("100000.00")}
    by_group = {g.name: g for g in k.groups}
    assert by_group["华南客户群"].weighted == {"CNY": Decimal("100000.00")}
    assert by_group["华东运营商客户群"].won == {"CNY": Decimal("1000000.00"), "USD": Decimal("200000.00")}
    assert k.targets_available is True and k.accounts[0].targets == []  # no plan targets recorded


def test_kpi_of_the_team_counts_its_team_only_opportunities(app, kpi_world):
    k = watches_for(app, kpi_world.seated, group=kpi_world.group).kpi
    assert k.won["CNY"] == Decimal("8000000.00")
    assert k.weighted["CNY"] == Decimal("45400000.00")
    assert (k.won_count, k.lost_count) == (3, 1)
    assert [a.name for a in k.accounts] == ["中国移动浙江公司"]  # the group's accounts only


def test_key_projects_red_first_and_risks_overdue_first(app, world, create_user):
    from kb import clock
    with app.app_context():
        today = clock.today()
    owner = create_user(name="吴负责")
    add_opportunity(app, world.account, "绿灯项目", key_light="green", light_reason="进展顺利", key_owner=owner,
                    light_on=today - timedelta(days=3))
    red = add_opportunity(app, world.account, "红灯项目", key_light="red", light_reason="竞争对手低价",
                          light_on=today - timedelta(days=20), next_review_on=today - timedelta(days=1))
    add_opportunity(app, world.account, "机密红灯", key_light="red", light_reason="机密", visibility="team")
    add_risk(app, world.account, "新风险", owner=owner, due_on=today + timedelta(days=5), created_days_ago=2)
    add_risk(app, world.account, "逾期风险", owner=owner, due_on=today - timedelta(days=3), created_days_ago=30)
    add_risk(app, world.account, "无期限", created_days_ago=60)
    add_risk(app, world.account, "已解决", status="resolved", due_on=today - timedelta(days=9))
    secret = add_opportunity(app, world.account, "机密", visibility="team")
    add_risk(app, world.account, "机密风险", opportunity_id=secret, due_on=today - timedelta(days=1))

    w = watches_for(app, world.viewer)
    assert [(k.opportunity.name, k.light.value, k.days_since_review) for k in w.key_projects] == [
        ("红灯项目", "red", 20), ("绿灯项目", "green", 3)]
    assert w.key_projects[0].opportunity.id == red and w.key_projects[0].review_overdue
    assert w.key_projects[1].owner.name == "吴负责"
    assert [r.risk.description for r in w.risks.rows] == ["逾期风险", "无期限", "新风险"]
    assert [r.age_days for r in w.risks.rows] == [30, 60, 2]
    assert (w.risks.total, w.risks.overdue) == (3, 1)
    assert [(o.owner_name, o.open, o.overdue) for o in w.risks.by_owner] == [("吴负责", 2, 1), ("", 1, 0)]

    mine = watches_for(app, world.seated)
    assert [k.opportunity.name for k in mine.key_projects][:2] == ["机密红灯", "红灯项目"]
    assert (mine.risks.total, mine.risks.overdue) == (4, 2)


@pytest.mark.parametrize("text, label, start, end", [
    ("fy2027", "FY2027", date(2027, 1, 1), date(2027, 12, 31)),
    ("2027", "FY2027", date(2027, 1, 1), date(2027, 12, 31)),
    (" 2027h2 ", "2027H2", date(2027, 7, 1), date(2027, 12, 31)),
    ("2028Q1", "2028Q1", date(2028, 1, 1), date(2028, 3, 31)),
    ("", "FY2026", date(2026, 1, 1), date(2026, 12, 31)),
])
def test_periods(app, text, label, start, end):
    from kb.services.watch_period import parse_period
    with app.test_request_context():
        p = parse_period(text, today=date(2026, 5, 1))
    assert (p.label, p.start, p.end) == (label, start, end)


@pytest.mark.parametrize("text", ["FY27", "2027Q5", "2027-01", "0001", "x" * 500, "FY2027\x00"])
def test_bad_periods_are_refused(app, text):
    from kb.services.errors import ValidationFailed
    from kb.services.watch_period import parse_period
    with app.test_request_context(), pytest.raises(ValidationFailed) as raised:
        parse_period(text, today=date(2026, 5, 1))
    assert "period" in raised.value.fields


def _populate(app, world, users, n):
    from kb import clock
    with app.app_context():
        today = clock.today()
    for i in range(n):
        opp = add_opportunity(app, world.account, f"批量{i}", seats=((users[i % 3], "AR", None),),
                              stakeholders=1,
                              key_light=["red", "yellow", "green"][i % 3], light_reason="原因",
                              key_owner=users[i % 3], status="won" if i % 4 == 0 else "open",
                              closed_on=date(today.year, 1, 2) if i % 4 == 0 else None)
        add_risk(app, world.account, f"风险{i}", opportunity_id=opp, owner=users[i % 3],
                 due_on=today - timedelta(days=i % 5))


def count_statements(app, client, url):
    engine = app.extensions["kb.db"].engine
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("url", ["/watches", "/groups/{group}/watches", "/groups/{group}/meeting-pack",
                                 "/api/v1/watches"])
def test_constant_number_of_statements(app, client, world, login_as, create_user, url):
    users = [world.seated, world.named, create_user(name="第三人")]
    login_as(world.outsider)
    url = url.format(group=world.group.id)
    _populate(app, world, users, 3)
    few = count_statements(app, client, url)
    _populate(app, world, users, 24)
    assert count_statements(app, client, url) == few
