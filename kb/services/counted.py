"""A bounded list and its exact total in ONE statement (issue 9: fewer SQL statements per page).

A page that shows "the first n, and N more" used to run the list's SELECT and a `count(*)` of the same
rows: two round trips on PostgreSQL. `rows_and_total` adds `count(*) OVER ()` to the list's statement:
the window is computed over every row the WHERE keeps, before the LIMIT, so the total is exact — the
same figure the separate count gave.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from ..db import session
from ..pagination import Page, last_page, parse_page


def rows_and_total(stmt: Select[Any], *, limit: int) -> tuple[list[Any], int]:
    """Up to `limit` rows of the ORM `stmt` (one entity, its loader options kept; selectinload only — a
    joined eager load of a collection would multiply the rows the window counts) and how many rows `stmt`
    has in all (exact). One statement, plus the loader options' own; `limit` < 1: no rows, the total from
    a plain count."""
    if limit < 1:
        total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
        return [], total or 0
    result = session.execute(stmt.add_columns(func.count().over().label("kb_total")).limit(limit)).all()
    if not result:
        return [], 0
    return [row[0] for row in result], int(result[0][1])


def page_and_total(stmt: Select[Any], *, raw_page: Any, per_page: int) -> Page[Any]:
    """One page of the ORM `stmt` (one entity, selectinload options only, as for `rows_and_total`) with the
    exact total of its rows: kb.pagination.paginate_page's rule (`raw_page` as typed: junk shows page 1, a
    page past the end shows the last page), in ONE statement where paginate_page runs a COUNT and a page.
    A page past the end costs two more (the count, then the last page)."""
    number = parse_page(raw_page)
    result = session.execute(stmt.add_columns(func.count().over().label("kb_total"))
                             .limit(per_page).offset((number - 1) * per_page)).all()
    if result:
        return Page(items=[row[0] for row in result], number=number, per_page=per_page,
                    total=int(result[0][1]))
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    last = last_page(total, per_page)
    items = list(session.scalars(stmt.limit(per_page).offset((last - 1) * per_page))) if total else []
    return Page(items=items, number=last, per_page=per_page, total=total)
