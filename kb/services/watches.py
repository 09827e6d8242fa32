"""The four watches (四项看护) of LTC "1234": sales-management health, KPI progress and gap, key-project
lights, risks and open issues — for one customer group or across every group, for one plan period.

Everything is read through kb.policy (`opportunity_visible_clause`, `risk_visible_clause`,
`interaction_visible_clause`), so a team-only opportunity the reader may not see is in no list, count,
share, sum or chart. The work is a constant number of SQL statements whatever the data (no per-row
queries); the long lists (key projects, risks, overdue steps) are bounded by `limit`.

Amounts are kept per currency (ISO code → Decimal): CNY is never added to USD.
Key projects and risks: kb.services.watches_lists. Periods: kb.services.watch_period.
"""
from __future__ import annotations

import logging
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, or_, select

from models import (
    Account, AccountPlan, CustomerGroup, Interaction, NextStep, Opportunity, OpportunitySeat,
    OpportunityStage, OpportunityStatus, PlanStatus, SeatRole, opportunity_stakeholder,
)

from .. import clock, policy
from ..db import session
from . import watches_lists
from .watch_period import Period, scope_accounts_stmt

logger = logging.getLogger(__name__)

#: An open opportunity counts as kept up to date when it was saved within this many days.
FRESH_DAYS = 30
#: The roles a complete project iron triangle holds (seats in force).
TRIANGLE = frozenset({SeatRole.AR, SeatRole.SR, SeatRole.FR})
#: The stages an open opportunity can stand in, in order (pipeline by stage).
OPEN_STAGES = (OpportunityStage.VALIDATE, OpportunityStage.PRE_BID, OpportunityStage.BID,
               OpportunityStage.NEGOTIATION)

Money = dict[str, Decimal]


@dataclass(frozen=True)
class Share:
    """`count` of `total` (e.g. open opportunities with a complete triangle); `percent` None when total
    is 0."""

    count: int
    total: int

    @property
    def percent(self) -> int | None:
        return None if self.total == 0 else round(100 * self.count / self.total)

    def as_dict(self) -> dict[str, Any]:
        return {"count": self.count, "total": self.total, "percent": self.percent}


@dataclass(frozen=True)
class Health:
    """Sales-management health: shares over the open opportunities and the accounts in scope."""

    open_opportunities: int
    complete_triangle: Share
    updated_recently: Share
    stakeholders_linked: Share
    reviewed_plans: Share
    overdue_next_steps: int


@dataclass
class AccountKpi:
    """One account's numbers for the period, per currency; `targets`: TargetLine rows of its plan (may be
    empty; None when no target source exists on this installation)."""

    account_id: int
    name: str
    group_id: int | None
    won: Money = field(default_factory=dict)
    pipeline: Money = field(default_factory=dict)
    weighted: Money = field(default_factory=dict)
    targets: list[Any] | None = None


@dataclass
class GroupKpi:
    """A customer group's totals per currency (None id: accounts in no group). `name_en` (its English name,
    may be empty) lets pages show the name in the reader's language (the `group_name` filter)."""

    group_id: int | None
    name: str
    won: Money = field(default_factory=dict)
    pipeline: Money = field(default_factory=dict)
    weighted: Money = field(default_factory=dict)
    name_en: str = ""


@dataclass
class Kpi:
    """KPI progress and gap. Win rate = won / (won + lost) among those closed in the period (None when
    none were); the sales decision cycle is opening → close in days, its median over the same ones."""

    accounts: list[AccountKpi]
    groups: list[GroupKpi]
    won: Money
    pipeline: Money
    weighted: Money
    by_stage: dict[OpportunityStage, Money]
    won_count: int
    lost_count: int
    win_rate: float | None
    median_cycle_days: float | None
    targets_available: bool


@dataclass
class Watches:
    """What the four-watches page, the API and the meeting pack read."""

    period: Period
    group: CustomerGroup | None
    today: date
    health: Health
    kpi: Kpi
    key_projects: list[watches_lists.KeyProjectRow]
    risks: watches_lists.RiskWatch


def _add(money: Money, currency: str, amount: Decimal | None) -> None:
    if amount is not None:
        money[currency] = money.get(currency, Decimal("0")) + amount


