"""Whoosh's reading made cheaper where search reads per hit, with the same answers (tested in
tests/test_search_read_compat.py).

- `SegmentReader.stored_fields` (every hit shown: its key, title, snippet source) keeps the stored fields
  the schema still has by asking the schema for each one (`name in schema`: a method call and a caught
  KeyError per missing name, ~0.4 µs a field, ~6 µs a hit). With no dynamic fields in the schema (ours has
  none) that is a look-up in its field dictionary; a schema with dynamic fields keeps Whoosh's way. A
  segment with a version-2 side file gives a document's stored fields from it (the same pickled bytes
  Whoosh decompresses: one load, no zlib; sidefile.SideFile.stored).
- `SegmentReader.doc_frequency`, `frequency`, `term_info` and `in` (a term's statistics: every term of a
  query, in every segment, for its idf) answer a term the segment surely lacks from its side file's term
  set (sidefile.SideFile.find: exact) without Whoosh's term table, and `doc_frequency` of a held term from
  its record's count; anything else is Whoosh's own answer.
"""
from __future__ import annotations

import contextlib
from typing import Any

from whoosh.compat import loads
from whoosh.reading import ReaderClosed, SegmentReader, TermNotFound

from .sidefile import side_file

_WHOOSH = {name: getattr(SegmentReader, name) for name in ("doc_frequency", "frequency", "term_info",
                                                           "__contains__")}


def _stored_fields(self: Any, docnum: int) -> dict[str, Any]:
    if self.is_closed:
        raise ReaderClosed
    assert docnum >= 0
    schema = self.schema
    side = side_file(self)
    raw = side.stored(docnum) if side is not None else None
    if raw is None:
        stored = self._perdoc.stored_fields(docnum)
    else:
        stored = loads(raw) if raw else {}
    if schema._dyn_fields:
        return dict(item for item in stored.items() if item[0] in schema)
    fields = schema._fields
    return {name: value for name, value in stored.items() if name in fields}


def lacks(reader: Any, fieldname: str, text: Any) -> bool:
    """Whether the segment of `reader` surely holds no such term (its side file's term set says so);
    False: it may (ask Whoosh). Never raises: a field or text Whoosh would reject is left to Whoosh."""
    if reader.is_closed or fieldname not in reader.schema._fields:
        return False
    if fieldname not in reader._terms.indexed_field_names():
        return True  # (no word of this field in the segment: the bookkeeping segment's text fields)
    side = side_file(reader)
    if side is None:
        return False
    try:
        btext = reader._text_to_bytes(fieldname, text)
    except Exception:  # noqa: BLE001 — Whoosh's own method raises what it raises
        return False
    return side.lacks(fieldname, btext)


def _doc_frequency(self: Any, fieldname: str, text: Any) -> int:
    if lacks(self, fieldname, text):
        return 0
    side = side_file(self) if fieldname in self.schema._fields else None
    if side is not None:  # (a held term: its record's count, when the side file knows the term)
        with contextlib.suppress(Exception):
            found = side.doc_frequency(fieldname, self._text_to_bytes(fieldname, text))
            if found is not None:
                return found
    return _WHOOSH["doc_frequency"](self, fieldname, text)


def _frequency(self: Any, fieldname: str, text: Any) -> float:
    return 0 if lacks(self, fieldname, text) else _WHOOSH["frequency"](self, fieldname, text)


def _term_info(self: Any, fieldname: str, text: Any) -> Any:
    if lacks(self, fieldname, text):
        raise TermNotFound(f"{fieldname}:{text!r}")
    return _WHOOSH["term_info"](self, fieldname, text)


def _contains(self: Any, term: Any) -> bool:
    fieldname, text = term
    return False if lacks(self, fieldname, text) else _WHOOSH["__contains__"](self, term)


def apply() -> None:
    """Install the faster reading (idempotent)."""
    SegmentReader.stored_fields = _stored_fields
    SegmentReader.doc_frequency = _doc_frequency
    SegmentReader.frequency = _frequency
    SegmentReader.term_info = _term_info
    SegmentReader.__contains__ = _contains
