"""Migrations: an empty database migrated to head has exactly the models' schema; `flask kb init` is safe.

Runs on SQLite always; the PostgreSQL cases run when KB_TEST_DATABASE_URL is set (the CI's second run),
in a schema of their own so the suite's shared database is left alone.
"""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, func, inspect, select, text
from sqlalchemy.exc import IntegrityError

from kb import create_app
from kb.migrate import alembic_config, upgrade
from models import Base, User
from tests.conftest import PG_URL, make_config

SCHEMA = "kb_migration_check"
pg_only = pytest.mark.skipif(not PG_URL, reason="PostgreSQL run only (KB_TEST_DATABASE_URL not set)")


def schema_differences(engine: Engine) -> list:
    """What Alembic's autogenerate would still add, drop or alter to reach the models (types included)."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def downgrade(engine: Engine, revision: str) -> None:
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, revision)


@pytest.fixture
def sqlite_engine(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_engine():
    """An engine whose default schema is a fresh, empty schema of the test PostgreSQL database."""
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    engine = create_engine(PG_URL, connect_args={"options": f"-csearch_path={SCHEMA}"})
    yield engine
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    admin.dispose()


def test_migrations_have_a_single_head():
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    heads = script.get_heads()
    assert len(heads) == 1, f"several migration heads, merge them: {heads}"


def test_empty_sqlite_database_migrated_to_head_matches_the_models(sqlite_engine):
    upgrade(sqlite_engine)
    assert schema_differences(sqlite_engine) == []
    assert set(Base.metadata.tables) <= set(inspect(sqlite_engine).get_table_names())


@pg_only
def test_empty_postgresql_database_migrated_to_head_matches_the_models(postgres_engine):
    upgrade(postgres_engine)
    with postgres_engine.connect() as conn:
        assert conn.scalar(text("SELECT current_schema()")) == SCHEMA
    assert set(Base.metadata.tables) <= set(inspect(postgres_engine).get_table_names())
    assert schema_differences(postgres_engine) == []


def test_migrations_downgrade_to_nothing_and_upgrade_again(sqlite_engine):
    upgrade(sqlite_engine)
    downgrade(sqlite_engine, "base")
    assert set(inspect(sqlite_engine).get_table_names()) <= {"alembic_version"}
    upgrade(sqlite_engine)
    assert schema_differences(sqlite_engine) == []


@pytest.mark.parametrize("role", ["superuser", ""])
def test_migrated_database_refuses_unknown_enum_values(sqlite_engine, role):
    upgrade(sqlite_engine)
    insert = text('INSERT INTO "user" (email, name, password_hash, role, active, created_at) '
                  "VALUES ('x@example.com', 'x', 'x', :role, true, :now)")
    with pytest.raises(IntegrityError), sqlite_engine.begin() as conn:
        conn.execute(insert, {"role": role, "now": datetime.now(timezone.utc)})


def test_kb_init_twice_on_an_empty_database(tmp_path):
    app = create_app(make_config(tmp_path, f"sqlite:///{tmp_path / 'new.sqlite3'}"))
    runner = app.test_cli_runner()
    try:
        first = runner.invoke(args=["kb", "init"])
        assert first.exit_code == 0, first.output
        secret = (tmp_path / "instance" / "secret_key").read_text()
        second = runner.invoke(args=["kb", "init"])
        assert second.exit_code == 0, second.output
        assert "Database ready" in second.output
        assert (tmp_path / "instance" / "secret_key").read_text() == secret  # sessions survive a re-init
        assert schema_differences(app.extensions["kb.db"].engine) == []
    finally:
        app.extensions["kb.db"].engine.dispose()


def test_kb_init_on_a_database_in_use_keeps_its_data(app, runner, create_user):
    """`database_url`: a copy of the migrated SQLite template, or the PostgreSQL database in the PG run."""
    create_user(email="keep.me@example.com", name="保留")
    for _ in range(2):
        result = runner.invoke(args=["kb", "init"])
        assert result.exit_code == 0, result.output
    with app.app_context():
        from kb.db import session

        assert session.scalar(select(func.count()).select_from(User)) == 1
        assert session.scalar(select(User.name).where(User.email == "keep.me@example.com")) == "保留"
