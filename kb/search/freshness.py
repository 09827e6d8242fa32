"""Is this machine's index behind the database? The one definition the search page, the search API and
`/healthz` use.

The index is *behind* when committed changes (outbox events) are not in it and that is not just the usual
moment between a commit and the catch-up that follows: index writes of this process are failing (the shared
back-off is engaged), or the oldest change not applied was committed more than `BEHIND_AFTER` seconds ago.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, func, or_, select

from models import IndexEvent

if TYPE_CHECKING:
    from .index import Bookmark, SearchIndex

#: A change not in the index this many seconds after its commit means the index is behind (the background
#: catch-up runs every few seconds, and every search catches up first).
BEHIND_AFTER = 10.0


@dataclass(frozen=True)
class Freshness:
    """How far the index is behind: `lag` events not applied, the oldest committed `oldest_age` seconds ago
    (None if there is none), and whether index writes are failing in this process."""

    lag: int
    oldest_age: float | None
    failing: bool = False

    @property
    def stale(self) -> bool:
        """True while the index is behind (see the module docstring): searches may miss changes."""
        if self.lag <= 0:
            return False
        return self.failing or (self.oldest_age or 0.0) >= BEHIND_AFTER

    @property
    def minutes(self) -> int:
        """The age of the oldest change not in the index, in whole minutes rounded up (at least 1)."""
        return max(1, math.ceil((self.oldest_age or 0.0) / 60))


def unapplied_clause(bookmark: Bookmark | None) -> ColumnElement[bool]:
    """Outbox events an index with `bookmark` has not applied (every event if there is no index)."""
    if bookmark is None:
        return IndexEvent.id.is_not(None)
    condition = IndexEvent.id > bookmark.last_id
    if bookmark.gaps:
        condition = or_(condition, IndexEvent.id.in_(list(bookmark.gaps)))
    return condition


def measure(executor: Any, index: SearchIndex, *, now: datetime | None = None) -> Freshness:
    """The freshness of `index`, read through `executor` (a Session or a Connection); one query. Reads the
    index's bookmark without catching up or rebuilding."""
    bookmark = index.bookmark() if index.live_path() is not None else None
    row = executor.execute(select(func.count(), func.min(IndexEvent.created_at))
                           .where(unapplied_clause(bookmark))).one()
    lag, oldest = int(row[0] or 0), row[1]
    age = None
    if oldest is not None:
        if oldest.tzinfo is None:  # SQLite through a plain aggregate: stored as UTC
            oldest = oldest.replace(tzinfo=timezone.utc)
        age = max(0.0, ((now or datetime.now(timezone.utc)) - oldest).total_seconds())
    return Freshness(lag=lag, oldest_age=age, failing=index.backoff.failing)
