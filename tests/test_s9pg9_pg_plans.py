"""On PostgreSQL the group page's and home's slowest statements read by key (issue 9: the group page 1.6× and
home 1.5× SQLite's time at 2,000 accounts, in-process).

PostgreSQL only. As in tests/test_s8pg9_dashboard_pg_plans.py, each test checks the cause of the slow plan it
was, so that it fails on the old statement or schema whatever the planner makes of the small test data.
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import PG_URL
from tests.test_s8pg9_dashboard_pg_plans import plan, the_statement
from tests.test_scale_postgres_indexes import logged_in_statements

pytestmark = pytest.mark.skipif(not PG_URL, reason="PostgreSQL run only (KB_TEST_DATABASE_URL not set)")

#: next_step's indexes other than its key and ix_next_step_account_open.
OTHER_STEP_INDEXES = ("ix_next_step_interaction_open", "ix_next_step_owner_open",
                      "ix_next_step_interaction_id")


def vacuumed(table: str) -> None:
    """VACUUM ANALYZE `table` (outside a transaction), so PostgreSQL knows its pages are all visible: an
    index-only scan then reads no table page, as on a server whose autovacuum has run."""
    engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f"VACUUM ANALYZE {table}"))
    finally:
        engine.dispose()


@pytest.mark.parametrize("page", ["/", "/groups/{group}"])
def test_open_steps_are_ranked_from_the_index_alone(app, client, page):
    """The open steps of the dashboard's accounts are counted and ranked by their id from
    ix_next_step_account_open alone (an Index Only Scan): before migration 0022 the index had no id, so
    PostgreSQL read every step of the range from the table (a bitmap heap scan of ~1,250 pages for 50
    accounts at 2,000 accounts, 3.1 ms; 1.7 ms index-only)."""
    engine, statements = logged_in_statements(app, client, page)
    vacuumed("next_step")
    # With a few rows PostgreSQL may as well read any other index of next_step whole: those are dropped for
    # the EXPLAIN (in its transaction, rolled back), and scans of the table priced out, so the plan shows how
    # ix_next_step_account_open is read: from the index alone, or not.
    top = explain(engine, *the_statement(statements, "row_number() OVER", "FROM next_step"),
                  "SET enable_seqscan = off", "SET enable_bitmapscan = off",
                  *[f"DROP INDEX {name}" for name in OTHER_STEP_INDEXES])
    windows = [n for n in [top, *_below(top)] if n["Node Type"] == "WindowAgg"]
    assert windows
    ranked = [n for n in _below(windows[0]) if n.get("Relation Name") == "next_step"]
    assert [(n["Node Type"], n.get("Index Name")) for n in ranked] == [
        ("Index Only Scan", "ix_next_step_account_open")]


def explain(engine, statement, parameters, *before):
    """The top node of the statement's plan (EXPLAIN FORMAT JSON) after the statements `before`, all in one
    transaction that is rolled back."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for sql in before:
            cursor.execute(sql)
        cursor.execute("EXPLAIN (FORMAT JSON) " + statement, parameters)
        return cursor.fetchone()[0][0]["Plan"]
    finally:
        raw.rollback()
        raw.close()


def _below(node):
    """Every node under `node` (its subplans included)."""
    found, todo = [], list(node.get("Plans", []))
    while todo:
        child = todo.pop()
        found.append(child)
        todo += child.get("Plans", [])
    return found


@pytest.mark.parametrize("page, reads", [("/", 1), ("/groups/{group}", 2)])
def test_people_and_their_owners_read_each_persons_owners_by_key(app, client, page, reads):
    """The dashboards read the people they check for risk (home, group page), and the group page every person
    of its page of accounts (the table's risk counts), each with their owners in one statement
    (kb.services.risk_facts.load_facts). Each person's owners are a seek of stakeholder_owner's key by that
    person (a subquery per person): as a plain join PostgreSQL hashed the whole stakeholder_owner table
    (60,000 rows, 3 ms for the group page's 200 people; now 0.5 ms at 2,000 accounts)."""
    engine, statements = logged_in_statements(app, client, page)
    found = [(s, p) for s, p in statements if "stakeholder_owner" in s and "decision_role" in s]
    assert len(found) == reads
    for statement, parameters in found:
        # sequential and bitmap scans off: the test tables are tiny, and emptied between tests by DELETE
        # (tests/conftest.py), their statistics can make a bitmap scan of a few pages the cheaper read
        owners = [n for n, _ in plan(engine, statement, parameters, "enable_seqscan = off",
                                     "enable_bitmapscan = off")
                  if n.get("Relation Name") == "stakeholder_owner"]
        assert owners
        for node in owners:
            # the person's id is the condition of the read: one seek per person, never the whole table
            assert node["Node Type"] in ("Index Scan", "Index Only Scan"), node["Node Type"]
            assert node.get("Index Name") == "pk_stakeholder_owner"
            assert re.search(r"stakeholder_id = (stakeholder|picked)\.id", node.get("Index Cond", "")), node
