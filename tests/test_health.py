"""`GET /healthz`: what a load balancer polls. No sign-in, nothing private, 503 when the app cannot serve."""
from __future__ import annotations

from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import insert, text

from kb import create_app
from kb.migrate import MIGRATIONS
from models import IndexEvent, UserRole
from tests.conftest import make_config

from .search_support import find

HEALTHY = {"status": "ok", "database": "ok", "schema": "at head", "index_lag": 0, "index_stale": False}


def test_anyone_gets_the_health_without_signing_in_and_nothing_private(app, client, create_account,
                                                                     create_user):
    create_account(name="保密客户集团", description="董事长手机 13800000000")
    find(app, "保密", create_user(role=UserRole.ADMIN))  # the index catches up (commits never rebuild it)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == HEALTHY
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data(as_text=True)
    database_file = Path(app.config["DATABASE_URL"]).name
    for private in ("保密客户", "13800000000", "sqlite", "postgresql", database_file):
        assert private not in body


def test_health_reports_how_far_this_machines_index_is_behind(app, client, create_account, create_user):
    admin = create_user(role=UserRole.ADMIN)
    account = create_account(name="落后客户")
    find(app, "落后客户", admin)
    assert client.get("/healthz").json["index_lag"] == 0
    # Changes committed by another process (nothing applied them to this machine's index yet):
    engine = app.extensions["kb.db"].engine
    with engine.begin() as conn:
        for _ in range(3):
            conn.execute(insert(IndexEvent).values(doc_type="account", doc_id=account.id, op="upsert"))
    behind = client.get("/healthz")
    assert behind.status_code == 200  # a lagging index still serves (a search catches it up)
    assert behind.json["index_lag"] == 3
    find(app, "落后客户", admin)
    assert client.get("/healthz").json == HEALTHY


@pytest.mark.parametrize("url", [
    "sqlite:////nonexistent-folder/kb.sqlite3",
    "postgresql+psycopg://kb:wrong@127.0.0.1:1/kb",  # nothing listens on port 1: connection refused
], ids=["sqlite-missing-folder", "postgresql-refused"])
def test_health_is_503_when_the_database_is_unreachable(tmp_path, url):
    app = create_app(make_config(tmp_path, url, WTF_CSRF_ENABLED=True))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "database": "unreachable", "schema": "unknown",
                             "index_lag": None, "index_stale": None}
    assert "wrong" not in response.get_data(as_text=True)
    app.extensions["kb.db"].engine.dispose()


def test_health_is_503_before_kb_init(tmp_path):
    empty = tmp_path / "empty.sqlite3"
    app = create_app(make_config(tmp_path, f"sqlite:///{empty}"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "ok" and response.json["schema"] == "not initialised"
    assert app.test_cli_runner().invoke(args=["kb", "init"]).exit_code == 0
    assert app.test_client().get("/healthz").json == HEALTHY
    app.extensions["kb.db"].engine.dispose()


def test_health_is_503_when_the_database_has_a_schema_this_code_does_not_know(app, client):
    engine = app.extensions["kb.db"].engine
    with engine.begin() as conn:
        head = conn.scalar(text("SELECT version_num FROM alembic_version"))
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_a_newer_release'"))
    try:
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json["status"] == "unavailable" and response.json["schema"] == "unknown revision"
    finally:
        with engine.begin() as conn:  # the PostgreSQL test database is shared by the next tests
            conn.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head})



def test_health_is_503_when_the_database_is_behind_the_code(app, client, monkeypatch):
    """New code deployed, `kb init` not run yet: the database's revision is known but is not the head."""
    import kb.health

    real = ScriptDirectory(str(MIGRATIONS))

    class NewerRelease:  # the scripts of a release with one migration more than the database has
        def get_heads(self) -> list[str]:
            return ["9999_next"]

        def get_revision(self, revision: str) -> object:
            return real.get_revision(revision)

    monkeypatch.setattr(kb.health, "_scripts", lambda: NewerRelease())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["schema"] == "behind" and response.json["database"] == "ok"


def test_an_unhealthy_answer_says_when_to_retry_and_logs_once(tmp_path, caplog):
    app = create_app(make_config(tmp_path, "sqlite:////nonexistent-folder/kb.sqlite3"))
    client = app.test_client()
    with caplog.at_level("INFO", logger="kb.health"):
        answers = [client.get("/healthz") for _ in range(5)]
    assert all(a.status_code == 503 and a.headers["Retry-After"] == "5" for a in answers)
    lines = [r for r in caplog.records if r.name == "kb.health"]
    assert len(lines) <= 1 and all(r.exc_info is None for r in lines)


def test_a_database_lost_between_the_ping_and_the_index_lag_is_unreachable_in_one_line(app, client,
                                                                                      monkeypatch, caplog):
    """The database goes away after `SELECT 1` (a PostgreSQL restart): 503 "unreachable", one line, no
    traceback per probe (it was logged as an unreadable index bookmark with a traceback each time)."""
    import kb.health
    from sqlalchemy.exc import OperationalError

    def gone(connection, index):
        raise OperationalError("SELECT max(id) FROM index_event", {}, Exception("server closed the connection"))

    monkeypatch.setattr(kb.health, "measure", gone)
    monkeypatch.setattr(kb.health, "_last_state", ["ok"])
    with caplog.at_level("INFO", logger="kb.health"):
        answers = [client.get("/healthz") for _ in range(4)]
    assert [a.status_code for a in answers] == [503] * 4
    assert answers[0].json["database"] == "unreachable"
    lines = [r for r in caplog.records if r.name == "kb.health"]
    assert [r.getMessage() for r in lines] == ["health check: database unreachable (OperationalError) (was: ok)"]
    assert all(r.exc_info is None for r in lines)
