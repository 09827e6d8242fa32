"""Whole-array operations (numpy) for the queries with tens of thousands of matches.

A common pair of words matches tens of thousands of documents in a segment; per document Python work there
(~0.1-1 µs an operation) made two Chinese words 2.4× FTS5 at 100,000 documents. Here the same answers are
computed over arrays (the side file's and the postings' arrays are read in place, without copies):

- `term_columns`: a term's (weight, field length code) in each of the documents to group
  (carryover.segment_groups), by bisection of the ascending documents in the term's postings;
- `group_documents`: the documents split into groups of equal rows of those columns;
- `verify_phrase`: the candidates where a phrase's words occur at consecutive positions
  (phrases._verify_flat), every candidate's positions shifted by its word's place and intersected as
  (document, position) keys.

Callers keep their per-document path for small inputs (a few hundred documents: numpy's fixed cost per
call, ~1-5 µs, would be more than the work), and tests compare both paths.
"""
from __future__ import annotations

from array import array
from typing import Any

import numpy as np

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.columns import NumericColumn
from whoosh.util.numeric import byte_to_length

#: Inputs of at least this many documents take the array path (below it, the per-document path is faster).
MIN_DOCUMENTS = 256
#: A column of the documents' values: (values, how many values it can take, all in range(that); None:
#: any values, numbered densely when grouped).
Column = tuple[np.ndarray, Any]
#: A length code's length (as scores.field_lengths; code 0, an unknown length: NaN).
_LENGTH_OF = np.array([float(byte_to_length(c)) if c else np.nan for c in range(256)], dtype=np.float64)
#: (document, position) keys: a document's place among the candidates times this, plus its position.
_KEY_SPAN = 1 << 33


def documents(ids: Any) -> np.ndarray:
    """A set or sequence of document numbers as an ascending int64 array."""
    out = np.fromiter(ids, dtype=np.int64, count=len(ids))
    out.sort()
    return out


def _int32(values: Any) -> np.ndarray:
    return np.frombuffer(values, dtype=np.int32) if len(values) else np.zeros(0, dtype=np.int32)


def length_codes(reader: Any, fieldname: str) -> np.ndarray | None:
    """Every document's length code of `fieldname` in one segment (Whoosh's one-byte length: code 0 is
    an unknown length; equal codes are equal lengths), 0 past the column's end; None: the length column
    is not the one scores.field_lengths knows. Kept on the reader."""
    cache: dict[str, Any] = reader.__dict__.setdefault("_kb_length_codes", {})
    if fieldname not in cache:
        codes = None
        column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if type(column) is NumericColumn.Reader and column._typecode == "B" and column._fixedlen == 1:
            codes = np.zeros(max(column._doccount, column._count), dtype=np.uint8)
            raw = column._dbfile.get(column._basepos, column._count)
            codes[:column._count] = np.frombuffer(raw, dtype=np.uint8)
        cache[fieldname] = codes
    return cache[fieldname]


def term_columns(ids: Any, weights: Any, codes: np.ndarray, docs: np.ndarray) -> list[Column]:
    """A term's (weight, length code) in each of the ascending `docs`: absent → (-inf, 0), so documents
    differing only where the term is absent have equal rows (its field's length plays no part in their
    score; a weight is never -inf). `ids`: the term's ascending postings, `weights` theirs (array('i'),
    array('f')); `codes`: the segment's length codes (length_codes)."""
    ids_np = _int32(ids)
    absent = np.float32(-np.inf)
    if not len(ids_np):
        return [(np.full(len(docs), absent, dtype=np.float32), 1), (np.zeros(len(docs), dtype=np.int64), 1)]
    at = np.searchsorted(ids_np, docs)
    np.minimum(at, len(ids_np) - 1, out=at)
    present = ids_np[at] == docs
    weight = np.where(present, np.frombuffer(weights, dtype=np.float32)[at], absent)
    code = np.zeros(len(docs), dtype=np.int64)
    inside = present & (docs < len(codes))
    code[inside] = codes[docs[inside]]
    return [(weight, None), (code, 256)]


def bm25_scores(ids: Any, weights: Any, codes: np.ndarray, docs: np.ndarray,
                params: tuple[float, float, float, float], boost: float) -> dict[int, float] | None:
    """BM25F score of a term in each of the ascending `docs` that hold it (deleted ones included),
    `params` (idf, average field length, B, K1) as scores._bm25_params gives them: the operations of
    carryover._term_scores, in the same order, in float64 (the same values). None: a document's length
    is unknown."""
    idf, avgfl, b, k1 = params
    ids_np = _int32(ids)
    if not len(ids_np) or not len(docs):
        return {}
    at = np.searchsorted(ids_np, docs)
    np.minimum(at, len(ids_np) - 1, out=at)
    present = ids_np[at] == docs
    held = docs[present]
    if len(held) and held[-1] >= len(codes):
        return None
    lengths = _LENGTH_OF[codes[held]]
    if np.isnan(lengths).any():
        return None
    w = np.frombuffer(weights, dtype=np.float32)[at[present]].astype(np.float64)
    norm = k1 * ((1 - b) + b * lengths / avgfl)
    scores = idf * ((w * (k1 + 1)) / (w + norm))
    if boost != 1.0:
        scores = scores * boost
    return dict(zip(held.tolist(), scores.tolist()))


