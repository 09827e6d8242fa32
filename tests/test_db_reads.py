"""A GET reads without a transaction on PostgreSQL and never writes; pooled connections are checked without a
round trip (kb/db_reads.py, issue 9: every page on PostgreSQL within 1.5× of SQLite).

The guard runs on SQLite and PostgreSQL alike; the round trips (libpq's own trace of every message) and the
connections closed by the server need PostgreSQL (CI's second run sets KB_TEST_DATABASE_URL).
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event, func, select, text

from kb import db_reads
from kb.db_reads import WriteInSafeRequest
from models import Account
from tests.conftest import PG_URL

pg_only = pytest.mark.skipif(not PG_URL, reason="PostgreSQL run only (KB_TEST_DATABASE_URL not set)")


def _add_probe(app: Any) -> None:
    """/_probe/<what>, GET and POST: writes as a buggy view would."""
    from kb.db import session

    def probe(what: str) -> str:
        if what == "orm":
            session.add(Account(name=f"探针客户 {what}", name_en="Probe"))
            session.flush()
        elif what == "sql":
            session.execute(text("UPDATE account SET region = 'x'"))
        elif what == "savepoint":
            with session.begin_nested():
                session.scalar(select(func.count()).select_from(Account))
        return "ok"
    app.add_url_rule("/_probe/<what>", "probe", probe, methods=["GET", "POST"])


def _account_names(app: Any) -> list[str]:
    with app.app_context():
        from kb.db import session
        return list(session.scalars(select(Account.name).order_by(Account.name)))


@pytest.mark.parametrize("what", ["orm", "sql", "savepoint"])
def test_a_write_in_a_get_fails_loudly_and_nothing_is_written(app, create_user, login_as, what):
    _add_probe(app)
    create_account_before = _account_names(app)
    client = login_as(create_user(role="admin"))
    with pytest.raises(WriteInSafeRequest, match="must not write"):
        client.get(f"/_probe/{what}")
    assert _account_names(app) == create_account_before
    # The same write in a POST goes through: only safe methods are refused.
    assert client.post(f"/_probe/{what}").status_code == 200
    if what == "orm":
        assert _account_names(app) == ["探针客户 orm"]


def test_pages_read_through_the_reads_only_engine_and_forms_through_the_other(app, create_user, login_as,
                                                                                create_account):
    account = create_account(name="华东电网")
    client = login_as(create_user(role="admin"))
    seen: list[tuple[bool, str]] = []

    def record(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        seen.append((bool(conn._execution_options.get(db_reads.READS_ONLY)), statement.split(None, 1)[0]))
    engine = app.extensions["kb.db"].engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        page = client.get(f"/accounts/{account.id}")
        reads = list(seen)
        seen.clear()
        saved = client.post("/api/v1/accounts", json={"name": "浙江移动"})
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert page.status_code == 200 and "华东电网" in page.get_data(as_text=True)
    # seen by the listeners of the app's engine (query counts keep working), all on reads-only connections
    assert reads and all(reads_only for reads_only, _ in reads), reads
    assert saved.status_code == 201
    assert any(word.upper() == "INSERT" and not reads_only for reads_only, word in seen), seen
    assert "浙江移动" in _account_names(app)


def test_after_a_get_in_an_outer_app_context_the_session_there_can_write(app, create_user, login_as):
    client = login_as(create_user(role="admin"))
    with app.app_context():
        from kb.db import session
        assert client.get("/accounts").status_code == 200
        session.add(Account(name="外层上下文客户", name_en="Outer"))
        session.commit()
    assert "外层上下文客户" in _account_names(app)


def test_a_request_context_that_serves_no_request_can_write(app):
    """The CLI and background jobs open a `test_request_context` (a GET by default) for translations."""
    with app.test_request_context(headers={"Accept-Language": "zh"}):
        from kb.db import session
        session.add(Account(name="命令行客户", name_en="From the CLI"))
        session.commit()
    assert "命令行客户" in _account_names(app)


# -- PostgreSQL: round trips and connections the server closed ----------------------------------------------

class Trace:
    """libpq's trace of every connection the app's engine opens from now on (each message, both ways)."""

    def __init__(self, app: Any, path: Path) -> None:
        from psycopg.pq import Trace as Flags

        self.engine = app.extensions["kb.db"].engine
        self.path = path
        self.file = open(path, "w")  # noqa: SIM115 — closed in close()
        self.connections: list[Any] = []
        self.engine.dispose()

        def on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.pgconn.trace(self.file.fileno())
            dbapi_connection.pgconn.set_trace_flags(Flags.SUPPRESS_TIMESTAMPS | Flags.REGRESS_MODE)
            self.connections.append(dbapi_connection)
        self._listener = on_connect
        event.listen(self.engine, "connect", on_connect)

    def mark(self) -> int:
        return len(self.path.read_text().splitlines())

    def since(self, mark: int) -> dict[str, Any]:
        """Since `mark`: round trips (the server's ReadyForQuery), the fixed ones among them (the pool's ping
        — psycopg's is the empty statement ";" —, BEGIN, COMMIT, ROLLBACK) and psycopg's preparations of a
        statement (run 5 times on a connection: a Parse of a named statement, one round trip, once)."""
        lines = [line.split("\t") for line in self.path.read_text().splitlines()[mark:]]
        prepares = sum(1 for p in lines if len(p) > 3 and p[0] == "F" and p[2] == "Parse"
                       and not p[3].startswith(' ""'))
        queries = [" ".join(p[3].strip().strip('"').split()) for p in lines
                   if len(p) > 3 and p[0] == "F" and p[2] == "Query"]
        trips = sum(1 for p in lines if len(p) > 2 and p[0] == "B" and p[2] == "ReadyForQuery")
        fixed = [q.split()[0] for q in queries
                 if q in (";", "SELECT 1") or q.split()[0] in ("BEGIN", "COMMIT", "ROLLBACK")]
        return {"round_trips": trips, "fixed": fixed, "prepares": prepares}

    def close(self) -> None:
        event.remove(self.engine, "connect", self._listener)
        for conn in self.connections:
            if not conn.closed:
                conn.pgconn.untrace()
        self.engine.dispose()
        self.file.close()


@pytest.fixture
def trace(app, tmp_path):
    t = Trace(app, tmp_path / "libpq.trace")
    yield t
    t.close()


def _statements(app: Any, client: Any, method: str, url: str, **kw: Any) -> tuple[Any, int]:
    engine = app.extensions["kb.db"].engine
    count = [0]

    def record(*args: Any) -> None:
        count[0] += 1
    event.listen(engine, "before_cursor_execute", record)
    try:
        return client.open(url, method=method, **kw), count[0]
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pg_only
def test_a_page_costs_one_round_trip_per_statement_and_no_ping_begin_or_commit(app, create_user, login_as,
                                                                                 create_account, trace):
    account = create_account(name="华东电网")
    client = login_as(create_user(role="admin"))
    for _ in range(2):  # warm: the connection is pooled
        assert client.get(f"/accounts/{account.id}").status_code == 200
    mark = trace.mark()
    page, statements = _statements(app, client, "GET", f"/accounts/{account.id}")
    got = trace.since(mark)
    assert page.status_code == 200 and statements > 3
    assert got["fixed"] == [], got  # no ping, no BEGIN, no COMMIT/ROLLBACK
    assert got["round_trips"] == statements + got["prepares"]
    # A write still runs in one transaction: BEGIN … COMMIT around its statements.
    mark = trace.mark()
    saved, statements = _statements(app, client, "POST", "/api/v1/accounts", json={"name": "浙江移动"})
    got = trace.since(mark)
    assert saved.status_code == 201
    assert got["fixed"] == ["BEGIN", "COMMIT"], got
    assert got["round_trips"] == statements + got["prepares"] + 2


def _terminate_pooled_connections(app: Any, trace: Trace) -> int:
    pids = [c.info.backend_pid for c in trace.connections if not c.closed]
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            killed = sum(conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}) for pid in pids)
    finally:
        admin.dispose()
    time.sleep(0.3)  # the server's FATAL message and the close reach the sockets
    return killed


@pg_only
def test_a_connection_the_server_closed_while_idle_is_replaced_without_an_error(app, create_user, login_as,
                                                                                 create_account, trace):
    account = create_account(name="华东电网")
    client = login_as(create_user(role="admin"))
    assert client.get(f"/accounts/{account.id}").status_code == 200
    assert _terminate_pooled_connections(app, trace) >= 1
    mark = trace.mark()
    page = client.get(f"/accounts/{account.id}")
    assert page.status_code == 200 and "华东电网" in page.get_data(as_text=True)  # not 503
    assert trace.since(mark)["fixed"] == []  # found out without a ping
    assert client.post("/api/v1/accounts", json={"name": "浙江移动"}).status_code == 201


@pg_only
def test_a_connection_idle_for_long_is_pinged_and_replaced_when_the_ping_fails(app, create_user, login_as,
                                                                                create_account, trace,
                                                                                monkeypatch):
    account = create_account(name="华东电网")
    client = login_as(create_user(role="admin"))
    assert client.get(f"/accounts/{account.id}").status_code == 200
    monkeypatch.setattr(db_reads, "IDLE_PING_SECONDS", 0.0)
    mark = trace.mark()
    assert client.get(f"/accounts/{account.id}").status_code == 200
    assert trace.since(mark)["fixed"] == [";"]  # idle "for long": pinged
    # A connection dropped without a word (a firewall): the socket shows nothing, the ping fails.
    monkeypatch.setattr(db_reads, "_has_unread_data", lambda _conn: False)
    assert _terminate_pooled_connections(app, trace) >= 1
    page = client.get(f"/accounts/{account.id}")
    assert page.status_code == 200 and "华东电网" in page.get_data(as_text=True)
    with app.app_context():
        from kb.db import session
        assert session.scalar(select(func.count()).select_from(Account)) == 1
