"""Helpers of the export/import round-trip tests: a second, empty instance to import into."""
from __future__ import annotations

import shutil
from typing import Any

from sqlalchemy import select

from kb import create_app
from models import User
from tests.conftest import make_config


def empty_instance(migrated_database: str, tmp_path: Any, name: str) -> tuple[Any, int]:
    """A new instance with the demo's people and groups only (all active); its admin's id."""
    from kb.demo.context import DemoContext
    from kb.demo.load_people import load_groups, load_users

    target = tmp_path / name / "kb.sqlite3"
    target.parent.mkdir()
    shutil.copyfile(migrated_database, target)
    other = create_app(make_config(tmp_path / name, f"sqlite:///{target}"))
    with other.test_request_context():
        from kb.db import session

        ctx = DemoContext(session)
        load_users(ctx)
        load_groups(ctx)
        for user in session.scalars(select(User)):
            user.active = True  # a new instance's people are active (the demo has one who left)
        session.commit()
        admin = session.scalar(select(User).where(User.email == "admin@demo.kb")).id
    return other, admin
