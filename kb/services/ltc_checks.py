"""Input checks shared by the Lead to Cash services (leads, opportunities, risks): text, amounts, dates,
probabilities, vocabularies and users. Each check adds a translated message to `errors[field]` and returns
the clean value (or None), so a service reports every bad field at once (ValidationFailed(fields=...)).
"""
from __future__ import annotations

import enum
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from models import User

from ..db import session
from .dates import checked_day
from .errors import ValidationFailed

#: Amounts are Numeric(18, 2): at most 16 digits before the point and 2 after.
AMOUNT_MAX = Decimal("9999999999999999.99")
FUTURE_LIMIT = timedelta(days=366 * 10)
CURRENCIES = ("CNY", "USD", "EUR", "HKD", "JPY", "GBP")


def raise_if(errors: dict[str, str]) -> None:
    """Raise ValidationFailed with every message of `errors` (the first as the summary), if any."""
    if errors:
        raise ValidationFailed(next(iter(errors.values())), dict(errors))


def text(value: Any, field: str, max_length: int, errors: dict[str, str], *, required: bool = False,
         strip: bool = True) -> str:
    """A string of at most `max_length` characters (stripped); `required`: not blank."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[field] = _("Must be a string.")
        return ""
    value = value.strip() if strip else value
    if len(value) > max_length:
        errors[field] = _("Enter at most %(n)d characters.", n=max_length)
    elif required and not value.strip():
        errors[field] = _("This field is required.")
    return value


def amount(value: Any, field: str, errors: dict[str, str], *, required: bool = False) -> Decimal | None:
    """A non-negative amount with at most two decimal places, below 10^16 (None when empty)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[field] = _("Enter an amount.")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        errors[field] = _("Enter an amount, e.g. 1250000.00.")
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        errors[field] = _("Enter an amount, e.g. 1250000.00.")
        return None
    if not number.is_finite():
        errors[field] = _("Enter an amount, e.g. 1250000.00.")
    elif number < 0:
        errors[field] = _("An amount cannot be negative.")
    elif number > AMOUNT_MAX:
        errors[field] = _("This amount is too large.")
    elif number != number.quantize(Decimal("0.01")):
        errors[field] = _("At most two decimal places.")
    else:
        return number.quantize(Decimal("0.01"))
    return None


def currency(value: Any, field: str, errors: dict[str, str]) -> str:
    """One of the currencies we price in (CURRENCIES); empty → CNY."""
    if value in (None, ""):
        return "CNY"
    if not isinstance(value, str) or value.strip().upper() not in CURRENCIES:
        errors[field] = _("Choose one of the listed values.")
        return "CNY"
    return value.strip().upper()


def day(value: Any, field: str, errors: dict[str, str], *, required: bool = False) -> date | None:
    """A real date from 1980 to ten years ahead of today (the configured zone's today; kb.services.dates)."""
    return checked_day(value, field, errors, required=required, horizon=FUTURE_LIMIT,
                       too_far=_("This date is more than ten years ahead; check the year."))


def percent(value: Any, field: str, errors: dict[str, str]) -> int | None:
    """A whole number from 0 to 100 (None when empty)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        errors[field] = _("Enter a whole number from 0 to 100.")
        return None
    return value


def choice(enum_cls: type[enum.Enum], value: Any, field: str, errors: dict[str, str]) -> Any:
    """A member of `enum_cls` (given as member or value)."""
    try:
        return value if isinstance(value, enum_cls) else enum_cls(value)
    except ValueError:
        errors[field] = _("Choose one of the listed values.")
        return None


def active_user(value: Any, field: str, errors: dict[str, str], *, keep: int | None = None,
                required: bool = False) -> int | None:
    """The id of an active user (an inactive one only if it is `keep`, the value already stored)."""
    if value in (None, 0, ""):
        if required:
            errors[field] = _("Choose a person.")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        errors[field] = _("Unknown user.")
        return None
    user = session.scalar(select(User).where(User.id == value))
    if user is None:
        errors[field] = _("Unknown user.")
        return None
    if not user.active and value != keep:
        errors[field] = _("%(name)s is no longer active; choose an active user.", name=user.name)
        return None
    return value
