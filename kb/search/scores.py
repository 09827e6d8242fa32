"""BM25F scores of a term's documents in one segment, computed a whole posting list at a time.

Whoosh's `BM25FScorer` calls `bm25(idf, tf, fl, avgfl, B, K1)` once per document through two Python
calls. Here the per-document part of the denominator, `K1 * ((1 - B) + B * fl / avgfl)`, is computed once
per segment, field and index statistics (a list indexed by document number, kept on the segment's reader),
and each score is `idf * ((tf * (K1 + 1)) / (tf + norm))` inline — the same operations in the same order
as Whoosh's formula, so the same floating-point values (tests/test_search_fastpath*.py compare them).
"""
from __future__ import annotations

from bisect import bisect_left
from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.columns import NumericColumn
from whoosh.scoring import BM25F, BM25FScorer
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from .postings import postings

_LENGTHS = [byte_to_length(b) if b else None for b in range(256)]
Scores = dict[int, float]
#: Norm lists kept per segment reader (one per field and index statistics; older ones are dropped).
NORMS_PER_READER = 16
#: Terms' idf kept per top searcher (an index generation); more are dropped all at once.
IDFS_PER_SEARCHER = 4096


def field_lengths(reader: Any, fieldname: str) -> list[Any] | None:
    """Every document's length of `fieldname` in one segment (as Whoosh's scorer sees it), read at once.
    None: the length column is not the one this code knows."""
    cache: dict[str, Any] = reader.__dict__.setdefault("_kb_lengths", {})
    if fieldname not in cache:
        lengths = None
        column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if type(column) is NumericColumn.Reader and column._typecode == "B" and column._fixedlen == 1:
            raw = column._dbfile.get(column._basepos, column._count)
            lengths = [_LENGTHS[b] for b in raw] + [None] * (column._doccount - column._count)
        cache[fieldname] = lengths
    return cache[fieldname]


def _norms(reader: Any, fieldname: str, lengths: list[Any], avgfl: float, b: float, k1: float) -> list[Any]:
    """K1 * ((1 - B) + B * fl / avgfl) of every document (None where its length is unknown)."""
    cache: dict[tuple[Any, ...], list[Any]] = reader.__dict__.setdefault("_kb_norms", {})
    key = (fieldname, avgfl, b, k1)
    found = cache.get(key)
    if found is None:
        if len(cache) >= NORMS_PER_READER:
            cache.clear()
        one_minus_b = 1 - b
        found = cache[key] = [None if fl is None else k1 * (one_minus_b + b * fl / avgfl) for fl in lengths]
    return found


def _pairs(ids: Any, weights: Any, only: set[int] | None, ratio: int = 16) -> Any:
    """(docnum, weight) of the postings, limited to `only` (found by bisection when it is small: fewer
    than 1/`ratio` of the postings)."""
    if only is None:
        return zip(ids, weights)
    if len(only) * ratio >= len(ids):
        return ((d, w) for d, w in zip(ids, weights) if d in only)
    n = len(ids)
    out = []
    for d in only:
        i = bisect_left(ids, d)
        if i < n and ids[i] == d:
            out.append((d, weights[i]))
    return out


def _bm25_params(searcher: Searcher, fieldname: str, btext: bytes
                 ) -> tuple[float, float, float, float] | None:
    """(idf, average field length, B, K1) exactly as Whoosh's `BM25FScorer` takes them (None: another
    weighting). The average length and the terms' idf are kept on the top searcher (they are fixed for an
    index generation; Whoosh reads them again for every term and segment)."""
    weighting = searcher.weighting
    if type(weighting) is not BM25F or not searcher.schema[fieldname].scorable:
        scorer = weighting.scorer(searcher, fieldname, btext)
        return (scorer.idf, scorer.avgfl, scorer.B, scorer.K1) if type(scorer) is BM25FScorer else None
    parent = searcher.get_parent()
    averages: dict[str, float] = parent.__dict__.setdefault("_kb_avgfl", {})
    avgfl = averages.get(fieldname)
    if avgfl is None:
        avgfl = averages[fieldname] = parent.avg_field_length(fieldname) or 1
    idfs: dict[tuple[str, bytes], float] = parent.__dict__.setdefault("_kb_idf", {})
    idf = idfs.get((fieldname, btext))
    if idf is None:  # (a whole-index figure: asked once per segment, it read every segment's frequency)
        if len(idfs) >= IDFS_PER_SEARCHER:
            idfs.clear()
        idf = idfs[fieldname, btext] = parent.idf(fieldname, btext)
    return idf, avgfl, weighting._field_B.get(fieldname, weighting.B), weighting.K1


def term_scores(searcher: Searcher, fieldname: str, text: Any, boost: float = 1.0,
                only: set[int] | None = None) -> Scores | None:
    """BM25F score of each document of a leaf searcher's segment containing a term, deleted documents
    left out (None: this weighting or length column is not one computed here); `only`: just these
    documents. Scores equal Whoosh's `BM25FScorer` (times `boost`)."""
    reader = searcher.reader()
    ids, weights, _values = postings(reader, fieldname, text)
    if not ids:
        return {}
    params = _bm25_params(searcher, fieldname, reader._text_to_bytes(fieldname, text))
    lengths = field_lengths(reader, fieldname)
    if params is None or lengths is None:
        return None
    idf, avgfl, b, k1 = params
    norms = _norms(reader, fieldname, lengths, avgfl, b, k1)
    k1p1 = k1 + 1
    out = {d: idf * ((w * k1p1) / (w + norms[d])) for d, w in _pairs(ids, weights, only)}
    if boost != 1.0:
        out = {d: v * boost for d, v in out.items()}
    for docnum in reader.deleted_docs_set:
        out.pop(docnum, None)
    return out
