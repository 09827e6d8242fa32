"""Bounded work: an account workbook runs the same SQL for 5 or 500 people and visits (rows come in batches
of 1,000 with their owners, reports-to, people met and attendees loaded per batch, never one by one)."""
from __future__ import annotations

from sqlalchemy import event

from .exports_support import sheet_rows, workbook
from .test_accounts_query_count import populate


def _statements(app, client, url):
    engine = app.extensions["kb.db"].engine
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(statements), response


def test_statement_count_does_not_grow_with_people_and_visits(app, client, login_as, create_user, create_group,
                                                              create_seat, create_account, create_plan):
    group = create_group()
    owners = [create_user(name="负责人甲"), create_user(name="负责人乙"), create_user(name="负责人丙")]
    create_seat(group, owners[0], "AR")
    small, large = create_account(group=group, name="小客户"), create_account(group=group, name="大客户")
    for account in (small, large):
        create_plan(account, strategy="战略")
    populate(app, small, owners, 5)
    populate(app, large, owners, 500)
    login_as(owners[0])
    client.get(f"/accounts/{small.id}/export.xlsx")  # warm-up: caches, lazy imports
    n_small, _ = _statements(app, client, f"/accounts/{small.id}/export.xlsx")
    n_large, response = _statements(app, client, f"/accounts/{large.id}/export.xlsx")
    assert n_large == n_small and n_large < 40, (n_small, n_large)
    book = workbook(response)
    assert len(sheet_rows(book, "stakeholders")) == 501 and len(sheet_rows(book, "interactions")) == 501
