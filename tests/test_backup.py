"""`flask kb backup` / `flask kb restore`: nothing is lost, the snapshot is consistent while the app writes,
and restore refuses what it must refuse. Runs on SQLite, and on PostgreSQL with KB_TEST_DATABASE_URL."""
from __future__ import annotations

import sqlite3
import threading
from datetime import date
from pathlib import Path
from typing import Any, Iterator

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, make_url, select, text

from kb import create_app
from kb.backup import BackupError, find_pg_tool
from kb.demo import DEMO_PASSWORD
from kb.migrate import MIGRATIONS, upgrade
from models import Account, Base, Interaction, InteractionKind, User, UserRole
from tests.conftest import PG_URL, make_config

from .search_support import find, keys

QUERIES = ("客户", "华东移动", "ECMC", "算力网络", "采购", "董事长", "network")


@pytest.fixture
def fresh_database_url(tmp_path: Path) -> Iterator[str]:
    """A database nobody has initialised: a new SQLite path, or a new PostgreSQL database on the server."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'restored' / 'kb.sqlite3'}"
        return
    url = make_url(PG_URL)
    name = f"{url.database}_restore"
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


@pytest.fixture
def restored_app(tmp_path: Path, fresh_database_url: str) -> Iterator[Any]:
    """A second instance (own database, index folder and instance folder), never initialised."""
    app = create_app(make_config(tmp_path / "second", fresh_database_url))
    yield app
    app.extensions["kb.db"].engine.dispose()


def all_rows(app: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (ours and Alembic's), in primary-key order."""
    engine = app.extensions["kb.db"].engine
    assert set(inspect(engine).get_table_names()) == set(Base.metadata.tables) | {"alembic_version"}
    rows = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            ordered = select(table).order_by(*table.primary_key.columns)
            rows[table.name] = [tuple(r) for r in conn.execute(ordered)]
        versions = conn.execute(text("SELECT version_num FROM alembic_version"))
        rows["alembic_version"] = [tuple(r) for r in versions]
    return rows


def indexed_documents(app: Any) -> set[tuple[str, str]]:
    """(key, digest) of every document in the app's search index, after catching up."""
    from kb.search import get_index

    with app.app_context():
        reader = get_index().searcher().reader()
        return {(f["key"], f.get("digest")) for f in reader.all_stored_fields() if f.get("type") != "meta"}


def demo_admin(app: Any) -> User:
    with app.app_context():
        from kb.db import session

        user = session.scalar(select(User).where(User.email == "admin@demo.kb"))
        session.expunge(user)  # keep its loaded attributes when the context's session rolls back
        return user


def test_backup_then_restore_into_a_fresh_instance_loses_nothing(app, runner, restored_app, tmp_path):
    assert runner.invoke(args=["kb", "demo"]).exit_code == 0
    admin = demo_admin(app)
    before = {q: keys(find(app, q, admin)) for q in QUERIES}
    # The queries do find something, so comparing their results means something:
    assert all(before.values()), {q: len(k) for q, k in before.items()}
    target = tmp_path / "backups" / "kb.backup"

    result = runner.invoke(args=["kb", "backup", "--to", str(target)])
    assert result.exit_code == 0, result.output
    assert "Backup written" in result.output and target.stat().st_size > 0
    assert not list(target.parent.glob("*.partial"))

    result = restored_app.test_cli_runner().invoke(args=["kb", "restore", "--from", str(target)])
    assert result.exit_code == 0, result.output
    assert "search index rebuilt" in result.output

    source_rows, restored_rows = all_rows(app), all_rows(restored_app)
    assert {t: len(r) for t, r in restored_rows.items()} == {t: len(r) for t, r in source_rows.items()}
    assert restored_rows == source_rows
    assert len(source_rows["interaction"]) >= 100 and len(source_rows["stakeholder"]) >= 60
    assert indexed_documents(restored_app) == indexed_documents(app)
    assert {q: keys(find(restored_app, q, admin)) for q in QUERIES} == before
    check = restored_app.test_cli_runner().invoke(args=["kb", "check-index"])
    assert check.exit_code == 0 and "in step" in check.output, check.output
    # The restored instance is ready to serve: demo sign-in works, the health check is green.
    client = restored_app.test_client()
    assert client.get("/healthz").json == {"status": "ok", "database": "ok", "schema": "at head",
                                           "index_lag": 0, "index_stale": False}
    signed_in = client.post("/login", data={"email": "admin@demo.kb", "password": DEMO_PASSWORD})
    assert signed_in.status_code == 302
    assert "快照" not in client.get("/accounts").get_data(as_text=True)
    assert client.get("/accounts").status_code == 200


def _write_until_stopped(app: Any, account_id: int, stop: threading.Event, done: list[int]) -> None:
    """Each transaction adds visit n and sets the account's description to "visits: n" together."""
    n = 0
    while not stop.is_set() or n < 3:
        n += 1
        with app.app_context():
            from kb.db import session

            session.add(Interaction(account_id=account_id, occurred_on=date(2026, 1, 1), title=f"visit {n}",
                                    kind=InteractionKind.VISIT, summary=f"snapshot check {n}"))
            session.get(Account, account_id).description = f"visits: {n}"
            session.commit()
        done.append(n)


