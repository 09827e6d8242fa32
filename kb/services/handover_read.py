"""Reading handovers: the records list, what each line of a handover names, and the successor's brief.

Read only. Each list is bounded (MAX_RECORDS, MAX_BRIEF_ACCOUNTS) and loads its records in a constant
number of queries per account, so a large handover cannot stall a request. Team-only text (next steps of
team-only interactions) is shown only to readers who may see it (kb.policy.may_see_interaction).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from models import (
    Account, AccountPlan, CustomerGroup, Handover, HandoverChange, HandoverKind, Interaction, NextStep,
    Opportunity, OpportunitySeat, Stakeholder, TriangleSeat, User, interaction_stakeholder,
)

from .. import clock, policy
from ..db import session
from . import interactions, plans

MAX_RECORDS = 200
MAX_BRIEF_ACCOUNTS = 30
BRIEF_STEPS = 10


def list_handovers(*, viewer: User, limit: int = MAX_RECORDS) -> list[Handover]:
    """Handover records `viewer` may read (admins: all; others: those they ran, left or received), newest
    first, at most `limit`; users loaded."""
    stmt = (select(Handover).options(selectinload(Handover.from_user), selectinload(Handover.to_user),
                                     selectinload(Handover.created_by))
            .order_by(Handover.created_at.desc(), Handover.id.desc()).limit(limit))
    if not policy.is_admin(viewer):
        uid = viewer.id
        received = select(HandoverChange.handover_id).where(HandoverChange.to_user_id == uid)
        stmt = stmt.where(or_(Handover.created_by_id == uid, Handover.from_user_id == uid,
                              Handover.to_user_id == uid, Handover.id.in_(received)))
    return list(session.scalars(stmt))


@dataclass
class Names:
    """What the ids of a handover's lines name: groups, accounts, seats, stakeholders, steps and users."""

    groups: dict[int, CustomerGroup] = field(default_factory=dict)
    accounts: dict[int, Account] = field(default_factory=dict)
    seats: dict[int, TriangleSeat] = field(default_factory=dict)
    stakeholders: dict[int, Stakeholder] = field(default_factory=dict)
    steps: dict[int, NextStep] = field(default_factory=dict)
    users: dict[int, User] = field(default_factory=dict)
    #: Next-step ids whose text the viewer may read.
    visible_steps: set[int] = field(default_factory=set)
    #: Project-triangle seats (opportunity loaded), and the seat ids whose opportunity the viewer may read.
    project_seats: dict[int, OpportunitySeat] = field(default_factory=dict)
    visible_project_seats: set[int] = field(default_factory=set)


def _by_id(model: Any, ids: set[int], *options: Any) -> dict[int, Any]:
    if not ids:
        return {}
    return {r.id: r for r in session.scalars(select(model).where(model.id.in_(ids)).options(*options))}


def names_for(changes: Iterable[Any], *, viewer: User) -> Names:
    """Load what `changes` (HandoverChange rows or service Change lines) refer to, in a few queries."""
    changes = list(changes)
    ids: dict[HandoverKind, set[int]] = {kind: set() for kind in HandoverKind}
    for change in changes:
        ids[change.kind].add(change.record_id)
    names = Names(
        groups=_by_id(CustomerGroup, {c.customer_group_id for c in changes if c.customer_group_id}),
        accounts=_by_id(Account, {c.account_id for c in changes if c.account_id}
                        | ids[HandoverKind.ACCOUNT_MEMBER]),
        seats=_by_id(TriangleSeat, ids[HandoverKind.SEAT]),
        stakeholders=_by_id(Stakeholder, ids[HandoverKind.STAKEHOLDER_OWNER]),
        steps=_by_id(NextStep, ids[HandoverKind.NEXT_STEP], selectinload(NextStep.interaction)),
        users=_by_id(User, {c.from_user_id for c in changes}
                     | {c.to_user_id for c in changes if c.to_user_id}),
    )
    names.visible_steps = {i for i, step in names.steps.items()
                           if policy.may_see_interaction(viewer, step.interaction)}
    names.project_seats = _by_id(OpportunitySeat, ids[HandoverKind.PROJECT_SEAT],
                                 selectinload(OpportunitySeat.opportunity))
    names.visible_project_seats = {i for i, seat in names.project_seats.items()
                                   if policy.may_see_opportunity(viewer, seat.opportunity)}
    return names


@dataclass
class LineGroup:
    """The lines of one customer group (None: accounts in no group), seats first, then per account."""

    group: CustomerGroup | None
    seats: list[Any] = field(default_factory=list)
    accounts: dict[int | None, list[Any]] = field(default_factory=dict)


