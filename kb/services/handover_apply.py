"""How a handover moves each kind of holding to the successor: a customer-group seat, a project-triangle seat,
a stakeholder ownership, a next step, an account membership (`APPLY`, by HandoverKind). Moved out of
kb/services/handover.py, which decides what moves and calls these (and flushes); a leaver's seat ends on the
day and is kept as history.
"""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import and_, delete, insert, select

from models import (
    Account, CustomerGroup, HandoverKind, NextStep, OpportunitySeat, StakeholderOwner, TriangleSeat, User,
    account_member,
)

from ..db import session
from .versioning import claim_version

if TYPE_CHECKING:
    from .handover import Change


def _move_seat(change: Change, to: User, actor: User, today: date) -> None:
    seat: TriangleSeat = change.record
    start = max(seat.started_on, today)  # a scheduled seat keeps its own start day
    holds = session.scalar(select(TriangleSeat.id).where(
        TriangleSeat.customer_group_id == seat.customer_group_id, TriangleSeat.role == seat.role,
        TriangleSeat.user_id == to.id, TriangleSeat.in_force(start)))
    if holds is None:
        new = TriangleSeat(customer_group_id=seat.customer_group_id, user_id=to.id, role=seat.role,
                           started_on=start, ended_on=seat.ended_on)
        new.touch(actor.id)
        session.add(new)
    seat.ended_on = start
    seat.touch(actor.id)
    group = session.get(CustomerGroup, seat.customer_group_id)
    if group is not None:
        group.touch(actor.id)
        session.expire(group, ["seats"])


def _move_project_seat(change: Change, to: User, actor: User, today: date) -> None:
    """As `_move_seat`, on the opportunity's project triangle (kb.services.opportunity_seats' rules)."""
    seat: OpportunitySeat = change.record
    opportunity = seat.opportunity
    claim_version(opportunity, None, _("Someone saved this opportunity during the handover."))
    start = max(seat.started_on, today)
    holds = session.scalar(select(OpportunitySeat.id).where(
        OpportunitySeat.opportunity_id == seat.opportunity_id, OpportunitySeat.role == seat.role,
        OpportunitySeat.user_id == to.id, OpportunitySeat.in_force(start)))
    if holds is None:
        new = OpportunitySeat(opportunity_id=seat.opportunity_id, user_id=to.id, role=seat.role,
                              started_on=start, ended_on=seat.ended_on, note=seat.note)
        new.touch(actor.id)
        session.add(new)
    seat.ended_on = start
    seat.touch(actor.id)
    opportunity.touch(actor.id)
    session.expire(opportunity, ["seats"])


def _move_owner(change: Change, to: User, actor: User, today: date) -> None:
    owner: StakeholderOwner = change.record
    stakeholder = owner.stakeholder
    claim_version(stakeholder, None, _("Someone saved this stakeholder during the handover."))
    existing = next((o for o in stakeholder.owners if o.user_id == to.id), None)
    was_primary = owner.is_primary
    stakeholder.owners.remove(owner)
    session.flush()  # the leaver's row goes before the successor's primary flag is set
    if existing is None:
        stakeholder.owners.append(StakeholderOwner(user_id=to.id, is_primary=was_primary))
    elif was_primary:
        existing.is_primary = True
    stakeholder.touch(actor.id)


def _move_step(change: Change, to: User, actor: User, today: date) -> None:
    step: NextStep = change.record
    claim_version(step, None, _("Someone saved this next step during the handover."))
    step.owner_id = to.id
    step.interaction.touch(actor.id)  # the interaction's search document names the step's owner


def _move_membership(change: Change, to: User, actor: User, today: date) -> None:
    account: Account = change.record
    claim_version(account, None, _("Someone saved this account during the handover."))
    session.execute(delete(account_member).where(account_member.c.account_id == account.id,
                                                 account_member.c.user_id == change.from_user_id))
    already = session.scalar(select(account_member.c.user_id).where(
        and_(account_member.c.account_id == account.id, account_member.c.user_id == to.id)))
    if already is None:
        session.execute(insert(account_member).values(account_id=account.id, user_id=to.id))
    session.expire(account, ["members"])
    account.touch(actor.id)


#: How each kind of holding moves to its successor (handover.apply_handover runs them).
APPLY = {
    HandoverKind.SEAT: _move_seat,
    HandoverKind.STAKEHOLDER_OWNER: _move_owner,
    HandoverKind.NEXT_STEP: _move_step,
    HandoverKind.ACCOUNT_MEMBER: _move_membership,
    HandoverKind.PROJECT_SEAT: _move_project_seat,
}
