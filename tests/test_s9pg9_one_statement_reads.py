"""Reads that were two statements and are now one (issue 9: on PostgreSQL each statement is a round trip):
the people the dashboard checks for risk with their owners (kb.services.risk_facts.load_facts with an order
and a limit), and the current plans' figures (kb.services.plan_figures). Same answers as before: the people
who matter most first, at most the limit, owners primary first; the plan of the latest period.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import event

from kb.services.bounded import _importance
from models import DecisionRole, Influence, RelationshipLayer, Stakeholder


def _counted(app, work):
    seen: list[str] = []
    record = (lambda _c, _cur, statement, *_a: seen.append(statement))
    engine = app.extensions["kb.db"].engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        result = work()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return result, len(seen)


def test_people_checked_for_risk_in_order_with_owners_in_one_statement(app, create_account, create_user,
                                                                    create_stakeholder):
    account, other = create_account(), create_account()
    first, second, third = create_user(name="甲"), create_user(name="乙"), create_user(name="丙")
    user = create_stakeholder(account, name="用户", decision_role=DecisionRole.USER,
                              layer=RelationshipLayer.BROAD)
    boss = create_stakeholder(account, name="决策人", decision_role=DecisionRole.DECISION_MAKER,
                              owners=[second, first, third])
    high = create_stakeholder(account, name="高影响", influence=Influence.HIGH, owners=[third])
    create_stakeholder(account, name="已归档", decision_role=DecisionRole.DECISION_MAKER,
                       archived_at=datetime(2026, 1, 1, tzinfo=timezone.utc))
    create_stakeholder(other, name="别的客户", decision_role=DecisionRole.DECISION_MAKER, owners=[first])
    with app.app_context():
        from kb.services.risk_facts import load_facts
        where = (Stakeholder.account_id.in_([account.id]), Stakeholder.archived_at.is_(None))
        people, statements = _counted(app, lambda: load_facts(
            where=where, order_by=(_importance(), Stakeholder.name), limit=2))
        assert statements == 1
        # the decision-maker, then high influence; at most 2
        assert [p.id for p in people] == [boss.id, high.id]
        assert [(o.user_id, o.is_primary, o.user.name) for o in people[0].owners] == [
            (second.id, True, "乙"), *sorted([(first.id, False, "甲"), (third.id, False, "丙")])]
        assert people[0].decision_role == DecisionRole.DECISION_MAKER
        assert people[1].influence == Influence.HIGH
        everyone, statements = _counted(app, lambda: load_facts(where=where, order_by=(_importance(),),
                                                                limit=10))
        assert statements == 1
        assert [p.id for p in everyone] == [boss.id, high.id, user.id]
        assert everyone[2].owners == []  # nobody owns the user: one row, no owner


def test_current_plan_figures_in_one_statement(app, create_account, create_plan):
    account, bare, other = create_account(), create_account(), create_account()
    create_plan(account, period="FY2026", strategy="旧", customers_customer="旧", profit_model="旧")
    create_plan(account, period="FY2027", strategy="新的战略")
    create_plan(account, period="2027Q4", strategy="季度", customers_customer="季度", profit_model="季度")
    create_plan(other, period="2027H1", strategy="上半年", weakest_product="产品")
    with app.app_context():
        from kb.services.plan_figures import current_plan_figures
        figures, statements = _counted(app, lambda: current_plan_figures(
            [account.id, bare.id, other.id], today=date(2026, 12, 1), stale_after_days=365))
        assert statements == 1
        # FY2027 (a full year) is later than 2027Q4; the account without a plan has no figures
        assert {i: (f.period, f.answered) for i, f in figures.items()} == {
            account.id: ("FY2027", 1), other.id: ("2027H1", 2)}
