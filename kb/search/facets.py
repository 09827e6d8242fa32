"""Facet counts from the set of matching documents, segment by segment.

Whoosh's grouping walks every match through a matcher and a per-document key function in pure Python
(1.4 s for 94,000 matches of a common word). Here each segment's matching documents (kb.search.fastpath,
the same set the total counts) are counted against the segment's column of values, read once into a list
and kept in the shared segment cache (segcache.py: a segment's columns never change).
"""
from __future__ import annotations

from collections import Counter
from typing import Any, Callable

from whoosh import query as wq
from whoosh.searching import Searcher

from .carryover import segment_counts
from .fastpath import _is_leaf_reader, matching_ids
from .segcache import CACHE, segment_key


def column_values(reader: Any, fieldname: str) -> list[Any]:
    """Every document's value of a sortable field in one segment, as text ('' for none), cached."""
    def compute() -> list[Any]:
        if not reader.has_column(fieldname):
            return [""] * reader.doc_count_all()
        shared: dict[Any, str] = {}  # one string per distinct value: 8 bytes a document, not ~60

        def text(value: Any) -> str:
            found = shared.get(value)
            if found is None:
                found = shared[value] = (value.decode() if isinstance(value, bytes)
                                         else "" if value is None else str(value))
            return found

        return [text(v) for v in reader.column_reader(fieldname, translate=True)]

    segid = segment_key(reader)
    if segid is None:
        return compute()
    return CACHE.get_or_compute(("column", segid, fieldname), compute, lambda v: 64 + 8 * len(v))


def count_by_segment(searcher: Searcher, q: wq.Query, fields: tuple[str, ...],
                     excluded: Callable[[Searcher], frozenset[int]], key: tuple[Any, ...] | None = None
                     ) -> dict[str, Counter[str]] | None:
    """For each field of `fields`, how many documents `q` matches per value, leaving out each segment's
    `excluded(sub)` documents. None: a segment is not one this code can read (the caller falls back).

    With `key` (naming `q` and the exclusions), each segment's counts are kept in the segment cache and
    carried over to later index generations (carryover.py: a segment that only lost documents has them
    subtracted; only new segments are counted)."""
    counts = {name: Counter() for name in fields}
    for sub, _offset in searcher.leaf_searchers():
        reader = sub.reader()
        if not _is_leaf_reader(reader):
            return None
        if key is not None and segment_key(reader) is not None:
            _total, per_segment = segment_counts(sub, q, key, excluded(sub), fields, column_values)
            for name in fields:
                counts[name].update(per_segment[name])
            continue
        ids = matching_ids(q, sub)
        hidden = excluded(sub)
        if hidden:
            ids = ids - hidden
        if not ids:
            continue
        for name in fields:
            values = column_values(reader, name)
            counts[name].update(map(values.__getitem__, ids))
    return counts
