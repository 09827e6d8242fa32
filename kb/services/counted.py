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
