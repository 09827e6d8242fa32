"""The project iron triangle formed when an opportunity opens (issue 10 §2).

A new opportunity (created on its page, by the API, or converted from a lead) gets its AR/SR/FR seats on
the opening day, in the same transaction, through kb.services.opportunity_seats (its checks and history
apply). The proposal is the account's customer-group triangle in force; the user may change or clear each
role. Seat choices come as ``{"AR": user_id | None, "SR": …, "FR": …}``; errors are keyed ``seats.AR`` etc.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _

from models import Account, Opportunity, SeatRole, User, UserRole

from ..db import session
from .errors import ValidationFailed
from .opportunity_seats import add_project_seat
from .triangles import Triangle


def seat_key(role: SeatRole) -> str:
    """The error key of `role`'s choice: ``seats.AR``, ``seats.SR``, ``seats.FR``."""
    return f"seats.{role.value}"


def group_holders(account: Account) -> dict[str, int | None]:
    """Role value → user id of the holder of that seat in force today on the account's customer-group
    triangle (None: vacant, no group, or the holder may no longer hold a seat: inactive or a viewer)."""
    out: dict[str, int | None] = {role.value: None for role in SeatRole}
    group = account.customer_group
    if group is None:
        return out
    from .groups import current_triangle  # groups is a large module; only needed here

    triangle: Triangle = current_triangle(group)
    for role, seat in triangle.items():
        user = seat.user if seat is not None else None
        if user is not None and user.active and user.role in (UserRole.MEMBER, UserRole.ADMIN):
            out[role.value] = user.id
    return out


def check_opening_seats(seats: Mapping[str, Any]) -> dict[SeatRole, int]:
    """Clean the seat choices: keys among AR/SR/FR, values a user id or None/0 (no seat for that role).

    Returns role → user id for the roles to seat. Raises ValidationFailed with ``seats.<role>`` fields:
    unknown role, not a whole number, unknown or inactive user, a viewer (only members and admins hold
    seats, as in kb.services.opportunity_seats)."""
    errors: dict[str, str] = {}
    chosen: dict[SeatRole, int] = {}
    for key, value in seats.items():
        try:
            role = SeatRole(key)
        except ValueError:
            errors[f"seats.{key}"] = _("Unknown role: use AR, SR or FR.")
            continue
        if value in (None, 0, ""):
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            errors[seat_key(role)] = _("Choose a person from the list.")
            continue
        user = session.get(User, value) if value <= 2**31 - 1 else None
        if user is None or not user.active:
            errors[seat_key(role)] = _("Choose an active member or admin for this seat.")
        elif user.role not in (UserRole.MEMBER, UserRole.ADMIN):
            errors[seat_key(role)] = _("%(name)s is a viewer; only members and admins hold seats.",
                                       name=user.name)
        else:
            chosen[role] = value
    if errors:
        raise ValidationFailed(_("Check the project triangle seats."), errors)
    return chosen


def form_opening_triangle(*, opportunity: Opportunity, author: User,
                          seats: Mapping[SeatRole, int]) -> int:
    """Seat each chosen person from the opening day (`opportunity.opened_on`). Returns how many seats
    were added: none when the opportunity is recorded already closed (won/lost/abandoned: its triangle
    has ended). Raises what kb.services.opportunity_seats.add_project_seat raises, its field errors
    moved onto ``seats.<role>``."""
    if opportunity.is_closed:
        return 0
    for role, user_id in seats.items():
        try:
            add_project_seat(opportunity=opportunity, author=author, user_id=user_id, role=role,
                             started_on=opportunity.opened_on, rotate=False)
        except ValidationFailed as exc:
            raise ValidationFailed(exc.message, {seat_key(role): m for m in (exc.fields or {}).values()}
                                   or None) from exc
    return len(seats)
