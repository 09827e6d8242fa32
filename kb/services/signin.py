"""Sign-in throttling, with its state in the database so it holds across gunicorn workers and machines.

After `per_account` failed attempts for one e-mail within `window`, or `per_address` failures from one
client address, further attempts are refused (HTTP 429 in the view) until the window has passed — even
with the right password, so a guesser learns nothing from the answer. E-mails of no user are counted
alike, so the answer never tells which accounts exist. Refused attempts are not recorded: they cannot
extend the wait.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from models import SigninAttempt, utcnow

from ..db import session


@dataclass(frozen=True)
class SigninLimits:
    """How many failures, in which window, before sign-in is refused; how long rows are kept."""

    per_account: int = 10
    per_address: int = 50
    window: timedelta = timedelta(minutes=15)
    keep: timedelta = timedelta(days=30)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SigninLimits:
        """The limits of the app's `SIGNIN_*` settings (see kb/config.py)."""
        return cls(per_account=int(config["SIGNIN_MAX_FAILURES_PER_ACCOUNT"]),
                   per_address=int(config["SIGNIN_MAX_FAILURES_PER_ADDRESS"]),
                   window=timedelta(seconds=int(config["SIGNIN_WINDOW_SECONDS"])),
                   keep=timedelta(days=int(config["SIGNIN_KEEP_DAYS"])))


def normalise_email(email: str) -> str:
    """The form of an e-mail that attempts are counted by (as `authenticate` looks users up)."""
    return email.strip().lower()[:254]


def _blocked_until(where: Any, since: datetime, limit: int, window: timedelta) -> datetime | None:
    """When the `limit`-th most recent failure matching `where` leaves the window, if there are that many."""
    if limit < 1:
        return None
    oldest_counted = session.scalar(
        select(SigninAttempt.attempted_at)
        .where(where, SigninAttempt.success.is_(False), SigninAttempt.attempted_at > since)
        .order_by(SigninAttempt.attempted_at.desc())
        .offset(limit - 1).limit(1)
    )
    return oldest_counted + window if oldest_counted is not None else None


def seconds_blocked(*, email: str, remote_addr: str, limits: SigninLimits,
                    now: datetime | None = None) -> int:
    """Seconds until a sign-in for `email` from `remote_addr` is allowed again; 0 if it is allowed now.

    An account's failures count since its last successful sign-in (within the window); an address's
    failures count whatever happened in between.
    """
    now = now or utcnow()
    email = normalise_email(email)
    window_start = now - limits.window
    last_success = session.scalar(select(func.max(SigninAttempt.attempted_at))
                                  .where(SigninAttempt.email == email, SigninAttempt.success.is_(True)))
    account_since = max(window_start, last_success) if last_success else window_start
    until = [t for t in (
        _blocked_until(SigninAttempt.email == email, account_since, limits.per_account, limits.window),
        _blocked_until(SigninAttempt.remote_addr == remote_addr, window_start, limits.per_address,
                       limits.window),
    ) if t is not None and t > now]
    return math.ceil((max(until) - now).total_seconds()) if until else 0


def record_attempt(*, email: str, remote_addr: str, success: bool, limits: SigninLimits,
                   now: datetime | None = None) -> SigninAttempt:
    """Record one checked sign-in attempt, and drop attempts older than `limits.keep`."""
    now = now or utcnow()
    session.execute(delete(SigninAttempt).where(SigninAttempt.attempted_at < now - limits.keep))
    attempt = SigninAttempt(email=normalise_email(email), remote_addr=remote_addr[:45], success=success,
                            attempted_at=now)
    session.add(attempt)
    session.flush()
    return attempt


def record_failure_apart(*, email: str, remote_addr: str, now: datetime | None = None,
                         keep: timedelta | None = None) -> None:
    """Record a failed proof of `email`'s password in a transaction of its own (and, with `keep`, drop
    attempts older than that).

    For requests that answer an error (a failed sign-in and a wrong current password on the
    change-password page answer 422, and a request answering >= 400 is rolled back): the record of the
    failure must stay, or guesses would never be throttled. Writes nothing else, so it cannot wait on the
    request's own locks.
    """
    now = now or utcnow()
    with Session(session.get_bind()) as apart, apart.begin():
        if keep is not None:
            apart.execute(delete(SigninAttempt).where(SigninAttempt.attempted_at < now - keep))
        apart.add(SigninAttempt(email=normalise_email(email), remote_addr=remote_addr[:45], success=False,
                                attempted_at=now))


def recent_failures(*, email: str, limit: int = 20) -> list[SigninAttempt]:
    """The latest failed sign-ins for `email` still kept, newest first (for the admin's user page)."""
    return list(session.scalars(
        select(SigninAttempt)
        .where(SigninAttempt.email == normalise_email(email), SigninAttempt.success.is_(False))
        .order_by(SigninAttempt.attempted_at.desc(), SigninAttempt.id.desc()).limit(limit)
    ))