def _visible_opportunities(viewer: Any, group_id: int | None, period: Period) -> Any:
    """SELECT of the opportunities in scope the viewer may see: open ones, and those closed in the period."""
    return (select(Opportunity.id, Opportunity.account_id, Opportunity.stage, Opportunity.status,
                   Opportunity.amount, Opportunity.currency, Opportunity.win_probability,
                   Opportunity.opened_on, Opportunity.closed_on, Opportunity.updated_at)
            .where(policy.opportunity_visible_clause(viewer),
                   Opportunity.account_id.in_(scope_accounts_stmt(group_id)),
                   or_(Opportunity.status == OpportunityStatus.OPEN,
                       and_(Opportunity.closed_on >= period.start, Opportunity.closed_on <= period.end))))


def _triangle_roles(open_ids: Any, today: date) -> dict[int, set[SeatRole]]:
    roles: dict[int, set[SeatRole]] = defaultdict(set)
    rows = session.execute(select(OpportunitySeat.opportunity_id, OpportunitySeat.role).where(
        OpportunitySeat.opportunity_id.in_(open_ids), OpportunitySeat.in_force(today)))
    for opportunity_id, role in rows:
        roles[opportunity_id].add(role)
    return roles


def _linked(open_ids: Any) -> set[int]:
    return set(session.scalars(select(opportunity_stakeholder.c.opportunity_id).distinct().where(
        opportunity_stakeholder.c.opportunity_id.in_(open_ids))))


def _plan_periods(period: Period) -> list[str]:
    """The spellings a plan of this period may be stored under (FY2027 and 2027 are the same year)."""
    bare = period.label.removeprefix("FY")
    return [bare, "FY" + bare]


def _health(viewer: Any, group_id: int | None, period: Period, rows: list[Any], today: date) -> Health:
    open_rows = [r for r in rows if r.status == OpportunityStatus.OPEN]
    open_ids = [r.id for r in open_rows]
    roles = _triangle_roles(open_ids, today) if open_ids else {}
    linked = _linked(open_ids) if open_ids else set()
    fresh_since = today - timedelta(days=FRESH_DAYS)
    total = len(open_rows)
    accounts = session.scalar(select(func.count()).select_from(scope_accounts_stmt(group_id).subquery())) or 0
    reviewed = session.scalar(select(func.count(AccountPlan.account_id.distinct())).where(
        AccountPlan.account_id.in_(scope_accounts_stmt(group_id)), AccountPlan.status == PlanStatus.REVIEWED,
        AccountPlan.period.in_(_plan_periods(period)))) or 0
    overdue_steps = session.scalar(
        select(func.count(NextStep.id)).join(NextStep.interaction)
        .where(NextStep.done.is_(False), NextStep.due_on < today, Interaction.archived_at.is_(None),
               policy.interaction_visible_clause(viewer),
               Interaction.account_id.in_(scope_accounts_stmt(group_id)))) or 0
    return Health(
        open_opportunities=total,
        complete_triangle=Share(sum(1 for r in open_rows if TRIANGLE <= roles.get(r.id, set())), total),
        updated_recently=Share(
            sum(1 for r in open_rows if clock.local_date(r.updated_at) >= fresh_since), total),
        stakeholders_linked=Share(sum(1 for r in open_rows if r.id in linked), total),
        reviewed_plans=Share(reviewed, accounts),
        overdue_next_steps=overdue_steps,
    )


def _weighted(amount: Decimal | None, probability: int | None) -> Decimal | None:
    """amount × win probability (an opportunity without a probability weighs nothing), to the cent."""
    if amount is None:
        return None
    return (amount * Decimal(probability or 0) / Decimal(100)).quantize(Decimal("0.01"))


def _load_targets(viewer: Any, account_ids: list[int], period: Period) -> dict[int, list[Any]] | None:
    """The plan targets per account (kb.services.plan_targets: actuals summed from the won opportunities
    `viewer` may see), in chunks of its MAX_ACCOUNTS; None when this installation has no targets."""
    try:
        from . import plan_targets
    except ImportError:
        return None
    chunk = getattr(plan_targets, "MAX_ACCOUNTS", 5_000)
    targets: dict[int, list[Any]] = {}
    for i in range(0, len(account_ids), chunk):
        targets.update(plan_targets.targets_by_account(account_ids[i:i + chunk], period.label, reader=viewer))
    return targets


