"""Shared state of one demo load: the session, the seeded random generator and what was created so far."""
from __future__ import annotations

import random
import re
import textwrap
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from sqlalchemy.orm import Session

from models import Account, CustomerGroup, Stakeholder, User

#: Every demo date is computed from this day, never from the clock.
ANCHOR = date(2026, 11, 1)
#: Visits and calls cover the 18 months before the anchor.
WINDOW_START = ANCHOR - timedelta(days=548)
SEED = 20261101


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """A timezone-aware UTC datetime on `day`."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=timezone.utc)


LIST_ITEM = re.compile(r"^(?:[-*]|\d+\.) ")


def md(text: str) -> str:
    """Markdown written indented in the data modules: dedented, trimmed, and with the blank lines
    Markdown needs between a paragraph and a list."""
    lines: list[str] = []
    for line in textwrap.dedent(text).strip().splitlines():
        previous = lines[-1] if lines else ""
        if previous.strip() and line.strip() and bool(LIST_ITEM.match(line)) != bool(LIST_ITEM.match(previous)):
            lines.append("")
        lines.append(line)
    return "\n".join(lines)


@dataclass
class DemoContext:
    """What the loaders share: they add to the session and record their objects by key."""

    session: Session
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    users: dict[str, User] = field(default_factory=dict)
    groups: dict[str, CustomerGroup] = field(default_factory=dict)
    #: group key → [(role, user key, started_on, ended_on)]
    seats: dict[str, list[tuple[str, str, date, date | None]]] = field(default_factory=dict)
    accounts: dict[str, Account] = field(default_factory=dict)
    account_data: dict[str, dict] = field(default_factory=dict)
    stakeholders: dict[str, Stakeholder] = field(default_factory=dict)
    #: account key → its stakeholder keys, top-down
    people_of: dict[str, list[str]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def uid(self, key: str) -> int:
        """The database id of the demo user `key` (users are flushed first)."""
        return self.users[key].id

    def holder(self, account_key: str, role: str, on: date) -> str | None:
        """The user key holding `role` in the account's customer group on day `on`."""
        group = self.account_data[account_key].get("group")
        for seat_role, user, start, end in self.seats.get(group, []):
            if seat_role == role and start <= on and (end is None or on < end):
                return user
        return None

    def team(self, account_key: str, on: date) -> list[str]:
        """AR, SR, FR on day `on` (those seated), then the account's named members."""
        seated = [self.holder(account_key, role, on) for role in ("AR", "SR", "FR")]
        members = self.account_data[account_key].get("members", [])
        return [u for u in seated if u] + [u for u in members if u not in seated]

    def end_of(self, account_key: str) -> date:
        """The last day anything happened on the account: its archiving day, or the anchor."""
        return self.account_data[account_key].get("archived") or ANCHOR

    def day_between(self, start: date, end: date) -> date:
        """A random day in [start, end]."""
        span = max((end - start).days, 0)
        return start + timedelta(days=self.rng.randint(0, span))
