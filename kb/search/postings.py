"""A term's postings in one segment, read a whole block at a time and kept in the shared segment cache.

Whoosh walks postings one document at a time in pure Python; here a term's document numbers, weights and
(for phrases) encoded positions are read block by block into compact arrays (the delta-coded document
numbers decoded with `itertools.accumulate`, in C) and kept in the process's size-bounded segment cache
(segcache.py): a segment's postings never change. This module relies on Whoosh 2.7's codec internals
(`whoosh.codec.whoosh3` block matchers); tests/test_search_fastpath*.py compare its answers with Whoosh's.
A segment with a postings side file (sidefile.py) is read from it instead: plain arrays, positions already
decoded (phrases.py checks them in place).
"""
from __future__ import annotations

from array import array
from itertools import accumulate
from typing import Any

from whoosh.reading import TermNotFound
from whoosh.searching import Searcher

from .segcache import CACHE, SegmentCache, ids_size, segment_key
from .sidefile import ABSENT, PositionLists, side_postings

#: (document numbers, weights, encoded values or None): one term's postings in one segment.
Postings = tuple[Any, Any, list[Any] | None]
_NO_POSTINGS: Postings = (array("i"), array("f"), [])
#: Encoded positions (only phrases need them) are kept apart, in a smaller cache of their own: they take
#: ~6 times the room of a term's document numbers and weights, and in the shared cache they would evict
#: the postings of the terms every query needs (at 100,000 documents a common bigram's positions take
#: ~2 MB). A phrase's answer is cached on its own (phrases.py), so positions are rarely read twice.
VALUES_BYTES = 16 * 1024 * 1024
VALUES = SegmentCache(VALUES_BYTES)


def _btext(reader: Any, fieldname: str, text: Any) -> bytes | None:
    """The term's bytes in the segment (None: not a field of the schema or of the segment's terms, or not
    a valid term)."""
    if fieldname not in reader.schema or fieldname not in reader._terms.indexed_field_names():
        return None  # (the bookkeeping segment holds no text: no look-up in its term table)
    try:
        return reader._text_to_bytes(fieldname, text)
    except (KeyError, ValueError):
        return None


def _raw_postings(reader: Any, fieldname: str, btext: bytes) -> Any | None:
    """The segment's posting matcher of a term without the deleted-documents filter (None: no term)."""
    try:
        return reader._terms.matcher(fieldname, btext, reader.schema[fieldname].format)
    except (TermNotFound, KeyError, ValueError):
        return None


def _is_leaf_reader(reader: Any) -> bool:
    return hasattr(reader, "_terms") and hasattr(reader, "deleted_docs_set")


def _values_size(values: list[Any]) -> int:
    return 64 + sum(map(len, values)) + 41 * len(values)


def _block_ids(matcher: Any) -> Any:
    """The current block's document numbers (as Whoosh's `_read_ids`, with the delta decoding in C)."""
    if matcher._ids is not None:
        return matcher._ids
    if getattr(matcher, "_data", None) is None or not hasattr(matcher, "_byteids"):
        matcher._read_ids()
        return matcher._ids
    raw = matcher._data[0]
    return raw if matcher._byteids else accumulate(raw)


def postings(reader: Any, fieldname: str, text: Any, values: bool = False) -> Postings:
    """(ids, weights, encoded values or None) of a term in one segment, read a whole block at a time
    (ids and weights as compact arrays). Deleted documents are included (callers remove them). Cached in
    the shared segment cache; values (asked by phrases) in `VALUES`."""
    segid = segment_key(reader)
    key = ("postings", segid, fieldname, text)
    hit = CACHE.get(key) if segid is not None else None
    if hit is not None:
        if not values:
            return hit
        cached_values = VALUES.get(key)
        if cached_values is not None:
            return hit[0], hit[1], cached_values
    btext = _btext(reader, fieldname, text)
    found = None if btext is None else side_postings(reader, fieldname, btext, values)
    if found is None:
        found = read_whoosh_postings(reader, fieldname, btext, values) if btext is not None else None
    if found is None or found is ABSENT:
        if segid is not None:  # a word the segment does not hold (most words of a phone or pinyin query)
            CACHE.put(key, _NO_POSTINGS, 96)
        return _NO_POSTINGS
    ids, weights, vals = found
    if segid is not None:
        CACHE.put(key, (ids, weights, None), 96 + 8 * len(ids))
        if vals is not None:
            VALUES.put(key, vals, vals.size() if isinstance(vals, PositionLists) else _values_size(vals))
    return ids, weights, vals


def read_whoosh_postings(reader: Any, fieldname: str, btext: bytes, values: bool = False
                         ) -> tuple[Any, Any, list[Any] | None] | None:
    """(ids, weights, encoded values or None) of a term read from Whoosh's posting blocks, a whole block
    at a time (None: the segment does not hold the term)."""
    matcher = _raw_postings(reader, fieldname, btext)
    if matcher is None:
        return None
    ids = array("i")
    weights = array("f")
    vals: list[Any] | None = [] if values else None
    while matcher.is_active():
        if getattr(matcher, "_data", True) is None:
            matcher._read_data()
        ids.extend(_block_ids(matcher))
        if matcher._weights is None:
            matcher._read_weights()
        weights.extend(matcher._weights)
        if vals is not None:
            if matcher._values is None:
                matcher._read_values()
            vals.extend(matcher._values)
        matcher._next_block()
    return ids, weights, vals


class query_scope:  # noqa: N801 — used as a context manager
    """Kept for callers: postings are now cached across queries in the shared segment cache."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher

    def __enter__(self) -> query_scope:
        return self

    def __exit__(self, *_exc: Any) -> None:
        return None


def term_ids(reader: Any, fieldname: str, text: Any, values: bool = False) -> set[int]:
    """Documents of one segment containing a term (deleted ones excluded). Do not modify the result.
    Cached per segment and deleted count (deletions only grow). `values`: read the term's positions too
    if its postings must be read (a phrase's words: they are verified next, and a block is read whole)."""
    segid = segment_key(reader)
    deleted = reader.deleted_docs_set
    key = ("ids", segid, len(deleted), fieldname, text)
    if segid is not None:
        hit = CACHE.get(key)
        if hit is not None:
            return hit
    ids = set(postings(reader, fieldname, text, values=values)[0])
    if deleted:
        ids -= deleted
    if segid is not None:
        CACHE.put(key, ids, ids_size(ids))
    return ids


def within(ids: set[int], bound: set[int] | None) -> set[int]:
    """`ids` limited to `bound` (a new set; all of `ids` when `bound` is None)."""
    return ids & bound if bound is not None else set(ids)
