"""kb.id_lists.in_ids: a list of ids as ONE array parameter on PostgreSQL (`= ANY(…)`), `IN (?, …)` on SQLite
(issue 9: the group page bound ~550 ids one parameter each, twice, in one statement).

The rows are those of `in_()` on whichever database runs the suite (SQLite here, PostgreSQL in CI's second
run), a statement built again with other ids gets the new ids (the compiled SQL is cached, the ids are not),
and on PostgreSQL the dashboards' statements bind no list of account or person ids one parameter per id.
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from kb.id_lists import in_ids
from models import Account, Stakeholder
from tests.conftest import PG_URL


@pytest.fixture
def accounts(app, create_account, create_stakeholder):
    made = [create_account(name=f"客户{i}") for i in range(6)]
    for account in made[:3]:
        create_stakeholder(account, name=f"{account.name}的关键人")
    return [a.id for a in made]


def _ids(app, stmt):
    with app.app_context():
        from kb.db import session
        return list(session.scalars(stmt))


@pytest.mark.parametrize("which", ["none", "one", "some", "missing too", "repeated", "hundreds"])
def test_same_rows_as_in(app, accounts, which):
    wanted = {"none": [], "one": accounts[2:3], "some": accounts[1:4], "missing too": [accounts[0], 99_999],
              "repeated": [accounts[5], accounts[5], accounts[4]],
              "hundreds": list(range(1, 700))}[which]
    found = _ids(app, select(Account.id).where(in_ids(Account.id, wanted)).order_by(Account.id))
    assert found == _ids(app, select(Account.id).where(Account.id.in_(wanted)).order_by(Account.id))
    assert found == sorted(set(wanted) & set(accounts))


def test_a_statement_built_again_gets_the_new_ids(app, accounts):
    """The second statement of the same shape comes from the compiled cache: its ids must be its own."""
    def named(ids):
        return _ids(app, select(Account.name).where(in_ids(Account.id, ids)).order_by(Account.id))
    assert named(accounts[:2]) == ["客户0", "客户1"]
    assert named(accounts[4:5]) == ["客户4"]
    assert named(accounts[1:4]) == ["客户1", "客户2", "客户3"]
    assert named([]) == []


def test_two_lists_in_one_statement_and_a_negation(app, accounts):
    people = select(func.count()).where(in_ids(Stakeholder.account_id, accounts[:2]),
                                        in_ids(Stakeholder.account_id, accounts[1:5]))
    assert _ids(app, people) == [1]  # only the second account's person is in both lists
    others = select(func.count()).where(~in_ids(Account.id, accounts[:4]), Account.id.in_(accounts))
    assert _ids(app, others) == [2]


def test_postgresql_binds_one_array_sqlite_one_parameter_per_id():
    stmt = select(Account.id).where(in_ids(Account.id, [3, 4, 5]))
    pg = stmt.compile(dialect=postgresql.psycopg.dialect())
    assert "account.id = ANY (%(param_1)s::INTEGER[])" in str(pg)
    assert pg.construct_params() == {"param_1": [3, 4, 5]}
    lite = stmt.compile(dialect=sqlite.dialect(), compile_kwargs={"render_postcompile": True})
    assert re.search(r"account\.id IN \(\?, \?, \?\)", str(lite))


@pytest.mark.skipif(not PG_URL, reason="PostgreSQL run only (KB_TEST_DATABASE_URL not set)")
@pytest.mark.parametrize("page", ["/", "/groups/{group}"])
def test_dashboards_bind_no_id_list_one_parameter_each_on_postgresql(app, client, page):
    """Before: `account_id IN (%(account_id_1_1)s, %(account_id_1_2)s, …)` in most statements of both pages
    (the risk rule's last contacts: every person's id, twice)."""
    from tests.test_scale_postgres_indexes import logged_in_statements
    _engine, statements = logged_in_statements(app, client, page)
    lists = r"(account_id|stakeholder_id|account\.id|stakeholder\.id|account_plan\.id) IN \(%\("
    expanded = [s[:120] for s, _ in statements if re.search(lists, s)]
    assert statements and expanded == []
    assert [s for s, _ in statements if "= ANY (%(" in s]
