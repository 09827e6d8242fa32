"""Handover in one step (交接): everything a leaver holds, handed to successors in one transaction.

Relationship knowledge must stay with the organisation when people rotate (DOMAIN.md: 客户关系信息建立在组织
平台之上; 销售团队3~5年必须调整). `plan_handover` lists what the leaver holds — triangle seats in force or
scheduled, project-triangle seats on open opportunities, stakeholder ownerships (primary and backup), open
next steps, named account memberships — with
the successor of each line (one for all, or per customer group / per account). It only reads: the preview
and the API's dry run are this list. `apply_handover` makes the same changes, bumps the versions of the
records it changes, optionally deactivates the leaver (their sessions end) and writes a `Handover` record.
It flushes only; the request's one commit keeps all of it or none.

Access: kb.policy.check_may_hand_over (admins anything; a group's current AR only that group's work; what
lies outside the actor's groups is not even listed for them).
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import or_, select, true
from sqlalchemy.orm import selectinload

from models import (
    Account, CustomerGroup, Handover, HandoverChange, HandoverKind, Interaction, NextStep, Opportunity,
    OpportunitySeat, OpportunityStatus, Stakeholder, StakeholderOwner, TriangleSeat, User, UserRole,
    account_member,
)

from .. import policy
from ..db import session
from .errors import ValidationFailed
from .handover_apply import APPLY
from .handover_checks import duplicate_errors, unheld_errors
from .users import update_user

logger = logging.getLogger(__name__)

MAX_NOTE = 2000
#: At most this many lines per handover (bounded work per request); more: hand over group by group.
MAX_CHANGES = 2000


class HandoverError(ValidationFailed):
    """The handover breaks a rule (bad successor, nothing held…); `fields` names the input."""


@dataclass(frozen=True)
class Change:
    """One line of a handover: `record_id` is the seat, stakeholder, next step or account (membership)."""

    kind: HandoverKind
    record_id: int
    account_id: int | None
    customer_group_id: int | None
    from_user_id: int
    to_user_id: int | None  # None: listed before a successor is chosen (`list_holdings`)
    detail: str = ""
    #: The record itself (TriangleSeat, StakeholderOwner, NextStep or Account), for pages and apply.
    record: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Assignments:
    """Successors: `default` for all, overridden per customer group, then per account (the most specific
    wins; a seat belongs to a group, so only the group choice applies to it)."""

    default: User
    by_group: Mapping[int, User] = field(default_factory=dict)
    by_account: Mapping[int, User] = field(default_factory=dict)

    def successor(self, customer_group_id: int | None, account_id: int | None) -> User:
        if account_id is not None and account_id in self.by_account:
            return self.by_account[account_id]
        if customer_group_id is not None and customer_group_id in self.by_group:
            return self.by_group[customer_group_id]
        return self.default

    def users(self) -> list[User]:
        return [self.default, *self.by_group.values(), *self.by_account.values()]


def _check_successor(user: User | None, from_user: User, name: str) -> dict[str, str]:
    if user is None:
        return {name: _("Choose a successor.")}
    if user.id == from_user.id:
        return {name: _("The successor must be someone other than the person handing over.")}
    if not user.active:
        return {name: _("%(name)s is deactivated and cannot take over work.", name=user.name)}
    if user.role == UserRole.VIEWER:
        return {name: _("%(name)s is a viewer; only members and admins can take over work.", name=user.name)}
    return {}


def _refuse(errors: dict[str, str]) -> None:
    if errors:
        raise HandoverError(next(iter(errors.values())), errors)


def check_assignments(*, from_user: User, assignments: Assignments) -> None:
    """Raise HandoverError (fields `to_user_id`, `assignments`) for a successor who is the leaver, inactive
    or a viewer."""
    errors = _check_successor(assignments.default, from_user, "to_user_id")
    for user in [*assignments.by_group.values(), *assignments.by_account.values()]:
        if not errors:
            errors = _check_successor(user, from_user, "assignments")
    _refuse(errors)


def _in_scope(group_column: Any, scope: set[int] | None) -> Any:
    """SQL: the row lies in the actor's groups (None = anywhere, accounts without a group included)."""
    return true() if scope is None else group_column.in_(scope or {-1})


