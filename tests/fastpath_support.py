"""Helpers for the fast-path search tests: the same query with Whoosh's own matching, to compare against."""
from __future__ import annotations

from typing import Any

from whoosh import query as wq

from kb.search.fastpath import BigramPhrase


def stock_query(q: Any) -> Any:
    """The same query with Whoosh's own phrase matching."""
    if isinstance(q, BigramPhrase):
        return wq.Phrase(q.fieldname, list(q.words), slop=q.slop, boost=q.boost)
    if isinstance(q, wq.CompoundQuery):
        return q.__class__([stock_query(c) for c in q.subqueries], boost=q.boost)
    if isinstance(q, (wq.AndNot, wq.AndMaybe, wq.Require)):
        return q.__class__(stock_query(q.a), stock_query(q.b))
    if isinstance(q, wq.Not):
        return wq.Not(stock_query(q.query))
    if isinstance(q, wq.ConstantScoreQuery):
        return wq.ConstantScoreQuery(stock_query(q.child), score=q.score)
    return q
