"""Engine and session: one session per app context, one commit per request (see `kb/__init__.py`).

A GET (or HEAD, OPTIONS) never writes, so its session reads through `Database.read_engine` (kb/db_reads.py):
on PostgreSQL in autocommit, without the BEGIN and COMMIT round trips, and on every database behind a guard
that refuses any write. Pooled PostgreSQL connections are checked at checkout without a round trip
(`kb.db_reads.watch_liveness`) instead of SQLAlchemy's `pool_pre_ping` (a round trip per request).
"""
from __future__ import annotations

import logging
from typing import Any

from flask import Flask, current_app, g, request
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.local import LocalProxy

from . import db_reads

logger = logging.getLogger(__name__)

EXTENSION_KEY = "kb.db"
#: Set on `g` while a GET, HEAD or OPTIONS request is served: its session only reads.
_SAFE_REQUEST = "kb_safe_request"


def make_engine(url: str, echo: bool = False, lock_timeout: float = 10) -> Engine:
    """Create the engine; SQLite gets foreign keys, WAL and a busy timeout.

    `lock_timeout` (seconds) bounds every wait for a lock (SQLite's busy timeout, PostgreSQL's
    `lock_timeout`) and for a new PostgreSQL connection, so a request blocked by another writer fails
    fast (kb.outage answers 503) instead of outliving the worker timeout.
    """
    kwargs: dict[str, Any] = {"echo": echo}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": lock_timeout}
    elif url.startswith("postgresql"):
        # No pool_pre_ping: its ping is a round trip on every checkout (see kb.db_reads.watch_liveness).
        kwargs["connect_args"] = {"options": f"-c lock_timeout={int(lock_timeout * 1000)}",
                                  "connect_timeout": max(1, int(lock_timeout))}
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    elif engine.dialect.name == "postgresql":
        db_reads.watch_liveness(engine)
    db_reads.guard_writes(engine)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class Database:
    """Holds the engine and session factory of one app."""

    def __init__(self, app: Flask | None = None) -> None:
        self.engine: Engine | None = None
        #: The engine of GET requests' sessions: `engine` with reads-only options (kb.db_reads.read_engine).
        self.read_engine: Engine | None = None
        self.session_factory: sessionmaker[Session] | None = None
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        self.engine = make_engine(app.config["DATABASE_URL"], echo=app.config.get("SQL_ECHO", False),
                                  lock_timeout=float(app.config.get("DB_LOCK_TIMEOUT_SECONDS", 10)))
        self.read_engine = db_reads.read_engine(self.engine)
        self.session_factory = sessionmaker(self.engine, expire_on_commit=False)
        app.extensions[EXTENSION_KEY] = self
        # First of the before-request functions that may read: only a request being served is marked
        # (a `test_request_context`, as the CLI and background jobs use for translations, is not).
        app.before_request_funcs.setdefault(None, []).insert(0, _mark_safe_request)
        app.teardown_request(_close_read_session)
        app.teardown_appcontext(_close_session)


def get_db() -> Database:
    return current_app.extensions[EXTENSION_KEY]


def get_session() -> Session:
    """The session of the current app context, created on first use.

    Made while a GET, HEAD or OPTIONS request is served, it reads through `Database.read_engine` (no
    transaction on PostgreSQL; any write raises kb.db_reads.WriteInSafeRequest) and is closed at the end of
    that request.
    """
    if "kb_session" not in g:
        db = get_db()
        assert db.session_factory is not None
        if g.get(_SAFE_REQUEST):
            g.kb_session = db.session_factory(bind=db.read_engine)
            g.kb_session_reads_only = True
        else:
            g.kb_session = db.session_factory()
    return g.kb_session


def has_session() -> bool:
    return "kb_session" in g


def _mark_safe_request() -> None:
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    if request.method in db_reads.SAFE_METHODS and not getattr(view, db_reads.WRITES_ON_GET, False):
        g.setdefault(_SAFE_REQUEST, True)


def _close_read_session(exc: BaseException | None) -> None:
    """A GET's session ends with its request, even when the app context lives on (a test's outer context):
    whatever runs there next gets a session that may write."""
    g.pop(_SAFE_REQUEST, None)
    if g.pop("kb_session_reads_only", False):
        _close_session(exc)


def _close_session(exc: BaseException | None) -> None:
    s: Session | None = g.pop("kb_session", None)
    if s is None:
        return
    try:
        if exc is not None or s.in_transaction():
            # Anything not committed by the request's end is abandoned, never half-written.
            s.rollback()
    except Exception as error:
        # The answer is already decided. A rollback that fails because the database went away has
        # nothing left to undo (the server dropped the transaction); raising here would turn that answer,
        # perhaps a saved write's 2xx, into the WSGI server's bare 500.
        from .outage import is_outage

        if not is_outage(error):
            raise
        logger.debug("rollback at the end of the request failed (database unreachable): %s", error)
    finally:
        s.close()


#: The session of the current app context; import this as ``from kb.db import session``.
session: Session = LocalProxy(get_session)  # type: ignore[assignment]
