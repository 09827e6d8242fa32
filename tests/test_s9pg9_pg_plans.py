"""On PostgreSQL the group page's and home's slowest statements read by key (issue 9: the group page 1.6× and
home 1.5× SQLite's time at 2,000 accounts, in-process).

PostgreSQL only. As in tests/test_s8pg9_dashboard_pg_plans.py, each test checks the cause of the slow plan it
was, so that it fails on the old statement or schema whatever the planner makes of the small test data.
"""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import PG_URL
from tests.test_s8pg9_dashboard_pg_plans import plan, the_statement
from tests.test_scale_postgres_indexes import logged_in_statements

pytestmark = pytest.mark.skipif(not PG_URL, reason="PostgreSQL run only (KB_TEST_DATABASE_URL not set)")


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
                  *[f"DROP INDEX {name}" for name in ("ix_next_step_interaction_open", "ix_next_step_owner_open",
                                                      "ix_next_step_interaction_id")])
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


def test_group_page_reads_each_persons_owners_by_key(app, client):
    """The group page counts the relationships at risk of every person of its page of accounts, with their
    owners, in one statement (kb.services.risk_facts._load_joined). Each person's owners are a seek of
    stakeholder_owner's key by that person (a subquery per person): as a plain join PostgreSQL hashed the whole
    stakeholder_owner table (60,000 rows, 3 ms; now 0.5 ms at 2,000 accounts)."""
    engine, statements = logged_in_statements(app, client, "/groups/{group}")
    nodes = plan(engine, *the_statement(statements, "stakeholder_owner", "stakeholder.reports_to_id",
                                        "stakeholder.decision_role"), "enable_seqscan = off")
    owners = [n for n, _ in nodes if n.get("Relation Name") == "stakeholder_owner"]
    assert owners
    for node in owners:
        # the person's id is the condition of the read: one seek per person, never the whole table
        assert node["Node Type"] in ("Index Scan", "Index Only Scan"), node["Node Type"]
        assert node.get("Index Name") == "pk_stakeholder_owner"
        assert "stakeholder.id" in node.get("Index Cond", ""), node.get("Index Cond")
