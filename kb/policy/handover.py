"""Handover (kb/services/handover.py): admins hand over anything; a group's current AR that group's work."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from models import SeatRole, TriangleSeat

from ..db import session
from ..services.errors import PermissionDenied
from .core import _user_id, is_admin, _is_active_member, seat_in_force


def handover_group_ids(user: Any, today: date | None = None) -> set[int] | None:
    """Customer groups whose work `user` may hand over: None = everything (admins); else the groups where
    `user`, an active member, holds the AR seat in force on `today` (default kb.clock.today())."""
    if is_admin(user):
        return None
    if not _is_active_member(user):
        return set()
    return set(session.scalars(
        select(TriangleSeat.customer_group_id).where(
            TriangleSeat.user_id == _user_id(user), TriangleSeat.role == SeatRole.AR, seat_in_force(today))
    ))


def may_hand_over(user: Any) -> bool:
    """May `user` hand over anyone's work at all (admins; a customer group's current AR, in that group)?"""
    scope = handover_group_ids(user)
    return scope is None or bool(scope)


def may_read_handover(user: Any, handover: Any) -> bool:
    """May `user` read a handover record: admins, who ran it, the leaver, and every successor in it."""
    uid = _user_id(user)
    if uid is None:
        return False
    return (is_admin(user) or uid in (handover.created_by_id, handover.from_user_id, handover.to_user_id)
            or any(change.to_user_id == uid for change in handover.changes))


def check_may_hand_over(user: Any, from_user: Any, scope: set[int | None], *,
                        deactivate: bool = False) -> None:
    """Raise PermissionDenied unless `user` may hand over `from_user`'s work in the customer groups `scope`
    (None in it: accounts in no group). Admins hand over anyone's work anywhere and alone may deactivate the
    leaver; a group's current AR hands over only what lies in that group (its seats and its accounts)."""
    allowed = handover_group_ids(user)
    if allowed is None:
        return
    if not allowed:
        raise PermissionDenied(_("Only admins and a customer group's current AR may hand over work."))
    if deactivate:
        raise PermissionDenied(_("Only admins may deactivate the leaver."),
                               fields={"deactivate_from": _("Only admins may deactivate the leaver.")})
    if not scope <= allowed:
        raise PermissionDenied(_("You may only hand over work in the customer groups where you are the AR."))
