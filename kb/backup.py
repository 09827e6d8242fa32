"""Backups: a consistent snapshot of the database while the app serves, and restoring one into an empty
instance (`flask kb backup --to FILE`, `flask kb restore --from FILE`).

- SQLite: the online backup API (`sqlite3.Connection.backup`) copies every page in one step, inside one
  read transaction, so writers that commit meanwhile are either wholly in the copy or not at all. The copy
  is switched to rollback-journal mode so the backup is one self-contained file.
- PostgreSQL: `pg_dump --format=custom`, which reads everything in one repeatable-read snapshot, and
  `pg_restore`. We use PostgreSQL's own tools rather than a home-made dump of every table: they restore
  sequences, constraints and indexes exactly, they are what a PostgreSQL administrator already knows and
  verifies, and they need no code that must track every future migration. The price is that a backup
  restores only into the same kind of database (SQLite into SQLite, PostgreSQL into PostgreSQL).

The search index is not part of a backup: it is derived from the database and rebuilt after a restore.
"""
from __future__ import annotations

import glob
import logging
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, select, table, text

from models import Base

from . import migrate

if TYPE_CHECKING:
    from .search.index import SearchIndex

logger = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
#: Tables that hold no user data: an instance that has only these (and empty others) is "empty".
#: reference_value holds the industry/region lists a new instance is seeded with (migration 0013); a
#: restore brings the backup's own lists.
BOOKKEEPING_TABLES = frozenset({"alembic_version", "reference_value"})
#: pg_dump / pg_restore may not take longer than this (seconds).
PG_TOOL_TIMEOUT = 3600


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class RestoreReport:
    """What a restore did: the kind of backup, and how many documents the rebuilt search index holds."""

    kind: str
    documents: int


