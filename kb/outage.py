"""The database is briefly unreachable: 503 with `Retry-After`, a log line now and then, no traceback.

An outage is a refused or dropped connection, a server shutting down or starting up, a lock or statement
timeout, SQLite's "database is locked", or a full connection pool. Every other database error is a bug and
stays a 500 (see `kb/errors.py`). The app recovers by itself: a connection the server closed is replaced
when the pool hands it out (kb/db_reads.py), and a failed statement on a dead connection invalidates the pool.
"""
from __future__ import annotations

import logging
import threading
import time

from flask import Flask, Response, current_app, g, render_template, request
from flask_babel import gettext as _
from sqlalchemy import exc as sa_exc

logger = logging.getLogger(__name__)

#: Seconds a client is asked to wait before retrying.
RETRY_AFTER_SECONDS = 5
#: At most one log line per this many seconds while the outage lasts.
LOG_INTERVAL_SECONDS = 10.0

#: PostgreSQL SQLSTATEs that mean "not now" rather than "wrong": admin/crash shutdown, cannot connect now,
#: lock_timeout, statement_timeout, too many connections. Class 08 (connection exceptions) is added below.
_PG_OUTAGE_STATES = frozenset({"57P01", "57P02", "57P03", "55P03", "57014", "53300"})
#: SQLite result codes of a busy or unreachable database file (not "no such table" and the like).
_SQLITE_OUTAGE_PREFIXES = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN", "SQLITE_IOERR")


def one_line(exc: BaseException, limit: int = 200) -> str:
    """`exc` for a log line: its driver's message (not SQLAlchemy's wrapper with the statement and the
    "Background on this error" link), first line only, at most `limit` characters; the class name if empty.

    A psycopg connection error is three lines; logged per worker and per retry during an outage, such
    messages tripled the log (the fault suite bounds log lines per second)."""
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return f"{type(exc).__name__}: {reason[0][:limit]}" if reason else type(exc).__name__


def is_outage(exc: BaseException) -> bool:
    """True if `exc` means the database cannot answer right now (retrying later can succeed)."""
    if isinstance(exc, sa_exc.TimeoutError):  # no pooled connection came free in time
        return True
    if isinstance(exc, sa_exc.PendingRollbackError) and "invalid transaction" in str(exc):
        # the request's connection was lost earlier in this request (the error was handled, e.g. a catch-up
        # that logs and goes on) and the session cannot reconnect inside the same transaction
        return True
    if not isinstance(exc, sa_exc.DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    orig = exc.orig
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if state:
        return state.startswith("08") or state in _PG_OUTAGE_STATES
    sqlite_name = getattr(orig, "sqlite_errorname", None)
    if sqlite_name:
        return sqlite_name.startswith(_SQLITE_OUTAGE_PREFIXES)
    if not isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError)):
        return False
    if "database is locked" in str(orig):
        return True
    # PostgreSQL drivers report a refused, reset or closed connection without an SQLSTATE.
    return type(orig).__module__.split(".")[0] in {"psycopg", "psycopg2"}


class _RateLimitedLog:
    """One warning line per interval, counting the requests answered 503 since the previous line."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._lock = threading.Lock()
        self._last = float("-inf")
        self._count = 0

    def warn(self, exc: BaseException) -> None:
        with self._lock:
            self._count += 1
            now = time.monotonic()
            if now - self._last < self.interval:
                return
            count, self._count, self._last = self._count, 0, now
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        logger.warning("database unavailable, answering 503 (%d request(s) since the last line): %s",
                       count, reason[0][:200] if reason else type(exc).__name__)

    def reset(self) -> None:
        with self._lock:
            self._last, self._count = float("-inf"), 0


outage_log = _RateLimitedLog(LOG_INTERVAL_SECONDS)


def unavailable_response(exc: BaseException) -> Response:
    """The 503 answer: JSON under /api/, else a page that needs no database (not even for the user)."""
    from .auth import Anonymous
    from .errors import api_error

    outage_log.warn(exc)
    # The page must not load the user (or their saved language) from the database that just failed.
    g._login_user = Anonymous()
    message = _("The database cannot be reached at the moment. Please try again in a few seconds.")
    if request.path.startswith("/api/"):
        response, _status = api_error(503, message, code="unavailable")
    else:
        response = Response(render_template("errors/unavailable.html", message=message),
                            mimetype="text/html")
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _handle_database_error(exc: Exception):  # type: ignore[no-untyped-def]
    if is_outage(exc):
        return unavailable_response(exc)
    if current_app.testing:
        raise exc  # a real bug: the test sees it
    from .errors import _handle_unexpected  # the same 500 answer and log line as any other bug

    return _handle_unexpected(exc)


def init_app(app: Flask) -> None:
    """Answer 503 for database outages, in tests too (unlike the catch-all 500 handler)."""
    app.register_error_handler(sa_exc.DBAPIError, _handle_database_error)
    app.register_error_handler(sa_exc.TimeoutError, _handle_database_error)
