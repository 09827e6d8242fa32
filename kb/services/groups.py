"""Customer groups (客户群) and their iron triangles (铁三角): creation, seat rotation, history, gaps.

Seats are never deleted. Rotating a role ends its current seat (ended_on = the new start date) and
starts a new one; `end_seat` leaves the role vacant. Every change is for admins only: each write calls
kb.policy.check_may_manage first. Who holds a role on a day: `current_triangle` (seats in force).
"""
from __future__ import annotations

import logging
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from models import Account, CustomerGroup, SeatRole, TriangleSeat, User, UserRole

from .. import clock, policy
from ..db import session
from .errors import ValidationFailed
from .dates import EARLIEST
from .triangles import Triangle
from .versioning import claim_version, settle_version

logger = logging.getLogger(__name__)

MAX_NAME = 100
MAX_DESCRIPTION = 5000
MAX_NOTE = 500
#: How far ahead a rotation may be scheduled.
MAX_AHEAD = timedelta(days=366)


class GroupError(ValidationFailed):
    """A group or seat change breaks a rule; `fields` says which input."""


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise GroupError(next(iter(errors.values())), errors)


# --- groups -------------------------------------------------------------------------------------

def _check_group(name: str, name_en: str, description: str, group_id: int | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not name or len(name) > MAX_NAME:
        errors["name"] = _("Enter a name of 1 to %(n)d characters.", n=MAX_NAME)
    # The exact name too: SQLite's lower() folds ASCII only, so "Île" was missed and the UNIQUE
    # constraint answered instead, with a 500 (found by Schemathesis: tests/test_api_fuzz_findings.py).
    elif session.scalar(select(CustomerGroup.id).where(
            or_(CustomerGroup.name == name, func.lower(CustomerGroup.name) == name.lower()),
            CustomerGroup.id != (group_id or 0))):
        errors["name"] = _("Another customer group is already called “%(name)s”.", name=name)
    if len(name_en) > MAX_NAME:
        errors["name_en"] = _("The English name may have at most %(n)d characters.", n=MAX_NAME)
    if len(description) > MAX_DESCRIPTION:
        errors["description"] = _("The description may have at most %(n)d characters.", n=MAX_DESCRIPTION)
    return errors


def create_group(*, author: User, name: str, name_en: str = "", description: str = "") -> CustomerGroup:
    """Create a customer group; names are unique (case-insensitive) and 1–100 characters.

    Raises PermissionDenied (not an admin) and GroupError.
    """
    policy.check_may_manage(author)
    name, name_en, description = (name or "").strip(), (name_en or "").strip(), (description or "").strip()
    _raise(_check_group(name, name_en, description, None))
    group = CustomerGroup(name=name, name_en=name_en, description=description)
    group.touch(author.id)
    session.add(group)
    session.flush()
    logger.info("group %s created by user %s", group.id, author.id)
    return group


def update_group(*, group: CustomerGroup, author: User, name: str | None = None, name_en: str | None = None,
                 description: str | None = None, base_version: int | None = None) -> CustomerGroup:
    """Change a group's names or description; arguments left as None keep their current value.

    Raises PermissionDenied (not an admin), GroupError, and Conflict(current=group) when `base_version`
    (None: not checked) is no longer the stored version.
    """
    policy.check_may_manage(author)
    name = group.name if name is None else name.strip()
    name_en = group.name_en if name_en is None else name_en.strip()
    description = group.description if description is None else description.strip()
    _raise(_check_group(name, name_en, description, group.id))
    claim_version(group, base_version, _("Someone saved this customer group while you were editing it."),
                  bump=False)
    group.name, group.name_en, group.description = name, name_en, description
    group.touch(author.id)
    settle_version(group)  # nothing changed: version kept
    session.flush()
    return group


def list_groups() -> list[CustomerGroup]:
    """All groups by name, current seats and their users eager-loaded (see `current_triangle`)."""
    return list(session.scalars(
        select(CustomerGroup).order_by(CustomerGroup.name)
        .options(selectinload(CustomerGroup.seats).joinedload(TriangleSeat.user))
    ))


def account_counts() -> dict[int, int]:
    """Number of non-archived accounts per group id."""
    rows = session.execute(
        select(Account.customer_group_id, func.count(Account.id))
        .where(Account.customer_group_id.is_not(None), Account.archived_at.is_(None))
        .group_by(Account.customer_group_id)
    )
    return {gid: n for gid, n in rows}


def group_accounts(group: CustomerGroup) -> Select[tuple[Account]]:
    """SELECT of the group's non-archived accounts, by name (the group page shows it a page at a time)."""
    return (select(Account).where(Account.customer_group_id == group.id, Account.archived_at.is_(None))
            .order_by(Account.name, Account.id))


# --- triangle -----------------------------------------------------------------------------------

def current_triangle(group: CustomerGroup, *, today: date | None = None) -> Triangle:
    """The seat in force on `today` (default kb.clock.today()) for each role (None = vacant), in AR, SR,
    FR order, and the seats scheduled to start later (`.scheduled`)."""
    return Triangle.build(group.seats, today or clock.today())


def seat_history(group: CustomerGroup) -> dict[SeatRole, list[TriangleSeat]]:
    """All seats of the group per role, newest first, users loaded."""
    seats = session.scalars(
        select(TriangleSeat).where(TriangleSeat.customer_group_id == group.id)
        .options(selectinload(TriangleSeat.user))
        .order_by(TriangleSeat.started_on.desc(), TriangleSeat.id.desc())
    )
    history: dict[SeatRole, list[TriangleSeat]] = {role: [] for role in SeatRole}
    for seat in seats:
        history[seat.role].append(seat)
    return history


def eligible_holders() -> list[User]:
    """Users who may hold a seat: active members and admins, by name."""
    return list(session.scalars(
        select(User).where(User.active.is_(True), User.role.in_([UserRole.MEMBER, UserRole.ADMIN]))
        .order_by(User.name)
    ))


def _open_seats(group: CustomerGroup, role: SeatRole) -> list[TriangleSeat]:
    """Open seats of `role` (no end date: in force or scheduled), newest first (normally one)."""
    return list(session.scalars(
        select(TriangleSeat).where(TriangleSeat.customer_group_id == group.id, TriangleSeat.role == role,
                                   TriangleSeat.is_open())
        .order_by(TriangleSeat.started_on.desc(), TriangleSeat.id.desc())
    ))


def _check_rotation(current: TriangleSeat | None, user: User | None, started_on: date,
                    note: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if user is None:
        errors["user_id"] = _("Choose who takes the seat.")
    elif not user.active:
        errors["user_id"] = _("%(name)s is deactivated and cannot hold a seat.", name=user.name)
    elif user.role not in (UserRole.MEMBER, UserRole.ADMIN):
        errors["user_id"] = _("%(name)s is a viewer; only members and admins hold seats.", name=user.name)
    elif current is not None and current.user_id == user.id:
        errors["user_id"] = _("%(name)s already holds this seat.", name=user.name)
    if started_on < EARLIEST:  # the one date rule (kb.services.dates)
        errors["started_on"] = _("Enter a date after %(d)s.", d=EARLIEST.isoformat())
    elif current is not None and started_on < current.started_on:
        errors["started_on"] = _("The new seat cannot start before the current holder's start (%(d)s).",
                                 d=current.started_on.isoformat())
    elif started_on > clock.today() + MAX_AHEAD:
        errors["started_on"] = _("The start date may be at most one year ahead.")
    if len(note) > MAX_NOTE:
        errors["note"] = _("The note may have at most %(n)d characters.", n=MAX_NOTE)
    return errors


def rotate_seat(*, group: CustomerGroup, role: SeatRole, user: User, author: User,
                started_on: date | None = None, note: str = "") -> TriangleSeat:
    """Give `role` of `group` to `user` from `started_on` (default today), ending the current seat.

    Raises GroupError (a ValidationFailed) if the user already holds that role, is a viewer or
    deactivated, or if the date is before the current holder's start or more than a year ahead;
    PermissionDenied if `author` is not an admin.
    """
    policy.check_may_manage(author)
    try:
        role = SeatRole(role)
    except ValueError:
        _raise({"role": _("Choose AR, SR or FR.")})
    started_on = started_on or clock.today()
    note = (note or "").strip()
    open_seats = _open_seats(group, role)
    _raise(_check_rotation(open_seats[0] if open_seats else None, user, started_on, note))
    for current in open_seats:
        current.ended_on = started_on
        current.touch(author.id)
    seat = TriangleSeat(customer_group_id=group.id, user_id=user.id, role=role, started_on=started_on,
                        note=note)
    seat.touch(author.id)
    session.add(seat)
    group.touch(author.id)
    session.flush()
    session.expire(group, ["seats"])
    logger.info("group %s: %s seat given to user %s by user %s", group.id, role.value, user.id, author.id)
    return seat


def end_seat(*, seat: TriangleSeat, author: User, ended_on: date | None = None) -> TriangleSeat:
    """End an open seat, leaving its role vacant (default: today). History is kept.

    Raises PermissionDenied (not an admin) and GroupError.
    """
    policy.check_may_manage(author)
    ended_on = ended_on or clock.today()
    if seat.ended_on is not None:
        _raise({"seat": _("This seat has already ended.")})
    if ended_on < seat.started_on:
        _raise({"ended_on": _("The end date cannot be before the seat's start (%(d)s).",
                              d=seat.started_on.isoformat())})
    if ended_on > clock.today() + MAX_AHEAD:
        _raise({"ended_on": _("The end date may be at most one year ahead.")})
    seat.ended_on = ended_on
    seat.touch(author.id)
    session.flush()
    session.expire(seat.customer_group, ["seats"])
    return seat


def seats_held(user_ids: list[int] | None = None, *, today: date | None = None) -> dict[int, list[TriangleSeat]]:
    """Seats in force on `today` (default kb.clock.today()) or scheduled after it, per user id (groups
    loaded), for user lists."""
    today = today or clock.today()
    stmt = (select(TriangleSeat).where(TriangleSeat.in_force(today) | TriangleSeat.scheduled_on(today))
            .options(selectinload(TriangleSeat.customer_group)).order_by(TriangleSeat.role))
    if user_ids is not None:
        stmt = stmt.where(TriangleSeat.user_id.in_(user_ids))
    held: dict[int, list[TriangleSeat]] = {}
    for seat in session.scalars(stmt):
        held.setdefault(seat.user_id, []).append(seat)
    return held
