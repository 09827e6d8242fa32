"""Fixtures: `app` (database and index under tmp_path), `client`, `runner`, `auth`, and factories.

The suite runs on SQLite by default. Set KB_TEST_DATABASE_URL=postgresql+psycopg://... to run the same
tests against PostgreSQL; with CI=true an unreachable server fails the run instead of skipping it.

Under pytest-xdist (`make test` runs one worker per core) each worker has its own PostgreSQL database on
that server, `<database>_<worker>` (e.g. kb_test_gw0), created when missing: tests truncate their
database, so two workers never share one. KB_TEST_DATABASE_URL is set to the worker's database, for the
tests that read it from the environment.
"""
from __future__ import annotations

import functools
import os
import shutil
import threading
from pathlib import Path
from typing import Any, Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from kb import create_app
from kb.migrate import upgrade
from models import Base

pytest_plugins = ["tests.factories"]

PG_SERVER_URL = os.environ.get("KB_TEST_DATABASE_URL", "")  # as given: the database a worker's is named after
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def _worker_database_url(url: str, worker: str) -> str:
    """`url` with its database renamed `<database>_<worker>` (no change outside xdist, `worker` "")."""
    if not url or not worker:
        return url
    from sqlalchemy import make_url

    given = make_url(url)
    return given.set(database=f"{given.database}_{worker}").render_as_string(hide_password=False)


PG_URL = _worker_database_url(PG_SERVER_URL, _WORKER)
if PG_URL:
    os.environ["KB_TEST_DATABASE_URL"] = PG_URL


@functools.cache
def _seeded_rows() -> dict[str, list[dict[str, Any]]]:
    """Rows the migrations seed (the industry and region lists of 0013), by table: a truncated PostgreSQL
    test database gets them back, as every SQLite test's fresh copy of the migrated template has them."""
    import importlib.util

    import kb

    path = Path(kb.__file__).parent / "migrations" / "versions" / "0013_reference_lists.py"
    spec = importlib.util.spec_from_file_location("kb_migration_0013", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    rows = [dict(kind=kind, value=value, label_en=label, position=i, active=True, version=1)
            for kind, values in (("industry", module.INDUSTRIES), ("region", module.REGIONS))
            for i, (value, label) in enumerate(values)]
    return {"reference_value": rows}


_EMPTYING_ENGINES: dict[str, Any] = {}


def _truncate_all(url: str) -> None:
    """Empty the PostgreSQL test database at `url` as a fresh migrated one is: no rows but the seeded ones,
    every sequence restarted.

    TRUNCATE of the tables that have rows only, instead of all 35 (130 ms a test): a test fills a few.
    TRUNCATE, not DELETE: it also resets the tables' size and statistics, which the tests of query plans
    (tests/test_s*pg9_*.py) were written against."""
    engine = _EMPTYING_ENGINES.get(url)
    if engine is None:
        engine = _EMPTYING_ENGINES[url] = create_engine(url, poolclass=NullPool)
    tables = Base.metadata.sorted_tables
    probe = " UNION ALL ".join(f"(SELECT '{t.name}' FROM \"{t.name}\" LIMIT 1)" for t in tables)
    with engine.begin() as conn:
        filled = list(conn.scalars(text(probe)))
        if filled:
            names = ", ".join(f'"{name}"' for name in filled)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        conn.execute(text("SELECT setval(c.oid, 1, false) FROM pg_class c JOIN pg_namespace n "
                          "ON n.oid = c.relnamespace WHERE c.relkind = 'S' AND n.nspname = current_schema()"))
        for name, rows in _seeded_rows().items():
            conn.execute(Base.metadata.tables[name].insert(), rows)


def _create_worker_database() -> None:
    """Create this xdist worker's PostgreSQL database (see the module's docstring) if it is missing."""
    if PG_URL == PG_SERVER_URL:
        return
    from sqlalchemy import make_url

    name = make_url(PG_URL).database
    server = create_engine(PG_SERVER_URL, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}) is None:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        server.dispose()