def test_backup_while_the_app_writes_is_one_consistent_moment(app, runner, restored_app, create_account,
                                                              create_user, tmp_path):
    admin = create_user(role=UserRole.ADMIN)
    account = create_account(name="快照客户")
    stop, done = threading.Event(), []
    writer = threading.Thread(target=_write_until_stopped, args=(app, account.id, stop, done))
    writer.start()
    try:
        while len(done) < 5 and writer.is_alive():
            threading.Event().wait(0.02)
        result = runner.invoke(args=["kb", "backup", "--to", str(tmp_path / "live.backup")])
        at_backup = len(done)
        while len(done) < at_backup + 3 and writer.is_alive():  # the app went on writing after the backup
            threading.Event().wait(0.02)
    finally:
        stop.set()
        writer.join(timeout=60)
    assert result.exit_code == 0, result.output
    assert not writer.is_alive()

    restore_args = ["kb", "restore", "--from", str(tmp_path / "live.backup")]
    restored = restored_app.test_cli_runner().invoke(args=restore_args)
    assert restored.exit_code == 0, restored.output
    with restored_app.app_context():
        from kb.db import session

        visits = session.scalars(select(Interaction.title).order_by(Interaction.id)).all()
        description = session.get(Account, account.id).description
    # Every transaction is wholly in the snapshot or wholly out of it: visits 1..n and "visits: n".
    assert 5 <= len(visits) < len(done)
    assert visits == [f"visit {i}" for i in range(1, len(visits) + 1)]
    assert description == f"visits: {len(visits)}"
    assert find(restored_app, f"check {len(visits)}", admin).total == 1
    assert find(restored_app, f"check {len(visits) + 1}", admin).total == 0
    assert "in step" in restored_app.test_cli_runner().invoke(args=["kb", "check-index"]).output


def test_restore_refuses_a_database_with_data_unless_forced(app, runner, create_account, create_user,
                                                           tmp_path):
    admin = create_user(role=UserRole.ADMIN)
    kept = create_account(name="备份前的客户")
    backup_file = tmp_path / "kb.backup"
    assert runner.invoke(args=["kb", "backup", "--to", str(backup_file)]).exit_code == 0
    later = create_account(name="备份后的客户")
    assert keys(find(app, "备份后的客户", admin)) == {f"account:{later.id}"}

    refused = runner.invoke(args=["kb", "restore", "--from", str(backup_file)])
    assert refused.exit_code != 0
    assert "not empty" in refused.output and "--force" in refused.output
    assert keys(find(app, "备份后的客户", admin)) == {f"account:{later.id}"}  # nothing was touched

    forced = runner.invoke(args=["kb", "restore", "--from", str(backup_file), "--force"])
    assert forced.exit_code == 0, forced.output
    with app.app_context():
        from kb.db import session

        assert session.scalars(select(Account.name)).all() == ["备份前的客户"]
    assert find(app, "备份后的客户", admin).total == 0  # the index was rebuilt from the restored data
    assert keys(find(app, "备份前的客户", admin)) == {f"account:{kept.id}"}


def _first_revision() -> str:
    return ScriptDirectory(str(MIGRATIONS)).get_base()


@pytest.mark.parametrize("revision", ["base", "first"])
def test_restore_of_an_older_backup_migrates_it_to_head(app, restored_app, fresh_database_url, tmp_path,
                                                        revision):
    """A backup taken before the newest migrations (or of a database never migrated) comes back at head,
    into an instance where `kb init` already ran (tables, no rows)."""
    old = create_engine(fresh_database_url)
    if old.dialect.name == "sqlite":
        Path(old.url.database).parent.mkdir(parents=True, exist_ok=True)
    upgrade(old, _first_revision() if revision == "first" else "base")
    old.dispose()
    backup_file = tmp_path / "old.backup"
    made = restored_app.test_cli_runner().invoke(args=["kb", "backup", "--to", str(backup_file)])
    assert made.exit_code == 0, made.output

    result = app.test_cli_runner().invoke(args=["kb", "restore", "--from", str(backup_file)])
    assert result.exit_code == 0, result.output
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert all_rows(app)["alembic_version"] == [(head,)]
    assert app.test_client().get("/healthz").json["schema"] == "at head"


def test_restore_refuses_what_is_not_a_backup_of_this_kind_of_database(app, runner, tmp_path):
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("客户拜访纪要")
    result = runner.invoke(args=["kb", "restore", "--from", str(not_a_backup)])
    assert result.exit_code != 0 and "is not a backup made by `kb backup`" in result.output

    other_kind = tmp_path / "other.backup"
    if PG_URL:
        sqlite3.connect(other_kind).execute("CREATE TABLE t (x)").connection.close()
        expected = "is a backup of a sqlite database; this instance uses postgresql"
    else:
        other_kind.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(100))
        expected = "is a backup of a postgresql database; this instance uses sqlite"
    result = runner.invoke(args=["kb", "restore", "--from", str(other_kind)])
    assert result.exit_code != 0 and expected in result.output, result.output


def test_backup_says_so_when_pg_dump_is_missing(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr("kb.backup.glob.glob", lambda pattern: [])
    with pytest.raises(BackupError, match="pg_dump was not found .* Install PostgreSQL's client tools"):
        find_pg_tool("pg_dump")


def test_backup_of_an_instance_without_a_database_says_so(tmp_path):
    app = create_app(make_config(tmp_path, f"sqlite:///{tmp_path / 'nothing' / 'kb.sqlite3'}"))
    result = app.test_cli_runner().invoke(args=["kb", "backup", "--to", str(tmp_path / "x.backup")])
    assert result.exit_code != 0 and "There is no database" in result.output and "kb init" in result.output
    assert not (tmp_path / "x.backup").exists()
