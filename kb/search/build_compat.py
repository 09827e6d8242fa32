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
from whoosh.columns import NumericColumn
from whoosh.util.numeric import byte_to_length

_MISSING = object()
_original = whoosh3.W3PerDocReader._cached_reader
_original_add = writing.PostingPool.add
_original_save = writing.PostingPool.save
#: byte → field length, as W3PerDocReader.doc_field_length (a zero byte: None).
_LENGTHS = [byte_to_length(b) if b else None for b in range(256)]


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


class _SegmentLengths:
    """The per-document reader `add_postings` asks for the length of every posting (863,000 calls at
    3,000 documents, each through a column reader: 12% of a rebuild), with each field's lengths read once
    into a list: the same values (a zero byte: None; no length column: `default`)."""

    def __init__(self, pdr: Any) -> None:
        self._pdr = pdr
        self._lists: dict[str, Any] = {}

    def _read(self, fieldname: str) -> Any:
        column = self._pdr._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
        if column is None:
            return None
        if type(column) is NumericColumn.Reader and column._typecode == "B" and column._fixedlen == 1:
            raw = column._dbfile.get(column._basepos, column._count)
            return [_LENGTHS[b] for b in raw] + [None] * (column._doccount - column._count)
        return _MISSING  # another column: ask the reader each time

    def doc_field_length(self, docnum: int, fieldname: str, default: Any = 0) -> Any:
        lengths = self._lists.get(fieldname, _MISSING)
        if lengths is _MISSING and fieldname not in self._lists:
            lengths = self._lists[fieldname] = self._read(fieldname)
        if lengths is None:
            return default
        if lengths is _MISSING or not 0 <= docnum < len(lengths):
            return self._pdr.doc_field_length(docnum, fieldname, default)
        return lengths[docnum]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pdr, name)


def _flush_segment(self: Any) -> None:
    """SegmentWriter._flush_segment (whoosh 2.7.5), the postings given the lengths read once a field."""
    self.perdocwriter.close()
    pdr = self.per_document_reader() if self.codec.length_stats else None
    postings = self.pool.iter_postings()
    self.fieldwriter.add_postings(self.schema, _SegmentLengths(pdr) if pdr else None, postings)
    self.fieldwriter.close()
    if pdr:
        pdr.close()


def apply() -> None:
    """Install the fixes (idempotent)."""
    whoosh3.W3PerDocReader._cached_reader = _cached_reader
    writing.PostingPool.add = _pool_add
    writing.PostingPool.save = _pool_save
    writing.SegmentWriter._flush_segment = _flush_segment