@pytest.fixture(scope="session", autouse=bool(PG_URL))
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database migrated to head once per run: an SQLite template file, or the PostgreSQL database."""
    if PG_URL:
        engine = create_engine(PG_URL)
        try:
            _create_worker_database()
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        except Exception as exc:  # noqa: BLE001
            pytest.exit(f"PostgreSQL at KB_TEST_DATABASE_URL cannot be used (unreachable, or no right to "
                        f"create the worker's database): {exc}", returncode=3)
        upgrade(engine)
        engine.dispose()
        return PG_URL
    template = tmp_path_factory.mktemp("db") / "template.sqlite3"
    engine = create_engine(f"sqlite:///{template}")
    upgrade(engine)
    engine.dispose()
    return str(template)


def _slow_files(root: Path) -> set[str]:
    """The test files, relative to `root` in '/' form, that mark themselves `slow` (`pytestmark =
    pytest.mark.slow` or `@pytest.mark.slow`): those that run servers, browsers or fault scenarios."""
    return {path.relative_to(root).as_posix() for path in sorted((root / "tests").rglob("test_*.py"))
            if "pytest.mark.slow" in path.read_text(encoding="utf-8")}


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """pytest-xdist: a test file per worker at a time (`--dist loadfile`), and the slow files one after
    another on one worker, while the others run the rest: two of them at once on a 2-core machine starve
    each other's servers and browsers, and the fault suite's timing checks can then fail.

    Files go out in collection order, the slow ones (tests/browser comes first) at the start: by default
    xdist sends the files with the most tests first, and the slow files' unit (~50 tests, a quarter of the
    run's time) then came last, with the other workers idle while it ran."""
    from xdist.scheduler import LoadFileScheduling

    slow = _slow_files(Path(config.rootpath))
    config.option.loadscopereorder = False

    class SlowFilesTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            file = nodeid.split("::", 1)[0]
            return "slow files" if file in slow else file

    return SlowFilesTogether(config, log)


@pytest.fixture
def database_url(migrated_database: str, tmp_path: Path) -> str:
    if PG_URL:
        _truncate_all(PG_URL)
        return PG_URL
    target = tmp_path / "kb.sqlite3"
    shutil.copyfile(migrated_database, target)
    return f"sqlite:///{target}"


def make_config(tmp_path: Path, database_url: str, **extra: Any) -> dict[str, Any]:
    config: dict[str, Any] = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": database_url,
        "SEARCH_INDEX_DIR": str(tmp_path / "search-index"),
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "WTF_CSRF_ENABLED": False,
        # The product defaults to Chinese; tests read the English msgids unless a request asks for another
        # language (tests/test_i18n.py checks the Chinese pages and the real default).
        "BABEL_DEFAULT_LOCALE": "en",
        # Every API answer is validated against its declared pydantic model (views/api/answers/check.py).
        "API_CHECK_ANSWERS": True,
    }
    config.update(extra)
    return config


@pytest.fixture(autouse=True)
def _engines_closed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Close the pooled connections of every engine an app made during the test, whether or not the
    test disposed it: a pool left to the garbage collector closes its connections with a
    ResourceWarning in some later test."""
    import kb.db

    made: list[Any] = []
    original = kb.db.make_engine

    def make_engine(*args: Any, **kwargs: Any) -> Any:
        engine = original(*args, **kwargs)
        made.append(engine)
        return engine

    monkeypatch.setattr(kb.db, "make_engine", make_engine)
    yield
    for engine in made:
        engine.dispose()


@pytest.fixture
def app_config(tmp_path: Path, database_url: str) -> dict[str, Any]:
    """Override in a test module to change the app's configuration."""
    return make_config(tmp_path, database_url)


@pytest.fixture
def app(app_config: dict[str, Any]) -> Iterator[Any]:
    app = create_app(app_config)
    yield app
    close_app(app)


def close_app(app: Any) -> None:
    """Stop what `app` runs in the background, then close its pooled connections.

    A background thread (an import job finishing its request context, the search catch-up) may still
    hold a connection when the test ends; disposing the engine under it would orphan that connection,
    and the garbage collector would later close it with a ResourceWarning in whatever test runs then."""
    from kb.search import CATCH_UP_KEY

    catch_up = app.extensions.get(CATCH_UP_KEY)
    if catch_up is not None:
        catch_up.stop()
    for thread in threading.enumerate():
        if thread.name.startswith("kb-import-"):
            thread.join(60)
    app.extensions["kb.db"].engine.dispose()


@pytest.fixture
def client(app: Any) -> Any:
    return app.test_client()


@pytest.fixture
def runner(app: Any) -> Any:
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client: Any) -> None:
        self._client = client

    def login(self, user: Any = "admin@example.com", password: str = "password123") -> Any:
        email = user if isinstance(user, str) else user.email
        return self._client.post("/login", data={"email": email, "password": password})

    def logout(self) -> Any:
        return self._client.post("/logout")


@pytest.fixture
def auth(client: Any) -> AuthActions:
    return AuthActions(client)
