"""On PostgreSQL the account list's last activity is index seeks (issue 9): the latest visit of each
visibility from `ix_interaction_account_latest`, the reader's team from `ix_account_group_account`.

PostgreSQL only (CI's second run sets KB_TEST_DATABASE_URL). Before these indexes the statement read every
visit row of every listed account (an account with a hundred team-only visits its reader may not see cost a
hundred row reads), and each team test scanned all accounts: 7 ms of the list's 8 ms of SQL at 2,000
accounts, where SQLite took 0.4 ms.
"""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from models import User
from tests.conftest import PG_URL
from tests.test_scale_postgres_indexes import page_statements
from tests.test_scale_query_counts import populate

pytestmark = pytest.mark.skipif(not PG_URL, reason="PostgreSQL run only (KB_TEST_DATABASE_URL not set)")


def _vacuum_analyze(url: str) -> None:
    """What autovacuum does after a bulk load: planner statistics and the visibility map."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()


def plan_nodes(engine, statement, parameters):
    """Every node of the statement's plan with sequential and bitmap scans off (the test tables are small
    enough for reading them whole to win; at scale it never does), each with whether it is in a subplan."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_bitmapscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + statement, parameters)
        nodes, todo = [], [(cursor.fetchone()[0][0]["Plan"], False)]
        while todo:
            node, in_subplan = todo.pop()
            in_subplan = in_subplan or node.get("Parent Relationship") == "SubPlan"
            nodes.append((node, in_subplan))
            todo += [(child, in_subplan) for child in node.get("Plans", [])]
        return nodes
    finally:
        raw.rollback()
        raw.close()


def test_last_activity_is_index_seeks(app, client):
    world = populate(app, tag="la", n=30)
    populate(app, tag="lb", n=30)  # another group: its accounts are not the reader's team
    _vacuum_analyze(app.config["DATABASE_URL"])
    with app.app_context():
        from kb.db import session
        email = session.get(User, world["ar"]).email
    assert client.post("/login", data={"email": email, "password": "password123"}).status_code == 302
    engine, statements = page_statements(app, client, "/accounts")
    latest = [(s, p) for s, p in statements if "FROM interaction" in s]
    assert len(latest) == 1  # the whole column in one statement
    nodes = plan_nodes(engine, *latest[0])
    visits = [n for n, _ in nodes if n.get("Relation Name") == "interaction"]
    assert len(visits) == 2  # one subquery per visibility, each a backward index seek
    assert {(n["Node Type"], n.get("Index Name"), n.get("Scan Direction")) for n in visits} <= {
        ("Index Only Scan", "ix_interaction_account_latest", "Backward"),
        ("Index Scan", "ix_interaction_account_latest", "Backward")}, visits
    teams = [n for n, in_subplan in nodes if in_subplan and n.get("Relation Name") == "account"]
    assert teams and all(n.get("Index Name") == "ix_account_group_account" for n in teams), teams
