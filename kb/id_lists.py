"""A list of ids as ONE bound parameter on PostgreSQL (issue 9: every page within 1.5× of SQLite).

`column.in_(ids)` binds one parameter per id on every database: `IN (%(p_1)s, %(p_2)s, …)`. A page that asks
about a few hundred people or accounts (the group page's risk rule: ~550 ids, twice) sends PostgreSQL a
statement thousands of characters long with hundreds of parameters, which it parses, binds and plans each
time (psycopg adapts each one too), and whose text differs with every list length, so no prepared
statement is ever reused. `in_ids(column, ids)` is the same condition written `column = ANY(%(ids)s)` with
the ids bound as one array on PostgreSQL, and the usual `IN (?, ?, …)` on SQLite (which has no arrays;
its binds cost nothing). Same rows on both, the empty list included (no row).

Use it for every list of ids a statement binds whose length follows the data (accounts of a group, people
checked by the risk rule, ids read by a first statement); a subquery stays a subquery (`column.in_(select)`).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import Boolean


class InIds(ColumnElement[bool]):
    """`column` is one of `ids`: `IN (…)` on SQLite, `= ANY(array)` on PostgreSQL (see the module).

    The ids are one bound parameter of the statement (not part of its text nor of its cache key), so a
    statement built again with other ids reuses the compiled SQL, as `in_()` does."""

    __visit_name__ = "kb_in_ids"
    inherit_cache = True
    type = Boolean()
    _is_implicitly_boolean = True  # a condition as it is: no "= 1" added on SQLite
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement),
                           ("ids", InternalTraversal.dp_clauseelement)]

    def __init__(self, column: Any, ids: Iterable[Any]) -> None:
        self.column = column
        # unique: two lists in one statement get two parameters; typed as the column (SQLite binds each id
        # as the column's type; PostgreSQL an array of it)
        self.ids = bindparam(None, list(ids), type_=column.type, unique=True)

    @property
    def _from_objects(self) -> list[Any]:
        return self.column._from_objects  # the column's table joins the FROM list, as in in_()


def in_ids(column: Any, ids: Iterable[Any]) -> InIds:
    """The condition "`column` is one of `ids`" (ids: any iterable of values of the column's type, read
    once; empty: no row), with the ids bound as one array on PostgreSQL. Raises nothing (a value the
    database cannot compare raises when the statement runs, as with `in_()`)."""
    return InIds(column, ids)


@compiles(InIds)
def _compile_in(element: InIds, compiler: Any, **kw: Any) -> str:
    # in_() of a bound parameter makes an expanding copy of it with the same key (one parameter per id)
    return compiler.process(element.column.in_(element.ids), **kw)


@compiles(InIds, "postgresql")
def _compile_any(element: InIds, compiler: Any, **kw: Any) -> str:
    # A copy with the same key, typed as an array: a compiled statement taken from the cache finds this
    # parameter by its key (its clones are matched to the cache key's), so new ids reach it.
    array = element.ids._with_binary_element_type(ARRAY(element.column.type))
    return compiler.process(element.column == any_(array), **kw)