def backup(*, engine: Engine, target: Path) -> str:
    """Write a consistent snapshot of the database behind `engine` to `target`; returns its kind
    ("sqlite" or "postgresql"). The file appears only when complete (written beside it, then renamed).

    Raises BackupError if the database is of another kind, missing, or `pg_dump` cannot be found or fails.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if engine.dialect.name == "sqlite":
            _backup_sqlite(_sqlite_path(engine), partial)
        elif engine.dialect.name == "postgresql":
            _run_pg_tool(engine, "pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                         f"--file={partial}")
        else:
            raise BackupError(f"Backups of {engine.dialect.name} databases are not supported.")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    logger.info("backup written to %s", target)
    return engine.dialect.name


def backup_kind(source: Path) -> str:
    """The kind of database a backup file holds: "sqlite" or "postgresql" (BackupError if neither)."""
    try:
        with open(source, "rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise BackupError(f"Cannot read the backup {source}: {exc.strerror}.") from exc
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{source} is not a backup made by `kb backup` "
                      "(neither SQLite nor pg_dump custom format).")


def user_tables_with_rows(engine: Engine) -> list[str]:
    """The tables of the database that hold rows, bookkeeping aside (an empty instance has none)."""
    names = [n for n in inspect(engine).get_table_names() if n not in BOOKKEEPING_TABLES]
    with engine.connect() as connection:
        return [n for n in sorted(names)
                if connection.scalar(select(text("1")).select_from(table(n)).limit(1)) is not None]


def restore(*, engine: Engine, source: Path, index: SearchIndex | None = None,
            force: bool = False) -> RestoreReport:
    """Restore the backup `source` into the database behind `engine`, migrate it to the newest schema
    (a backup of an older version is upgraded) and, given `index`, rebuild the search index from it.

    Refuses (BackupError) a database that already holds data unless `force` (which replaces it), a backup
    of another kind of database than this instance's, and a file that is not a backup.
    """
    source = Path(source)
    kind = backup_kind(source)
    if kind != engine.dialect.name:
        raise BackupError(f"{source} is a backup of a {kind} database; this instance uses "
                          f"{engine.dialect.name}. Restore it into an instance of the same kind.")
    if kind == "sqlite":
        _sqlite_path(engine, must_exist=False).parent.mkdir(parents=True, exist_ok=True)
    if not force:
        filled = user_tables_with_rows(engine)
        if filled:
            shown = ", ".join(filled[:5]) + (" …" if len(filled) > 5 else "")
            raise BackupError(f"This instance's database is not empty (it has rows in {shown}). Restore into "
                              "an empty instance, or use --force to replace everything in it.")
    engine.dispose()  # no pooled connection may keep the old schema or hold a lock
    if kind == "sqlite":
        _restore_sqlite(source, _sqlite_path(engine, must_exist=False))
    else:
        _drop_all_tables(engine)
        _run_pg_tool(engine, "pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                     "--single-transaction", str(source))
    engine.dispose()
    migrate.upgrade(engine)
    documents = index.rebuild() if index is not None else 0
    logger.info("restored %s backup %s (%s search documents)", kind, source, documents)
    return RestoreReport(kind=kind, documents=documents)


# -- SQLite ----------------------------------------------------------------------------------------
def _sqlite_path(engine: Engine, must_exist: bool = True) -> Path:
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError("Only SQLite databases in a file can be backed up or restored.")
    path = Path(database)
    if must_exist and not path.is_file():
        raise BackupError(f"There is no database at {path}; run `flask --app wsgi kb init` first.")
    return path


def _backup_sqlite(database: Path, target: Path) -> None:
    source = sqlite3.connect(database, timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # all pages in one step: one read transaction, so one consistent snapshot
        copy.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file, no -wal beside it
        if copy.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError("The backup copy failed SQLite's integrity check; nothing was written.")
    finally:
        copy.close()
        source.close()


def _restore_sqlite(source: Path, database: Path) -> None:
    backup_file = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    target = sqlite3.connect(database, timeout=30)
    try:
        # A WAL database only accepts a backup of its own page size; the engine turns WAL on again.
        target.execute("PRAGMA journal_mode=DELETE")
        backup_file.backup(target)
    finally:
        target.close()
        backup_file.close()


# -- PostgreSQL ------------------------------------------------------------------------------------
#: Trigger functions our migrations create (0018: next steps keep their visit's account, visibility and
#: archived time): a dump holds them, so a restore must find them gone, as it finds the tables.
OUR_FUNCTIONS = ("next_step_kept", "interaction_kept_steps")


def _drop_all_tables(engine: Engine) -> None:
    """Drop our tables and trigger functions (what `kb init` or a forced restore left) so pg_restore can
    create every one; tables and functions of other applications in the same schema are left alone (the
    emptiness check covered them)."""
    ours = set(Base.metadata.tables) | BOOKKEEPING_TABLES
    names = [n for n in inspect(engine).get_table_names() if n in ours]
    quote = engine.dialect.identifier_preparer.quote
    with engine.begin() as connection:
        for name in names:
            connection.execute(text(f"DROP TABLE IF EXISTS {quote(name)} CASCADE"))
        for function in OUR_FUNCTIONS:
            connection.execute(text(f"DROP FUNCTION IF EXISTS {quote(function)}() CASCADE"))


def find_pg_tool(name: str) -> str:
    """The path of PostgreSQL's `name` (pg_dump, pg_restore): on PATH, else the newest under
    /usr/lib/postgresql/*/bin. Raises BackupError if there is none."""
    found = shutil.which(name)
    if found:
        return found

    def major(path: str) -> int:
        match = re.search(r"/postgresql/(\d+)/", path)
        return int(match.group(1)) if match else 0

    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=major, reverse=True)
    for candidate in candidates:
        if os.access(candidate, os.X_OK):
            return candidate
    raise BackupError(f"{name} was not found (neither on PATH nor in /usr/lib/postgresql/*/bin). Install "
                      "PostgreSQL's client tools (Debian: `apt-get install postgresql-client`).")


def _pg_environment(engine: Engine) -> dict[str, str]:
    """libpq settings for the tools, from the engine's URL; the password goes in the environment, never
    on a command line that other users could read."""
    url = engine.url
    env = dict(os.environ)
    settings = {"PGHOST": url.host or url.query.get("host"), "PGPORT": url.port, "PGUSER": url.username,
                "PGPASSWORD": url.password, "PGDATABASE": url.database,
                "PGSSLMODE": url.query.get("sslmode")}
    for key, value in settings.items():
        if value:
            env[key] = str(value)
    return env


def _run_pg_tool(engine: Engine, name: str, *args: str) -> None:
    command = [find_pg_tool(name), *args]
    if name == "pg_restore":
        command.insert(1, f"--dbname={engine.url.database}")
    try:
        result = subprocess.run(command, env=_pg_environment(engine), capture_output=True, text=True,
                                timeout=PG_TOOL_TIMEOUT, check=False)
    except subprocess.TimeoutExpired as exc:
        raise BackupError(f"{name} did not finish within {PG_TOOL_TIMEOUT} s.") from exc
    if result.returncode != 0:
        raise BackupError(f"{name} failed (exit {result.returncode}): {result.stderr.strip()[-2000:]}")
