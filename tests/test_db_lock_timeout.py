"""A write blocked by another writer's lock gives up after DB_LOCK_TIMEOUT_SECONDS and answers 503, on SQLite
(busy timeout) and PostgreSQL (lock_timeout), instead of waiting past gunicorn's 30 s worker timeout."""
from __future__ import annotations

import sqlite3
import time
from typing import Any, Iterator

import pytest
from sqlalchemy import create_engine, text

from tests.api_support import assert_error, world  # noqa: F401  # `world` is a fixture
from tests.conftest import make_config


@pytest.fixture
def app_config(tmp_path, database_url) -> dict[str, Any]:
    return make_config(tmp_path, database_url, DB_LOCK_TIMEOUT_SECONDS=0.5)


@pytest.fixture
def held_lock(app, world) -> Iterator[None]:
    """Another process holds a write lock on the account's row (PostgreSQL) or on the whole file (SQLite)."""
    url = app.config["DATABASE_URL"]
    if url.startswith("sqlite"):
        other = sqlite3.connect(app.extensions["kb.db"].engine.url.database, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.rollback()
            other.close()
        return
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT id FROM account WHERE id = :id FOR UPDATE"), {"id": world.account.id})
            yield
            conn.rollback()
    finally:
        engine.dispose()


def test_the_engine_is_configured_with_the_setting(app):
    engine = app.extensions["kb.db"].engine
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 500
        else:
            assert conn.exec_driver_sql("SHOW lock_timeout").scalar() == "500ms"


def test_a_write_behind_a_held_lock_answers_503_quickly(client, world, held_lock):
    started = time.monotonic()
    response = world.api(client, "seated").patch(f"/accounts/{world.account.id}", json={"description": "锁"})
    waited = time.monotonic() - started
    assert assert_error(response, 503)["code"] == "unavailable"
    assert response.headers["Retry-After"]
    assert waited < 10  # gave up after about 0.5 s, far inside a 30 s worker timeout (generous for a busy CI)


def test_the_same_write_succeeds_once_the_lock_is_gone(client, world):
    response = world.api(client, "seated").patch(f"/accounts/{world.account.id}", json={"description": "好了"})
    assert response.status_code == 200 and response.get_json()["description"] == "好了"
