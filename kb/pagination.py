"""Pagination of SELECT statements for pages and the API."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    items: list[T]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return last_page(self.total, self.per_page)

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def parse_page(value: Any) -> int:
    """A page number from user input: anything that is not a positive integer means page 1."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= 1_000_000 else 1


def last_page(total: int, per_page: int) -> int:
    """The number of the last page of `total` rows (1 when there are none)."""
    return max(1, math.ceil(total / per_page))


def paginate(session: Session, stmt: Select[Any], page: int, per_page: int, *,
             past_end_shows_last: bool = False) -> Page[Any]:
    """Run `stmt` for one page (scalars), with the total count of the whole selection.

    The API keeps its documented contract (a page past the end is an empty list); web pages pass
    `past_end_shows_last=True` (see `paginate_page`), so the OFFSET never goes past the rows there are.
    """
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    if past_end_shows_last:
        page = min(page, last_page(total, per_page))
    items = list(session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).unique())
    return Page(items=items, number=page, per_page=per_page, total=total)


def paginate_page(session: Session, stmt: Select[Any], raw_page: Any, per_page: int) -> Page[Any]:
    """The one paging rule of the web pages: `raw_page` as the user typed it (`?page=`); junk, negative or
    huge numbers (over 1,000,000) show page 1, a page past the end shows the last page, so a page never
    says "nothing here" beside a non-zero total. Two statements: a COUNT and one LIMIT/OFFSET page.
    """
    return paginate(session, stmt, parse_page(raw_page), per_page, past_end_shows_last=True)