def _kpi(viewer: Any, group_id: int | None, period: Period, rows: list[Any]) -> Kpi:
    account_rows = session.execute(
        select(Account.id, Account.name, Account.customer_group_id, CustomerGroup.name, CustomerGroup.name_en)
        .outerjoin(CustomerGroup, CustomerGroup.id == Account.customer_group_id)
        .where(Account.id.in_(scope_accounts_stmt(group_id))).order_by(Account.name, Account.id)).all()
    accounts = {a.id: AccountKpi(a.id, a.name, a.customer_group_id) for a in account_rows}
    group_names = {a.customer_group_id: (a[3] or "", a[4] or "") for a in account_rows}
    by_stage: dict[OpportunityStage, Money] = {stage: {} for stage in OPEN_STAGES}
    won, lost, cycles = 0, 0, []
    for r in rows:
        kpi = accounts[r.account_id]
        if r.status == OpportunityStatus.OPEN:
            _add(kpi.pipeline, r.currency, r.amount)
            _add(kpi.weighted, r.currency, _weighted(r.amount, r.win_probability))
            _add(by_stage.setdefault(r.stage, {}), r.currency, r.amount)
        elif r.status in (OpportunityStatus.WON, OpportunityStatus.LOST):
            won += r.status == OpportunityStatus.WON
            lost += r.status == OpportunityStatus.LOST
            cycles.append((r.closed_on - r.opened_on).days)
            if r.status == OpportunityStatus.WON:
                _add(kpi.won, r.currency, r.amount)
    targets = _load_targets(viewer, list(accounts), period)
    groups: dict[int | None, GroupKpi] = {}
    totals: dict[str, Money] = {"won": {}, "pipeline": {}, "weighted": {}}
    for kpi in accounts.values():
        if targets is not None:
            kpi.targets = list(targets.get(kpi.account_id, []))
        name, name_en = group_names.get(kpi.group_id, ("", ""))
        group = groups.setdefault(kpi.group_id, GroupKpi(kpi.group_id, name, name_en=name_en))
        for name in ("won", "pipeline", "weighted"):
            for currency, amount in getattr(kpi, name).items():
                _add(getattr(group, name), currency, amount)
                _add(totals[name], currency, amount)
    return Kpi(
        accounts=list(accounts.values()), groups=list(groups.values()), by_stage=by_stage,
        won_count=won, lost_count=lost, win_rate=won / (won + lost) if won + lost else None,
        median_cycle_days=statistics.median(cycles) if cycles else None,
        targets_available=targets is not None,
        **totals,
    )


def four_watches(*, viewer: Any, period: Period, group: CustomerGroup | None = None,
                 today: date | None = None, limit: int = 200) -> Watches:
    """The four watches of `group` (None: every customer group, and accounts in none) for `period`, as
    `viewer` may see them; `today` defaults to kb.clock.today(); lists hold at most `limit` rows.

    Health shares are over the open opportunities the viewer sees (complete triangle = AR, SR and FR seats
    in force today; updated = saved in the last FRESH_DAYS days; stakeholders = at least one linked) and
    over the accounts in scope (a `reviewed` plan for the period). KPI: won amounts (closed won in the
    period), pipeline and weighted pipeline (open; amount × win probability %) per currency, per account
    and group, with the plan targets when kb.services.plan_targets exists. Raises nothing.
    """
    today = today or clock.today()
    group_id = group.id if group is not None else None
    rows = session.execute(_visible_opportunities(viewer, group_id, period)).all()
    return Watches(
        period=period, group=group, today=today,
        health=_health(viewer, group_id, period, rows, today),
        kpi=_kpi(viewer, group_id, period, rows),
        key_projects=watches_lists.key_projects(viewer=viewer, group_id=group_id, today=today, limit=limit),
        risks=watches_lists.risk_watch(viewer=viewer, group_id=group_id, today=today, limit=limit),
    )
