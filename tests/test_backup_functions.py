"""A PostgreSQL restore drops our trigger functions as it drops our tables (migration 0018's functions made
every restore fail with "function … already exists": CI's PostgreSQL stage). kb.backup.OUR_FUNCTIONS must
name every function our migrations create — checked against the migrated test database."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from kb.backup import OUR_FUNCTIONS
from tests.conftest import PG_URL


@pytest.mark.skipif(not PG_URL, reason="PostgreSQL run only (KB_TEST_DATABASE_URL not set)")
def test_the_restore_knows_every_function_our_migrations_create(app):
    with app.app_context():
        from kb.db import session
        names = set(session.scalars(text(
            "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = current_schema() AND p.prokind = 'f'")))
    assert names == set(OUR_FUNCTIONS)
