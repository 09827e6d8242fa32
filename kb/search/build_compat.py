"""A speed fix for index building in the pinned whoosh-reloaded 2.7.5 (kept apart from compat.py, whose fixes
are for searching; tested in tests/test_reindex_bulk.py).

`W3PerDocReader._cached_reader` caches the column reader of a field's lengths, but not its absence: for a
field without lengths (ID and KEYWORD fields: key, type, account_id, exact, spell…) every call checks the
file system again. Writing a segment asks for the length of every posting (codec.base.add_postings), so
a rebuild made one `stat()` per posting of those fields: 543,000 at 26,000 documents. A segment's files
never change once written, so the absence can be cached as well.
"""
from __future__ import annotations

from typing import Any

from whoosh.codec import whoosh3

_MISSING = object()
_original = whoosh3.W3PerDocReader._cached_reader


def _cached_reader(self: Any, fieldname: str, column: Any) -> Any:
    readers = self._readers
    reader = readers.get(fieldname, _MISSING)
    if reader is _MISSING:
        reader = readers[fieldname] = _original(self, fieldname, column)
    return reader


def apply() -> None:
    """Install the fix (idempotent)."""
    whoosh3.W3PerDocReader._cached_reader = _cached_reader
