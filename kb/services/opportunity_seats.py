"""The project iron triangle (项目铁三角) of an opportunity: AR/SR/FR seats, added, rotated and ended.

A temporary team formed around one opportunity, beside the stable customer-group triangle: a person may
hold a project seat without any customer-group seat (and thereby edits that opportunity, kb.policy). Seats
are never deleted: ending one sets its end date, so the history stays readable. Closing the opportunity
ends every seat still open (`end_all_seats`).
"""
from __future__ import annotations

import logging
from datetime import date
from typing import Any

from flask_babel import gettext as _

from models import Opportunity, OpportunitySeat, SeatRole, User, UserRole

from .. import clock, policy
from ..db import session
from . import ltc_checks as check
from .errors import ValidationFailed
from .versioning import claim_version

logger = logging.getLogger(__name__)

NOTE_MAX = 500
MAX_OPEN_SEATS = 30


def end_all_seats(*, opportunity: Opportunity, day: date, author: User) -> int:
    """End every seat of `opportunity` still open after `day`: in force → ends on `day`; recorded ahead →
    cancelled (ends on its start day). Returns how many seats were ended. No permission check: callers
    (closing an opportunity) have checked."""
    ended = 0
    for seat in opportunity.seats:
        if seat.ended_on is None or seat.ended_on > day:
            seat.ended_on = max(day, seat.started_on)
            seat.touch(author.id)
            ended += 1
    return ended


def add_project_seat(*, opportunity: Opportunity, author: User, user_id: Any, role: Any,
                     started_on: date | None = None, note: str = "", rotate: bool = True) -> OpportunitySeat:
    """Give `user_id` the `role` seat on the opportunity's project triangle from `started_on` (default
    today). With `rotate`, the seats of that role still open on that day end on it (a rotation).

    Raises AccountArchived / PermissionDenied (check_may_edit_opportunity), ValidationFailed (closed
    opportunity; unknown, inactive or viewer user — viewers only read, like group seats; bad role or date; the person already holds that seat).
    """
    policy.check_may_edit_opportunity(author, opportunity)
    errors: dict[str, str] = {}
    uid = check.active_user(user_id, "user_id", errors, required=True)
    person = session.get(User, uid) if uid is not None else None
    if person is not None and person.role not in (UserRole.MEMBER, UserRole.ADMIN):
        errors["user_id"] = _("%(name)s is a viewer; only members and admins hold seats.", name=person.name)
    seat_role = check.choice(SeatRole, role, "role", errors)
    start = check.day(started_on or clock.today(), "started_on", errors)
    note = check.text(note, "note", NOTE_MAX, errors)
    if opportunity.is_closed:
        errors["user_id"] = _("This opportunity is closed: its project triangle has ended.")
    elif start is not None and start < opportunity.opened_on:
        errors["started_on"] = _("A seat cannot start before the opportunity opened (%(d)s).",
                                 d=opportunity.opened_on.isoformat())
    open_seats = [s for s in opportunity.seats if s.ended_on is None]
    if uid is not None and any(s.user_id == uid and s.role == seat_role for s in open_seats):
        errors["user_id"] = _("This person already holds this seat.")
    if len(open_seats) >= MAX_OPEN_SEATS:
        errors["user_id"] = _("At most %(n)d open seats per opportunity.", n=MAX_OPEN_SEATS)
    check.raise_if(errors)
    claim_version(opportunity, None, "")  # the triangle is part of what an edit form of it read
    if rotate:
        for seat in open_seats:
            if seat.role == seat_role and seat.started_on <= start:
                seat.ended_on = start
                seat.touch(author.id)
    seat = OpportunitySeat(opportunity=opportunity, user_id=uid, role=seat_role, started_on=start, note=note)
    seat.touch(author.id)
    session.add(seat)
    session.flush()
    logger.info("opportunity %s: user %s seated as %s by user %s", opportunity.id, uid, seat_role.value,
                author.id)
    return seat


def end_project_seat(*, seat: OpportunitySeat, author: User, ended_on: date | None = None) -> OpportunitySeat:
    """End `seat` on `ended_on` (default today; not before its start). The seat stays as history.

    Raises AccountArchived / PermissionDenied, ValidationFailed (already ended; date before the start).
    """
    policy.check_may_edit_opportunity(author, seat.opportunity)
    errors: dict[str, str] = {}
    day = check.day(ended_on or clock.today(), "ended_on", errors)
    if seat.ended_on is not None and seat.ended_on <= clock.today():
        raise ValidationFailed(_("This seat has already ended."))
    if day is not None and day < seat.started_on:
        errors["ended_on"] = _("A seat cannot end before it starts (%(d)s).", d=seat.started_on.isoformat())
    check.raise_if(errors)
    claim_version(seat.opportunity, None, "")
    seat.ended_on = day
    seat.touch(author.id)
    session.flush()
    return seat