def grouped(changes: Iterable[Any], names: Names) -> list[LineGroup]:
    """Lines grouped by customer group then account, in the order given (the services sort them)."""
    groups: dict[int | None, LineGroup] = {}
    for change in changes:
        gid = change.customer_group_id
        block = groups.setdefault(gid, LineGroup(names.groups.get(gid) if gid else None))
        if change.kind == HandoverKind.SEAT:
            block.seats.append(change)
        else:
            block.accounts.setdefault(change.account_id, []).append(change)
    return list(groups.values())


@dataclass
class BriefAccount:
    """One account of a successor's brief."""

    account: Account
    plan: AccountPlan | None
    states: list[Any]
    relationships: list[tuple[Stakeholder, date | None]]
    steps: list[NextStep]
    #: Opportunities whose project-triangle seat was handed over (those the viewer may read).
    opportunities: list[Opportunity] = field(default_factory=list)


def brief_lines(handover: Handover, *, viewer: User) -> list[HandoverChange]:
    """The lines of `handover` for the brief: the viewer's own when they are a successor in it, else all."""
    mine = [c for c in handover.changes if c.to_user_id == viewer.id]
    return mine or list(handover.changes)


def brief_accounts(lines: list[HandoverChange], *, viewer: User, today: date,
                   stale_after_days: int) -> tuple[list[BriefAccount], int]:
    """Per account the lines touch (and every account of a customer group whose seat moved): the current
    plan's five answers, the relationships handed over with their last contact date (from interactions
    `viewer` may see) and attitude, the opportunities whose project seat was handed over (those `viewer`
    may read), and the open next steps and promises. At most MAX_BRIEF_ACCOUNTS;
    the second value counts the accounts left out."""
    account_ids = {c.account_id for c in lines if c.account_id}
    seat_groups = {c.customer_group_id for c in lines if c.kind == HandoverKind.SEAT and c.customer_group_id}
    if seat_groups:
        account_ids |= set(session.scalars(select(Account.id).where(
            Account.customer_group_id.in_(seat_groups), Account.archived_at.is_(None))))
    accounts = list(session.scalars(select(Account).where(Account.id.in_(account_ids or {-1}))
                                    .order_by(Account.sort_key, Account.id)))
    shown = accounts[:MAX_BRIEF_ACCOUNTS]
    owned = {c.record_id for c in lines if c.kind == HandoverKind.STAKEHOLDER_OWNER}
    people = _relationships(owned, viewer)
    opportunities = _opportunities({c.record_id for c in lines if c.kind == HandoverKind.PROJECT_SEAT},
                                   viewer)
    result = []
    for account in shown:
        plan = plans.current_plan(account_id=account.id)
        result.append(BriefAccount(
            account=account, plan=plan, states=plans.answer_states(plan, today=today,
                                                                   stale_after_days=stale_after_days),
            relationships=[p for p in people if p[0].account_id == account.id],
            steps=interactions.open_next_steps(viewer=viewer, account_id=account.id, limit=BRIEF_STEPS),
            opportunities=[o for o in opportunities if o.account_id == account.id],
        ))
    return result, len(accounts) - len(shown)


def _opportunities(seat_ids: set[int], viewer: User) -> list[Opportunity]:
    """The opportunities of the project seats `seat_ids` that `viewer` may read, by name."""
    if not seat_ids:
        return []
    seated = select(OpportunitySeat.opportunity_id).where(OpportunitySeat.id.in_(seat_ids))
    stmt = (select(Opportunity).where(Opportunity.id.in_(seated), policy.opportunity_visible_clause(viewer))
            .order_by(Opportunity.name, Opportunity.id))
    return list(session.scalars(stmt))


def _relationships(stakeholder_ids: set[int], viewer: User) -> list[tuple[Stakeholder, date | None]]:
    """Stakeholders with the date of the last interaction `viewer` may see that met them, up to today in the
    viewer's zone (a planned visit is no contact yet)."""
    if not stakeholder_ids:
        return []
    last = dict(session.execute(
        select(interaction_stakeholder.c.stakeholder_id, func.max(Interaction.occurred_on))
        .join(Interaction, Interaction.id == interaction_stakeholder.c.interaction_id)
        .where(interaction_stakeholder.c.stakeholder_id.in_(stakeholder_ids),
               Interaction.archived_at.is_(None), Interaction.occurred_on <= clock.today(),
               policy.interaction_visible_clause(viewer))
        .group_by(interaction_stakeholder.c.stakeholder_id)
    ).all())
    people = session.scalars(select(Stakeholder).where(Stakeholder.id.in_(stakeholder_ids))
                             .options(selectinload(Stakeholder.owners)).order_by(Stakeholder.name))
    return [(s, last.get(s.id)) for s in people]
