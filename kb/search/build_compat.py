"""A speed fix for index building in the pinned whoosh-reloaded 2.7.5 (kept apart from compat.py, whose fixes
are for searching; tested in tests/test_reindex_bulk.py).

`W3PerDocReader._cached_reader` caches the column reader of a field's lengths, but not its absence: for a
field without lengths (ID and KEYWORD fields: key, type, account_id, exact, spell…) every call checks the
file system again. Writing a segment asks for the length of every posting (codec.base.add_postings), so
a rebuild made one `stat()` per posting of those fields: 543,000 at 26,000 documents. A segment's files
never change once written, so the absence can be cached as well.

`PostingPool.add` keeps every posting of a segment being written as a tuple (field, term, docnum, weight,
encoded positions) until the segment is written (or the pool spills sorted runs to disk, which made
rebuilds 50% slower). The same terms, weights and position encodings recur in thousands of postings, but
each posting held its own copies: ~250 bytes a posting, ~18 KB a document, 3.6 GB for one rebuild
process at 130,000 documents. Here equal values are shared (a dict per pool, emptied when the pool
spills): about 100 bytes a posting. The postings written are the same.
"""
from __future__ import annotations

from typing import Any

from whoosh import writing
from whoosh.codec import whoosh3

_MISSING = object()
_original = whoosh3.W3PerDocReader._cached_reader
_original_add = writing.PostingPool.add
_original_save = writing.PostingPool.save


def _cached_reader(self: Any, fieldname: str, column: Any) -> Any:
    readers = self._readers
    reader = readers.get(fieldname, _MISSING)
    if reader is _MISSING:
        reader = readers[fieldname] = _original(self, fieldname, column)
    return reader


def _pool_add(self: Any, item: tuple[Any, ...]) -> None:
    try:
        shared = self._kb_shared
    except AttributeError:
        shared = self._kb_shared = {}
    fieldname, term, docnum, weight, value = item
    term = shared.setdefault(term, term)
    value = shared.setdefault(value, value)
    weight = shared.setdefault(weight, weight)
    _original_add(self, (fieldname, term, docnum, weight, value))


def _pool_save(self: Any) -> None:
    _original_save(self)
    self._kb_shared = {}


def apply() -> None:
    """Install the fixes (idempotent)."""
    whoosh3.W3PerDocReader._cached_reader = _cached_reader
    writing.PostingPool.add = _pool_add
    writing.PostingPool.save = _pool_save
