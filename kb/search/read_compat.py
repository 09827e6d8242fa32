"""Whoosh's reading made cheaper where search reads per hit, with the same answers (tested in
tests/test_search_read_compat.py).

- `SegmentReader.stored_fields` (every hit shown: its key, title, snippet source) keeps the stored fields
  the schema still has by asking the schema for each one (`name in schema`: a method call and a caught
  KeyError per missing name, ~0.4 µs a field, ~6 µs a hit). With no dynamic fields in the schema (ours has
  none) that is a look-up in its field dictionary; a schema with dynamic fields keeps Whoosh's way.
"""
from __future__ import annotations

from typing import Any

from whoosh.reading import ReaderClosed, SegmentReader


def _stored_fields(self: Any, docnum: int) -> dict[str, Any]:
    if self.is_closed:
        raise ReaderClosed
    assert docnum >= 0
    schema = self.schema
    stored = self._perdoc.stored_fields(docnum)
    if schema._dyn_fields:
        return dict(item for item in stored.items() if item[0] in schema)
    fields = schema._fields
    return {name: value for name, value in stored.items() if name in fields}


def apply() -> None:
    """Install the faster reading (idempotent)."""
    SegmentReader.stored_fields = _stored_fields
