"""The AR/SR/FR pickers of the new-opportunity and lead-conversion forms (issue 10 §2): offered the
people who may hold a seat, prefilled with the account's customer-group triangle in force."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import request
from flask_babel import gettext as _

from kb.services.errors import ValidationFailed
from kb.services.opening_triangle import group_holders
from models import Account, SeatRole
from views.stakeholders.util import user_choices

T = TypeVar("T")
ROLES = tuple(role.value for role in SeatRole)


def prepare_seats(form: Any, account: Account | None) -> None:
    """Fill the pickers' choices (active members and admins); on GET, propose the group's holders."""
    proposed = group_holders(account) if account is not None and request.method == "GET" else {}
    for role in ROLES:
        picker = getattr(form, f"seat_{role}")
        if request.method == "GET":
            picker.data = proposed.get(role) or 0
        keep = [picker.data] if isinstance(picker.data, int) and picker.data else []
        picker.choices = user_choices(keep, blank=_("— no seat —"))


def chosen_seats(form: Any) -> dict[str, int | None]:
    """Role → the chosen user id (None: cleared)."""
    return {role: getattr(form, f"seat_{role}").data or None for role in ROLES}


def with_seat_fields(call: Callable[[], T]) -> T:
    """Run `call`, moving the service's ``seats.AR`` errors onto the form's ``seat_AR`` fields."""
    try:
        return call()
    except ValidationFailed as exc:
        if not any(key.startswith("seats.") for key in exc.fields or {}):
            raise  # keeps its own kind and code (e.g. budget_not_confirmed)
        fields = {k.replace("seats.", "seat_", 1) if k.startswith("seats.") else k: v
                  for k, v in (exc.fields or {}).items()}
        raise ValidationFailed(exc.message, fields) from exc
