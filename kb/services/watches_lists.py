"""Two of the four watches as lists: key-project lights (山头项目红绿灯) and risks and open issues
(风险及遗留问题). Read through kb.policy, bounded by `limit`, a constant number of statements.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from models import KeyProjectLightChange, Light, Opportunity, OpportunityStatus, Risk, RiskStatus, User

from .. import clock, policy
from ..db import session
from .watch_period import scope_accounts_stmt

#: Red first: the projects that need the meeting's attention.
LIGHT_ORDER = {Light.RED: 0, Light.YELLOW: 1, Light.GREEN: 2}


@dataclass(frozen=True)
class KeyProjectRow:
    """A key project with its light; `reviewed_on`: the day its light was last set (None: never),
    `days_since_review` counted to today; `review_overdue`: its next review date has passed."""

    opportunity: Opportunity
    light: Light | None
    reason: str
    owner: User | None
    reviewed_on: date | None
    days_since_review: int | None
    next_review_on: date | None
    review_overdue: bool


@dataclass(frozen=True)
class RiskRow:
    """An open risk: `age_days` since it was recorded (the user's day), `overdue` past its due date."""

    risk: Risk
    age_days: int
    overdue: bool


@dataclass(frozen=True)
class OwnerCount:
    """Open and overdue risks of one owner (None: nobody owns them)."""

    owner_id: int | None
    owner_name: str
    open: int
    overdue: int


@dataclass(frozen=True)
class RiskWatch:
    """Open risks in scope: `rows` overdue first then oldest (at most `limit`), `total` and `overdue` of
    all of them, and the counts per owner."""

    rows: list[RiskRow]
    total: int
    overdue: int
    by_owner: list[OwnerCount]


def key_projects(*, viewer: Any, group_id: int | None, today: date, limit: int) -> list[KeyProjectRow]:
    """Open key projects in scope that `viewer` may see: red, yellow, green (then no light), each by the
    longest unreviewed first; at most `limit`."""
    last_set = (select(KeyProjectLightChange.opportunity_id,
                       func.max(KeyProjectLightChange.changed_on).label("on"))
                .group_by(KeyProjectLightChange.opportunity_id).subquery())
    light_rank = case({Light.RED: 0, Light.YELLOW: 1, Light.GREEN: 2}, value=Opportunity.light, else_=3)
    stmt = (select(Opportunity, last_set.c.on)
            .outerjoin(last_set, last_set.c.opportunity_id == Opportunity.id)
            .where(policy.opportunity_visible_clause(viewer), Opportunity.key_project.is_(True),
                   Opportunity.status == OpportunityStatus.OPEN,
                   Opportunity.account_id.in_(scope_accounts_stmt(group_id)))
            .order_by(light_rank, last_set.c.on.is_(None).desc(), last_set.c.on, Opportunity.id)
            .options(selectinload(Opportunity.account), selectinload(Opportunity.key_owner))
            .limit(limit))
    rows = []
    for opp, reviewed_on in session.execute(stmt):
        rows.append(KeyProjectRow(
            opportunity=opp, light=opp.light, reason=opp.light_reason, owner=opp.key_owner,
            reviewed_on=reviewed_on, days_since_review=(today - reviewed_on).days if reviewed_on else None,
            next_review_on=opp.next_review_on,
            review_overdue=opp.next_review_on is not None and opp.next_review_on < today))
    return rows


def _open_risks(viewer: Any, group_id: int | None) -> Any:
    return select(Risk).where(policy.risk_visible_clause(viewer), Risk.status == RiskStatus.OPEN,
                              Risk.account_id.in_(scope_accounts_stmt(group_id)))


def risk_watch(*, viewer: Any, group_id: int | None, today: date, limit: int) -> RiskWatch:
    """Open risks in scope that `viewer` may see: overdue first (longest overdue first), then the others by
    age (oldest first); with totals and the per-owner counts (most overdue first)."""
    overdue = Risk.due_on < today
    base = _open_risks(viewer, group_id)
    stmt = (base.order_by(case((overdue, 0), else_=1), case((overdue, Risk.due_on), else_=None),
                          Risk.created_at, Risk.id)
            .options(selectinload(Risk.owner), selectinload(Risk.account), selectinload(Risk.opportunity))
            .limit(limit))
    rows = [RiskRow(risk, max((today - clock.local_date(risk.created_at)).days, 0), risk.is_overdue(today))
            for risk in session.scalars(stmt)]
    counted = base.subquery()
    owner_rows = session.execute(
        select(counted.c.owner_id, User.name, func.count(),
               func.sum(case((counted.c.due_on < today, 1), else_=0)))
        .outerjoin(User, User.id == counted.c.owner_id).group_by(counted.c.owner_id, User.name)).all()
    by_owner = sorted((OwnerCount(owner_id, name or "", n, int(late or 0))
                       for owner_id, name, n, late in owner_rows),
                      key=lambda c: (-c.overdue, -c.open, c.owner_name))
    return RiskWatch(rows=rows, total=sum(c.open for c in by_owner), overdue=sum(c.overdue for c in by_owner),
                     by_owner=by_owner)
