"""A PostgreSQL database of its own beside the test suite's (the fault suite and the API fuzz test serve
their instance from one, so they never touch the suite's own database)."""
from __future__ import annotations

import os
import random


def create_side_database(url: str, prefix: str) -> tuple[str, str]:
    """A new, empty PostgreSQL database beside the one at `url` (never that database itself), named
    `<prefix>_<pid>_<random>`: returns (its URL, its name). Drop it with `drop_side_database`."""
    from sqlalchemy import create_engine, make_url, text

    name = f"{prefix}_{os.getpid()}_{random.randrange(10**6)}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False), name


def drop_side_database(url: str, name: str) -> None:
    """Drop database `name` on the server of `url` (its sessions are ended first)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()
