"""The one check of a typed date (visits, next steps, Lead to Cash records): a real date, not before 1980,
not further ahead of today (the configured zone's) than the caller's horizon."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _

from .. import clock

EARLIEST = date(1980, 1, 1)


def checked_day(value: Any, field: str, errors: dict[str, str], *, required: bool, horizon: timedelta,
                too_far: str) -> date | None:
    """`value` if it is a date from EARLIEST to today + `horizon`; else the message goes to `errors[field]`
    (`too_far` when it is beyond the horizon, e.g. "This date is more than a year ahead; check the year.").
    None (and "Enter a date." when `required`) for no value; a datetime or anything else is not a date."""
    if value is None:
        if required:
            errors[field] = _("Enter a date.")
        return None
    if isinstance(value, datetime) or not isinstance(value, date):
        errors[field] = _("Enter a valid date (YYYY-MM-DD).")
        return None
    if value < EARLIEST:
        errors[field] = _("Enter a date after %(d)s.", d=EARLIEST.isoformat())
    elif value > clock.today() + horizon:
        errors[field] = too_far
    return value