def _seats(from_user: User, today: date, scope: set[int] | None) -> list[TriangleSeat]:
    stmt = (select(TriangleSeat).where(TriangleSeat.user_id == from_user.id,
                                       or_(TriangleSeat.in_force(today), TriangleSeat.scheduled_on(today)))
            .where(_in_scope(TriangleSeat.customer_group_id, scope))
            .order_by(TriangleSeat.customer_group_id, TriangleSeat.role, TriangleSeat.started_on))
    return list(session.scalars(stmt.limit(MAX_CHANGES + 1)))


def _project_seats(from_user: User, today: date,
                   scope: set[int] | None) -> list[tuple[OpportunitySeat, Account]]:
    """Project-triangle seats in force or scheduled on `today` on open opportunities of live accounts."""
    stmt = (select(OpportunitySeat, Account)
            .join(Opportunity, Opportunity.id == OpportunitySeat.opportunity_id)
            .join(Account, Account.id == Opportunity.account_id)
            .where(OpportunitySeat.user_id == from_user.id, Opportunity.status == OpportunityStatus.OPEN,
                   or_(OpportunitySeat.ended_on.is_(None), OpportunitySeat.ended_on > today),
                   Account.archived_at.is_(None), _in_scope(Account.customer_group_id, scope))
            .options(selectinload(OpportunitySeat.opportunity))
            .order_by(Account.id, OpportunitySeat.opportunity_id, OpportunitySeat.role, OpportunitySeat.id))
    return [(seat, a) for seat, a in session.execute(stmt.limit(MAX_CHANGES + 1))]


def _ownerships(from_user: User, scope: set[int] | None) -> list[tuple[StakeholderOwner, Account]]:
    stmt = (select(StakeholderOwner, Account)
            .join(Stakeholder, Stakeholder.id == StakeholderOwner.stakeholder_id)
            .join(Account, Account.id == Stakeholder.account_id)
            .where(StakeholderOwner.user_id == from_user.id, Account.archived_at.is_(None),
                   _in_scope(Account.customer_group_id, scope))
            .options(selectinload(StakeholderOwner.stakeholder).selectinload(Stakeholder.owners))
            .order_by(Account.id, StakeholderOwner.stakeholder_id))
    return [(o, a) for o, a in session.execute(stmt.limit(MAX_CHANGES + 1))]


def _steps(from_user: User, scope: set[int] | None) -> list[tuple[NextStep, Account]]:
    stmt = (select(NextStep, Account)
            .join(Interaction, Interaction.id == NextStep.interaction_id)
            .join(Account, Account.id == Interaction.account_id)
            .where(NextStep.owner_id == from_user.id, NextStep.done.is_(False), Account.archived_at.is_(None),
                   _in_scope(Account.customer_group_id, scope))
            .options(selectinload(NextStep.interaction))
            .order_by(Account.id, NextStep.id))
    return [(s, a) for s, a in session.execute(stmt.limit(MAX_CHANGES + 1))]


def _memberships(from_user: User, scope: set[int] | None) -> list[Account]:
    stmt = (select(Account).join(account_member, account_member.c.account_id == Account.id)
            .where(account_member.c.user_id == from_user.id, Account.archived_at.is_(None),
                   _in_scope(Account.customer_group_id, scope))
            .order_by(Account.id))
    return list(session.scalars(stmt.limit(MAX_CHANGES + 1)))


