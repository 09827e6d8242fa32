"""Plan targets (issue 10 §5): gap = target − actual, the actual of revenue/orders summed from won
opportunities closed in the plan's period (lost, open and out-of-period ones not), typed actuals for the
other metrics, and team-only opportunities kept out of a reader's numbers."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kb.db import session
from kb.services.plan_targets import period_dates, targets_by_account
from models import (
    GapKind, Opportunity, OpportunityStage, OpportunityStatus, PlanTarget, TargetMetric, Visibility,
)
from tests.api_support import world  # noqa: F401  # fixture


def add_opportunity(account_id: int, amount: str, status: OpportunityStatus, closed_on: date | None,
                    currency: str = "CNY", visibility: Visibility = Visibility.ORG) -> None:
    session.add(Opportunity(account_id=account_id, name=f"机会 {amount}", amount=Decimal(amount),
                            currency=currency, status=status,
                            stage=OpportunityStage.CLOSED if closed_on else OpportunityStage.BID,
                            opened_on=date(2026, 12, 1), closed_on=closed_on, visibility=visibility))


def add_target(plan_id: int, metric: TargetMetric, target: str, *, position: int = 0, unit: str = "CNY",
               actual: str | None = None, gap_kind: GapKind | None = None) -> None:
    session.add(PlanTarget(plan_id=plan_id, position=position, metric=metric, unit=unit,
                           target=Decimal(target),
                           actual=Decimal(actual) if actual else None, gap_kind=gap_kind))


@pytest.mark.parametrize("period, first, last", [
    ("FY2027", date(2027, 1, 1), date(2027, 12, 31)),
    ("2027", date(2027, 1, 1), date(2027, 12, 31)),
    ("2027H1", date(2027, 1, 1), date(2027, 6, 30)),
    ("fy2027h2", date(2027, 7, 1), date(2027, 12, 31)),
    ("2028Q1", date(2028, 1, 1), date(2028, 3, 31)),
    ("2027Q4", date(2027, 10, 1), date(2027, 12, 31)),
])
def test_periods_map_to_calendar_dates(app, period, first, last):
    assert period_dates(period) == (first, last)


@pytest.mark.parametrize("period", ["", "FY27", "2027Q5", "next year"])
def test_a_text_that_is_no_period_has_no_dates(app, period):
    assert period_dates(period) is None


def test_gap_is_target_minus_won_amounts_in_the_period(app, world, create_plan, create_account):
    plan = create_plan(world.account, period="FY2027")
    other = create_account(group=world.group)
    with app.app_context():
        a = world.account.id
        add_opportunity(a, "300000.00", OpportunityStatus.WON, date(2027, 3, 15))
        add_opportunity(a, "200000.50", OpportunityStatus.WON, date(2027, 12, 31))
        add_opportunity(a, "900000.00", OpportunityStatus.WON, date(2026, 12, 31))  # before the period
        add_opportunity(a, "800000.00", OpportunityStatus.WON, date(2028, 1, 1))  # after it
        add_opportunity(a, "700000.00", OpportunityStatus.LOST, date(2027, 5, 1))
        add_opportunity(a, "600000.00", OpportunityStatus.ABANDONED, date(2027, 5, 1))
        add_opportunity(a, "500000.00", OpportunityStatus.OPEN, None)
        add_opportunity(a, "50000.00", OpportunityStatus.WON, date(2027, 6, 1), currency="USD")
        add_opportunity(other.id, "400000.00", OpportunityStatus.WON, date(2027, 6, 1))  # another account
        add_target(plan.id, TargetMetric.REVENUE, "1000000.00", position=0, gap_kind=GapKind.PERFORMANCE)
        add_target(plan.id, TargetMetric.ORDERS, "100000.00", position=1, unit="USD")
        add_target(plan.id, TargetMetric.CUSTOMER_SATISFACTION, "90", position=2, unit="分", actual="85.5",
                   gap_kind=GapKind.OPPORTUNITY)
        add_target(plan.id, TargetMetric.SHARE_OF_WALLET, "30", position=3, unit="%")
        session.commit()
        lines = targets_by_account([a, other.id], "fy2027", reader=world.admin)
    assert list(lines) == [a]
    revenue, orders, satisfaction, share = lines[a]
    assert (revenue.metric, revenue.actual, revenue.gap, revenue.computed) == (
        TargetMetric.REVENUE, Decimal("500000.50"), Decimal("499999.50"), True)
    assert revenue.gap_kind == GapKind.PERFORMANCE
    assert (orders.unit, orders.actual, orders.gap) == ("USD", Decimal("50000.00"), Decimal("50000.00"))
    assert (satisfaction.actual, satisfaction.gap, satisfaction.computed) == (
        Decimal("85.50"), Decimal("4.50"), False)
    assert satisfaction.gap_kind == GapKind.OPPORTUNITY
    assert (share.actual, share.gap) == (None, None)  # typed actual not entered yet


def test_only_the_plans_period_and_no_won_deal_means_zero_actual(app, world, create_plan):
    fy27 = create_plan(world.account, period="FY2027")
    fy28 = create_plan(world.account, period="FY2028")
    with app.app_context():
        add_target(fy27.id, TargetMetric.REVENUE, "100.00")
        add_target(fy28.id, TargetMetric.REVENUE, "200.00")
        session.commit()
        lines = targets_by_account([world.account.id], "FY2028", reader=world.viewer)
        assert targets_by_account([world.account.id], "bogus", reader=world.viewer) == {}
        assert targets_by_account([], "FY2028", reader=world.viewer) == {}
    [line] = lines[world.account.id]
    assert (line.target, line.actual, line.gap) == (Decimal("200.00"), Decimal("0.00"), Decimal("200.00"))


def test_a_team_only_won_deal_counts_only_for_readers_who_may_see_it(app, world, create_plan):
    plan = create_plan(world.account, period="FY2027")
    with app.app_context():
        add_opportunity(world.account.id, "100.00", OpportunityStatus.WON, date(2027, 2, 1))
        add_opportunity(world.account.id, "900.00", OpportunityStatus.WON, date(2027, 2, 1),
                        visibility=Visibility.TEAM)
        add_target(plan.id, TargetMetric.REVENUE, "1000.00")
        session.commit()
        seen = {who: targets_by_account([world.account.id], "FY2027", reader=getattr(world, who))
                [world.account.id][0].actual for who in ("admin", "seated", "named", "outsider", "viewer")}
    assert seen == {"admin": Decimal("1000.00"), "seated": Decimal("1000.00"), "named": Decimal("1000.00"),
                    "outsider": Decimal("100.00"), "viewer": Decimal("100.00")}


def test_many_accounts_take_a_constant_number_of_queries(app, world, create_plan, create_account):
    from sqlalchemy import event

    accounts = [create_account(group=world.group) for _ in range(6)]
    with app.app_context():
        for account in accounts:
            plan = create_plan(account, period="FY2027")
            add_target(plan.id, TargetMetric.REVENUE, "10.00")
            add_target(plan.id, TargetMetric.NEW_PRODUCTS, "3", position=1, unit="个", actual="1")
            add_opportunity(account.id, "4.00", OpportunityStatus.WON, date(2027, 8, 8))
        session.commit()
        statements: list[str] = []
        engine = session.get_bind()
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            lines = targets_by_account([a.id for a in accounts], "FY2027", reader=world.admin)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
    assert len(lines) == 6 and all(ls[0].gap == Decimal("6.00") and ls[1].gap == Decimal("2.00")
                                   for ls in lines.values())
    assert len(statements) <= 3


def test_restoring_a_revision_from_before_targets_clears_them_and_a_save_without_targets_keeps_them(
        app, world, create_plan):
    from kb.services.plans import restore_revision, save_plan
    from models import PlanStatus

    plan = create_plan(world.account, period="FY2027", author=world.seated)  # revision 1: no targets key
    with app.test_request_context():
        from models import Account, AccountPlan, User

        account, author = session.get(Account, world.account.id), session.get(User, world.seated.id)
        common = dict(account=account, period="FY2027", author=author, answers={}, sections={},
                      decision_maker_ids=[], status=PlanStatus.DRAFT)
        save_plan(base_version=1, targets=[{"metric": "orders", "target": "5"}], **common)
        save_plan(base_version=2, answers={"strategy": "新战略"}, **{k: v for k, v in common.items()
                                                                   if k != "answers"})
        session.commit()
        stored = session.get(AccountPlan, plan.id)
        assert [(t.metric, t.target) for t in stored.targets] == [(TargetMetric.ORDERS, Decimal("5.00"))]
        restore_revision(plan=stored, number=1, author=author, base_version=3)
        session.commit()
        assert session.get(AccountPlan, plan.id).targets == []
        restore_revision(plan=stored, number=2, author=author, base_version=4)
        session.commit()
        assert [t.unit for t in session.get(AccountPlan, plan.id).targets] == ["CNY"]


@pytest.mark.parametrize("row, field", [
    ({"metric": "custom", "custom_name": "  ", "target": "1"}, "targets-0-custom_name"),
    ({"metric": "revenue", "unit": "RMB", "target": "1"}, "targets-0-unit"),
    ({"metric": "new_products", "unit": "个" * 21, "target": "1"}, "targets-0-unit"),
    ({"metric": "new_products", "target": "1", "actual": "NaN"}, "targets-0-actual"),
    ({"metric": "new_products", "target": "1", "baseline": "12345678901234567"}, "targets-0-baseline"),
    ({"metric": "new_products", "target": "1", "gap_kind": "both"}, "targets-0-gap_kind"),
])
def test_target_checks_name_the_bad_field(app, world, row, field):
    from kb.services.errors import ValidationFailed
    from kb.services.plans import save_plan
    from models import Account, PlanStatus, User

    with app.test_request_context():
        with pytest.raises(ValidationFailed) as caught:
            save_plan(account=session.get(Account, world.account.id), period="FY2027",
                      author=session.get(User, world.seated.id), base_version=0, answers={}, sections={},
                      decision_maker_ids=[], status=PlanStatus.DRAFT, targets=[row])
    assert field in caught.value.fields
