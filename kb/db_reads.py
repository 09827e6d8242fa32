"""Fewer round trips per request on PostgreSQL (issue 9: every page within 1.5× of SQLite).

A page on PostgreSQL paid three round trips SQLite never pays: the pool's pre-ping (psycopg's is `;`), `BEGIN`
and `COMMIT` (or `ROLLBACK`). This module removes them without giving up what they were for:

- **Reads without a transaction.** A GET never writes (writes are POST/PUT/PATCH/DELETE; an API token's
  use is noted in its own short transaction, kb.auth), except the views marked `writes_on_get` (export
  downloads record themselves). Under READ COMMITTED, PostgreSQL's default and the
  app's, every statement takes its own snapshot whether or not a transaction is open, so a GET's session
  loses nothing by running in autocommit: no `BEGIN`, no `COMMIT`. `read_engine` is the app's engine with
  that option (same pool, same event listeners: query counts and logs see its statements).
- **A write in a GET fails loudly.** On every database, a statement other than a read on a connection of
  `read_engine` raises `WriteInSafeRequest` before it reaches the database (`guard_writes`): nothing is
  committed behind the request's back, and the test suite (which runs every page) catches such a write.
- **Liveness without a round trip.** Instead of `pool_pre_ping`, a connection handed out by the pool is
  checked locally: if its socket has anything to read while idle (the server closed it: a restart, an
  administrator's `pg_terminate_backend`, an idle timeout), it is discarded and the pool opens a new one;
  only a connection idle longer than `IDLE_PING_SECONDS` (a firewall may have dropped it silently) is
  pinged. A connection that dies while in use fails its statement, SQLAlchemy invalidates the whole pool,
  and kb.outage answers 503 — as before.
"""
from __future__ import annotations

import logging
import select
import time
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy import exc as sa_exc

logger = logging.getLogger(__name__)

#: The HTTP methods whose requests never write (RFC 9110 "safe" methods).
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: A pooled connection unused for longer than this (seconds) is pinged before it is handed out.
IDLE_PING_SECONDS = 30.0
#: The execution option that marks the connections of `read_engine`.
READS_ONLY = "kb_reads_only"
#: The first word of the statements a reads-only connection may run.
_READ_WORDS = frozenset({"SELECT", "WITH", "SHOW", "VALUES", "EXPLAIN"})
_IDLE_SINCE = "kb_idle_since"


#: The attribute `writes_on_get` sets on a view function.
WRITES_ON_GET = "kb_writes_on_get"


def writes_on_get(view: Any) -> Any:
    """Mark `view` as one whose GET writes in the request's one transaction (an export download records
    who exported what, issue 11 §2, kb.services.exports, committed only with a successful answer): its
    session is the ordinary one. Put it right under the route decorator (the function it registers)."""
    setattr(view, WRITES_ON_GET, True)
    return view


class WriteInSafeRequest(RuntimeError):
    """A GET (HEAD, OPTIONS) request tried to write: a bug, answered 500, never committed."""


def read_engine(engine: Engine) -> Engine:
    """`engine` for sessions that only read: on PostgreSQL in autocommit (no `BEGIN`/`COMMIT` round trips;
    each statement has its own snapshot, as under READ COMMITTED anyway); on SQLite as it is (its driver
    opens no transaction for a SELECT). Writes on it raise WriteInSafeRequest (see `guard_writes`)."""
    options: dict[str, Any] = {READS_ONLY: True}
    if engine.dialect.name == "postgresql":
        options["isolation_level"] = "AUTOCOMMIT"
    return engine.execution_options(**options)


def guard_writes(engine: Engine) -> None:
    """Make every statement other than a read raise WriteInSafeRequest on `engine`'s reads-only
    connections (those of `read_engine(engine)`), before it is sent."""
    event.listen(engine, "before_cursor_execute", _refuse_write)
    event.listen(engine, "savepoint", _refuse_savepoint)  # a savepoint is where a write would go


def _refuse_savepoint(conn: Any, name: str | None) -> None:
    if conn._execution_options.get(READS_ONLY):
        raise WriteInSafeRequest("a savepoint in a request that must not write (GET, HEAD, OPTIONS)")


def _refuse_write(conn: Any, _cursor: Any, statement: str, _parameters: Any, context: Any,
                  _executemany: bool) -> None:
    if not conn._execution_options.get(READS_ONLY):
        return
    words = statement.lstrip(" \t\r\n(").split(None, 1)
    first = words[0].upper() if words else ""
    writes = context is not None and (context.isinsert or context.isupdate or context.isdelete)
    if writes or first not in _READ_WORDS:
        raise WriteInSafeRequest(f"a {first or 'statement'} in a request that must not write "
                                 f"(GET, HEAD, OPTIONS): {' '.join(statement.split())[:200]}")


def watch_liveness(engine: Engine) -> None:
    """Check each connection `engine`'s pool hands out without a round trip (see the module's docstring);
    a dead one is replaced (DisconnectionError: the pool reconnects, up to its retry count)."""
    dialect = engine.dialect

    def check_alive(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        _check_alive(dialect, dbapi_connection, record)
    event.listen(engine, "checkin", _note_idle)
    event.listen(engine, "checkout", check_alive)


def _note_idle(_dbapi_connection: Any, record: Any) -> None:
    if record is not None:
        record.info[_IDLE_SINCE] = time.monotonic()


def _check_alive(dialect: Any, dbapi_connection: Any, record: Any) -> None:
    idle_since = record.info.pop(_IDLE_SINCE, None)
    if idle_since is None:  # a new connection: just made, nothing to check
        return
    if _has_unread_data(dbapi_connection):
        logger.info("a pooled database connection was closed by the server; opening a new one")
        raise sa_exc.DisconnectionError("the server closed the connection while it was idle in the pool")
    if time.monotonic() - idle_since > IDLE_PING_SECONDS:
        try:
            dialect.do_ping(dbapi_connection)  # psycopg: the empty statement ";", outside any transaction
        except Exception as exc:  # noqa: BLE001 — any failure of the ping means: use another connection
            raise sa_exc.DisconnectionError(f"a connection idle in the pool failed its ping: {exc}") from exc


def _has_unread_data(dbapi_connection: Any) -> bool:
    """True when an idle connection's socket is readable (the server sent something — a FATAL
    "terminating connection" before closing — or closed it) or is already closed: nothing else arrives on
    a healthy idle connection of this app (it never LISTENs)."""
    try:
        fd = dbapi_connection.fileno()
    except Exception:  # noqa: BLE001 — a closed or broken connection has no socket
        return True
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLPRI)
    return bool(poller.poll(0))