def plan_handover(*, actor: User, from_user: User, to_user: User, today: date,
                  by_group: Mapping[int, User] | None = None,
                  by_account: Mapping[int, User] | None = None,
                  customer_group_id: int | None = None, include_seats: bool = True) -> list[Change]:
    """What `from_user` holds that `actor` may hand over, each line with its successor; changes nothing.

    Lines: seats in force or scheduled on `today` (the user's day, kb.clock.today()), project-triangle
    seats in force or scheduled on open opportunities (successor by the opportunity's account), ownerships of
    stakeholders, open next steps, named memberships (archived accounts are read-only and left out),
    ordered by customer group, account, kind. `by_group` / `by_account` override `to_user` per group id
    or account id; `customer_group_id` limits the handover to one group; `include_seats=False` leaves the
    group seats out (a seat rotation that hands over the rest). For an AR `actor` only the
    lines in the groups where they are AR are listed. Raises HandoverError for a bad successor, an override
    that moves nothing (kb.services.handover_checks) or more than MAX_CHANGES lines, PermissionDenied when
    `actor` may hand over nothing, or an override lies outside their groups.
    """
    assignments = Assignments(to_user, dict(by_group or {}), dict(by_account or {}))
    scope = policy.handover_group_ids(actor, today)
    override_groups = set(assignments.by_group) | _groups_of(assignments.by_account)
    policy.check_may_hand_over(actor, from_user, override_groups)  # access first: no hints to outsiders
    check_assignments(from_user=from_user, assignments=assignments)
    if customer_group_id is not None:
        policy.check_may_hand_over(actor, from_user, {customer_group_id})
        scope = {customer_group_id}
    changes = _collect(from_user, assignments, today, scope, include_seats)
    _refuse(unheld_errors(leaver_name=from_user.name, changes=changes, by_group=assignments.by_group,
                          by_account=assignments.by_account))
    if len(changes) > MAX_CHANGES:
        raise HandoverError(_("Too many lines for one handover (more than %(n)d): hand over one customer "
                              "group at a time.", n=MAX_CHANGES), {"from_user_id": _("Too many lines.")})
    return sorted(changes, key=_line_order)


_KIND_ORDER = {kind: n for n, kind in enumerate(HandoverKind)}


def _groups_of(by_account: Mapping[int, User]) -> set[int | None]:
    if not by_account:
        return set()
    return set(session.scalars(select(Account.customer_group_id).where(Account.id.in_(list(by_account)))))


def list_holdings(*, actor: User, from_user: User, today: date) -> list[Change]:
    """What `from_user` holds that `actor` may hand over (the lines of `plan_handover`, no successor yet:
    `to_user_id` is None). Raises PermissionDenied when `actor` may hand over nothing."""
    policy.check_may_hand_over(actor, from_user, set())
    changes = _collect(from_user, None, today, policy.handover_group_ids(actor, today))
    return sorted(changes[:MAX_CHANGES], key=_line_order)


def _line_order(c: Change) -> tuple[Any, ...]:
    return (c.customer_group_id or 0, c.account_id or 0, _KIND_ORDER[c.kind], c.record_id, c.detail)


def _collect(from_user: User, assignments: Assignments | None, today: date,
             scope: set[int] | None, include_seats: bool = True) -> list[Change]:
    changes: list[Change] = []

    def add(kind: HandoverKind, record_id: int, account: Account | None, group_id: int | None, detail: str,
            record: Any) -> None:
        account_id = account.id if account is not None else None
        to = assignments.successor(group_id, account_id).id if assignments is not None else None
        changes.append(Change(kind, record_id, account_id, group_id, from_user.id, to, detail, record))

    for seat in _seats(from_user, today, scope) if include_seats else []:
        add(HandoverKind.SEAT, seat.id, None, seat.customer_group_id, seat.role.value, seat)
    for pseat, account in _project_seats(from_user, today, scope):  # moved with a group rotation too
        add(HandoverKind.PROJECT_SEAT, pseat.id, account, account.customer_group_id, pseat.role.value, pseat)
    for owner, account in _ownerships(from_user, scope):
        add(HandoverKind.STAKEHOLDER_OWNER, owner.stakeholder_id, account, account.customer_group_id,
            "primary" if owner.is_primary else "backup", owner)
    for step, account in _steps(from_user, scope):
        add(HandoverKind.NEXT_STEP, step.id, account, account.customer_group_id, "", step)
    for account in _memberships(from_user, scope):
        add(HandoverKind.ACCOUNT_MEMBER, account.id, account, account.customer_group_id, "", account)
    return changes


