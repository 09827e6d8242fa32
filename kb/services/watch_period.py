"""The period and the scope the four watches and the meeting pack read.

A period is written as plans write theirs (kb.services.plans.PERIOD_RE): FY2027 or 2027 (the calendar
year), 2027H1/H2 (half years), 2027Q1–Q4 (quarters); it covers its first to its last day, both included.
The scope is the accounts not archived, of one customer group or of all.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from models import Account

from .errors import ValidationFailed
from .plans import PERIOD_RE, normalise_period, valid_period

_FIRST_MONTH = {None: 1, "H1": 1, "H2": 7, "Q1": 1, "Q2": 4, "Q3": 7, "Q4": 10}
_LAST_MONTH = {None: 12, "H1": 6, "H2": 12, "Q1": 3, "Q2": 6, "Q3": 9, "Q4": 12}


@dataclass(frozen=True)
class Period:
    """A plan period: its label as plans store it (``FY2027``, ``2027H1``) and its first and last day."""

    label: str
    start: date
    end: date


def default_period(today: date) -> str:
    """The year of `today` as a period label (``FY2026``)."""
    return f"FY{today.year}"


def parse_period(text: str | None, *, today: date, field: str = "period") -> Period:
    """The period written in `text` (blank: the year of `today`), e.g. ``fy2027`` → FY2027, 1 Jan–31 Dec.

    Raises ValidationFailed with a message on `field` when it is not a period (years 1900–2999 only).
    """
    label = normalise_period(text) or default_period(today)
    match = PERIOD_RE.match(label) if valid_period(label) else None
    if match is None or not 1900 <= int(match.group(1)) <= 2999:
        message = _("Write the period like FY2027, 2027, 2027H1 or 2027Q3.")
        raise ValidationFailed(message, {field: message})
    year, sub = int(match.group(1)), match.group(2) or match.group(3)
    last = _LAST_MONTH[sub]
    if sub is None and not label.startswith("FY"):
        label = f"FY{year}"
    return Period(label=label, start=date(year, _FIRST_MONTH[sub], 1),
                  end=date(year, last, calendar.monthrange(year, last)[1]))


def scope_accounts_stmt(group_id: int | None) -> Any:
    """SELECT of the ids of the accounts in scope: not archived, in `group_id` when given (else all)."""
    stmt = select(Account.id).where(Account.archived_at.is_(None))
    return stmt if group_id is None else stmt.where(Account.customer_group_id == group_id)
