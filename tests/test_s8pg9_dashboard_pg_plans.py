"""On PostgreSQL the dashboard's statements (home, group page) read what they need by index seeks (issue 9:
home 1.65× and the group page 1.81× SQLite's time at 2,000 accounts).

PostgreSQL only. The test data is small, so PostgreSQL's choices by cost would say little: each test checks
the cause of the slow plan it was, with sequential scans (and sorts, where the index order is the point)
priced out, so that a plan still using them has no index or shape that avoids them.
"""
from __future__ import annotations

import pytest

from kb.services.dashboard import LIST_LIMIT
from tests.conftest import PG_URL
from tests.test_scale_postgres_indexes import logged_in_statements

pytestmark = pytest.mark.skipif(not PG_URL, reason="PostgreSQL run only (KB_TEST_DATABASE_URL not set)")

PAGES = ["/", "/groups/{group}"]


def plan(engine, statement, parameters, *settings):
    """(node, its SubPlan name or None) for every node of the statement's plan, with `settings` applied."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for setting in settings:
            cursor.execute(f"SET {setting}")
        cursor.execute("EXPLAIN (FORMAT JSON) " + statement, parameters)
        nodes, todo = [], [(cursor.fetchone()[0][0]["Plan"], None)]
        while todo:
            node, subplan = todo.pop()
            if node.get("Parent Relationship") == "SubPlan":
                subplan = node.get("Subplan Name")
            nodes.append((node, subplan))
            todo += [(child, subplan) for child in node.get("Plans", [])]
        return nodes
    finally:
        raw.rollback()
        raw.close()


def the_statement(statements, *marks):
    found = [(s, p) for s, p in statements if all(mark in s for mark in marks)]
    assert len(found) == 1, [s[:100] for s, _ in found]
    return found[0]


@pytest.mark.parametrize("page", PAGES)
def test_latest_visits_are_backward_index_only_seeks(app, client, page):
    """Each account's latest visit of a visibility and kind: one backward seek of
    ix_interaction_account_kind (account, visibility, kind, date, archived), no sort — with archived_at before
    the date (the index of migration 0017), PostgreSQL read and sorted every visit of the account."""
    engine, statements = logged_in_statements(app, client, page)
    nodes = plan(engine, *the_statement(statements, "UNION ALL", "interaction.kind"),
                 "enable_seqscan = off", "enable_sort = off", "enable_bitmapscan = off")
    seeks = [node for node, subplan in nodes if subplan and node.get("Relation Name") == "interaction"]
    assert len(seeks) == 4  # two visibilities × two kinds of visit
    for node in seeks:
        # (index-only once the table is vacuumed: all the columns it reads are in the index)
        assert node["Node Type"] in ("Index Only Scan", "Index Scan")
        assert (node["Index Name"], node["Scan Direction"]) == ("ix_interaction_account_kind", "Backward")
    assert [node for node, subplan in nodes if subplan and node["Node Type"] == "Sort"] == []
    # the visits per month in the same statement: one index range read
    counted = [node for node, subplan in nodes if not subplan and node.get("Relation Name") == "interaction"]
    assert [n["Node Type"] in ("Index Only Scan", "Index Scan") for n in counted] == [True]


@pytest.mark.parametrize("page", PAGES)
def test_coverage_by_layer_seeks_owners_per_person(app, client, page):
    """Whether a person has an active owner: a seek of stakeholder_owner's key per person and of user's key
    per owner, never a hash of every stakeholder_owner row (6–10 ms at 2,000 accounts) nor a loop over
    users."""
    engine, statements = logged_in_statements(app, client, page)
    nodes = plan(engine, *the_statement(statements, "stakeholder.layer", "stakeholder_owner", "GROUP BY"),
                 "enable_seqscan = off")
    owners = [(node, subplan) for node, subplan in nodes if node.get("Relation Name") == "stakeholder_owner"]
    users = [(node, subplan) for node, subplan in nodes if node.get("Relation Name") == "user"]
    assert owners and users
    for node, subplan in owners + users:
        assert node["Node Type"] in ("Index Scan", "Index Only Scan"), node["Node Type"]
        assert "Index Cond" in node
        assert subplan and not subplan.startswith("hashed")
    assert {n["Index Name"] for n, _ in owners} == {"pk_stakeholder_owner"}
    assert {n["Index Name"] for n, _ in users} == {"pk_user"}


@pytest.mark.parametrize("page", PAGES)
def test_listed_next_steps_are_fetched_by_key(app, client, page):
    """The next steps' counts and lists are one statement; the planner knows that at most 2 × LIST_LIMIT
    rows are listed (a LIMIT), so it fetches them by primary key — expecting a thousand, it hashed next_step
    whole."""
    engine, statements = logged_in_statements(app, client, page)
    nodes = plan(engine, *the_statement(statements, "row_number() OVER", "FROM next_step"),
                 "enable_seqscan = off")
    assert [n for n, _ in nodes if n["Node Type"] == "Limit" and n["Plan Rows"] <= 2 * LIST_LIMIT]
    reads = [n for n, _ in nodes if n.get("Relation Name") == "next_step"]
    assert len(reads) == 2 and not [n for n in reads if n["Node Type"] == "Seq Scan"]
    assert "pk_next_step" in {n.get("Index Name") for n in reads}