def apply_handover(*, actor: User, from_user: User, to_user: User, today: date,
                   by_group: Mapping[int, User] | None = None, by_account: Mapping[int, User] | None = None,
                   customer_group_id: int | None = None, note: str = "",
                   deactivate_from: bool = False, include_seats: bool = True) -> Handover:
    """Hand over everything `plan_handover` lists, in the caller's transaction (flush only), and record it.

    Seats rotate as kb.services.groups.rotate_seat does (the leaver's seat ends today, the successor's
    starts today; a scheduled seat is cancelled and given to the successor from its own start), owners
    are replaced (no duplicate row when the successor already owns: they keep the stronger of the two),
    next steps change owner, memberships move. Changed stakeholders, steps and accounts get a new version.
    With `deactivate_from` (admins only) the leaver is deactivated and signed out everywhere.
    Raises HandoverError (bad successor, note too long, nothing to hand over), PermissionDenied.
    """
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise HandoverError(_("The note may have at most %(n)d characters.", n=MAX_NOTE),
                            {"note": _("The note may have at most %(n)d characters.", n=MAX_NOTE)})
    changes = plan_handover(actor=actor, from_user=from_user, to_user=to_user, today=today, by_group=by_group,
                            by_account=by_account, customer_group_id=customer_group_id,
                            include_seats=include_seats)
    if deactivate_from:
        policy.check_may_hand_over(actor, from_user, set(), deactivate=True)
    if not changes:
        message = _("%(name)s holds nothing you can hand over.", name=from_user.name)
        raise HandoverError(message, {"from_user_id": message})
    users = {u.id: u for u in Assignments(to_user, by_group or {}, by_account or {}).users()}
    for change in changes:
        APPLY[change.kind](change, users[change.to_user_id or 0], actor, today)
    handover = Handover(created_by_id=actor.id, from_user_id=from_user.id, to_user_id=to_user.id, note=note,
                        deactivated_from=bool(deactivate_from and from_user.active))
    handover.changes = [HandoverChange(kind=c.kind, record_id=c.record_id, detail=c.detail,
                                       account_id=c.account_id, customer_group_id=c.customer_group_id,
                                       from_user_id=c.from_user_id, to_user_id=c.to_user_id) for c in changes]
    session.add(handover)
    if handover.deactivated_from:
        update_user(user=from_user, name=from_user.name, email=from_user.email, role=from_user.role,
                    active=False, author=actor)
    session.flush()
    logger.info("handover %s: %d lines of user %s moved by user %s", handover.id, len(changes), from_user.id,
                actor.id)
    return handover


def hand_over_with_rotation(*, actor: User, from_user: User, to_user: User, group: CustomerGroup, today: date,
                            note: str = "") -> Handover | None:
    """With a seat rotation in `group` (done by kb.services.groups.rotate_seat): hand the outgoing holder's
    relationships, open next steps and memberships in that group's accounts to the new holder, and record
    it. Seats are left to the rotation. Returns None when the outgoing holder holds nothing else there.
    Raises HandoverError (bad successor) and PermissionDenied like `apply_handover`."""
    if not plan_handover(actor=actor, from_user=from_user, to_user=to_user, today=today,
                         customer_group_id=group.id, include_seats=False):
        return None
    return apply_handover(actor=actor, from_user=from_user, to_user=to_user, today=today,
                          customer_group_id=group.id, note=note, include_seats=False)


def successors_from(pairs: Iterable[tuple[str, int, int]]) -> tuple[dict[int, User], dict[int, User]]:
    """(("customer_group"|"account", id, user id), …) → (by_group, by_account) of loaded users.

    Raises HandoverError (field `assignments`) for an unknown user, group or account id, or a group or
    account given twice.
    """
    pairs = list(pairs)
    _refuse(duplicate_errors(pairs))
    by_group: dict[int, User] = {}
    by_account: dict[int, User] = {}
    for index, (scope, record_id, user_id) in enumerate(pairs):
        user = session.get(User, user_id)
        model = CustomerGroup if scope == "customer_group" else Account
        if user is None or session.get(model, record_id) is None:
            message = _("No user, customer group or account with this id.")
            raise HandoverError(message, {f"assignments-{index}": message})
        (by_group if scope == "customer_group" else by_account)[record_id] = user
    return by_group, by_account