def member_column(ids: set[int], docs: np.ndarray) -> Column:
    """Whether each of `docs` is in `ids` (0 or 1)."""
    if not ids:
        return np.zeros(len(docs), dtype=np.int64), 2
    return np.isin(docs, documents(ids), assume_unique=True).astype(np.int64), 2


#: Values of a column looked for among those of its first documents before sorting it whole.
SAMPLE = 512


def dense_codes(column: np.ndarray) -> tuple[np.ndarray, int]:
    """(each value's rank among the column's distinct values, how many there are). A column of a few
    distinct values (a term's weights: 1.0, 2.0, ...) is numbered by bisection in the distinct values of
    its first SAMPLE entries when they hold every value (checked), instead of sorting it whole."""
    distinct = np.unique(column[:SAMPLE])
    codes = np.searchsorted(distinct, column)
    np.minimum(codes, len(distinct) - 1, out=codes)
    if np.array_equal(distinct[codes], column):
        return codes, len(distinct)
    distinct, codes = np.unique(column, return_inverse=True)
    return codes, len(distinct)


def group_documents(docs: np.ndarray, columns: list[Column]) -> list[array[int]]:
    """The ascending `docs` split into groups of equal rows of `columns` (one value per document each),
    each group an ascending array('i') of document numbers; the groups in the order of their rows."""
    if not len(docs):
        return []
    key = np.zeros(len(docs), dtype=np.int64)
    span = 1
    for column, values in columns:
        if values is None:  # (any values: numbered densely, in order)
            column, values = dense_codes(column)
        if span * values >= 1 << 62:  # (the combined key would overflow: renumber it densely first)
            kept, key = np.unique(key, return_inverse=True)
            span = len(kept)
        key = key * values + column
        span *= values
    order = np.argsort(key, kind="stable")  # (stable: each group's documents stay ascending)
    ordered = key[order]
    cuts = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1
    flat = array("i")
    flat.frombytes(docs[order].astype(np.int32).tobytes())
    bounds = [0, *cuts.tolist(), len(docs)]
    return [flat[bounds[i]:bounds[i + 1]] for i in range(len(bounds) - 1)]


def verify_phrase(words: list[tuple[Any, Any, Any]], candidates: set[int]) -> set[int]:
    """The `candidates` where the words occur at consecutive positions, in order. `words`: each word's
    (ascending document numbers, each document's start in `positions` (n + 1 of them), positions), as a
    side file holds them (sidefile.PositionLists); the candidates hold every word."""
    cand = documents(candidates)
    if not len(cand) or not words:
        return set()
    places = np.arange(len(cand), dtype=np.int64)
    keys: np.ndarray | None = None
    last = len(words)
    for k, (ids, starts, positions) in enumerate(words):
        ids_np = _int32(ids)
        at = np.searchsorted(ids_np, cand)
        np.minimum(at, max(len(ids_np) - 1, 0), out=at)
        starts_np = np.frombuffer(starts, dtype=np.uint32)
        begin = starts_np[at].astype(np.int64)
        count = starts_np[at + 1].astype(np.int64) - begin
        if len(ids_np):
            count[ids_np[at] != cand] = 0  # (a candidate without the word: none of its positions)
        else:
            count[:] = 0
        total = int(count.sum())
        if not total:
            return set()
        within = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
        found = np.frombuffer(positions, dtype=np.uint32)[np.repeat(begin, count) + within]
        # Word k at position p is the phrase's start at p - k: the key of (candidate, p - k + last) (≥ 0),
        # ascending (candidates ascending, each one's positions ascending).
        word_keys = np.repeat(places, count) * _KEY_SPAN + (found.astype(np.int64) + (last - k))
        keys = word_keys if keys is None else _common(keys, word_keys)
        if not len(keys):
            return set()
    assert keys is not None
    places = keys // _KEY_SPAN  # (ascending: a candidate's keys are next to each other)
    first = np.ones(len(places), dtype=bool)
    first[1:] = places[1:] != places[:-1]
    return set(cand[places[first]].tolist())


def _common(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The values of ascending `a` also in ascending `b` (both without repeats), by bisection (no sort)."""
    if not len(b):
        return b
    at = np.searchsorted(b, a)
    np.minimum(at, len(b) - 1, out=at)
    return a[b[at] == a]
