"""What decides a document's score under a query, column by column (the carry-over grouping's features).

carryover.segment_groups groups a segment's matches by these columns: documents with equal values in every
column score alike under any index statistics, so one of them is rescored for all. A column is computed for
the matched documents only: as a list of values for a few, as arrays (vectorized.py) for many.
"""
from __future__ import annotations

from bisect import bisect_left
from typing import Any, Callable

from whoosh import query as wq
from whoosh.searching import Searcher

from . import vectorized
from .fastpath import BigramPhrase, matching_ids
from .postings import postings
from .scores import field_lengths


class _Unsupported(Exception):
    """A part of the query the carry-over cannot score."""


#: A feature of the documents (see _features): (its name: features with the same name have the same
#: values; a column of its values for the ascending `docs`, given `docs` also as a set). `docs` a list:
#: a list of values; `docs` an array (many documents): a list of arrays (vectorized.term_columns).
Feature = tuple[Any, Callable[[Any, set[int]], Any]]


def _weights_of(ids: Any, weights: Any, lengths: list[Any], docs: list[int]) -> list[Any]:
    """A term's (weight, the document's length of its field) in each of `docs`, as one complex number
    `weight + length j` (None where the term is absent: its length then plays no part in the score, and
    documents that differ only there score alike), `ids` ascending. Numbers, not tuples: nothing the
    garbage collector tracks is made per document (tens of thousands of tuples set off collections that
    walk the whole heap). Bisection when `docs` are few against the term's postings."""
    if len(docs) * 16 >= len(ids):
        weight_of = dict(zip(ids, weights))
        present = list(filter(weight_of.__contains__, docs))
        try:
            pairs = list(map(complex, map(weight_of.__getitem__, present), map(lengths.__getitem__, present)))
        except TypeError:  # (a length unknown: None)
            pairs = list(map(_pair, map(weight_of.__getitem__, present), map(lengths.__getitem__, present)))
        return list(map(dict(zip(present, pairs)).get, docs))
    n = len(ids)
    out: list[Any] = []
    for d in docs:
        i = bisect_left(ids, d)
        out.append(_pair(weights[i], lengths[d]) if i < n and ids[i] == d else None)
    return out


def _pair(weight: float, length: Any) -> Any:
    """weight + length j (a tuple if the length is unknown)."""
    return complex(weight, length) if length is not None else (weight, None)


def _features(q: wq.Query, sub: Searcher) -> list[Feature]:
    """The features whose values, together, decide a document's score under `q` (see segment_groups):
    each scored term's weight and field length (where it occurs), each phrase's and unscored part's match.
    Only the matched documents' values are read (a phrase is verified only there: its whole segment may
    hold many more)."""
    reader = sub.reader()
    kind = type(q)
    if kind is wq.Term:
        if q.fieldname not in reader.schema or not reader.schema[q.fieldname].scorable:
            raise _Unsupported
        ids, weights, _values = postings(reader, q.fieldname, q.text)
        if not ids:
            return []  # in no document of this segment: scores nothing here
        lengths = field_lengths(reader, q.fieldname)
        if lengths is None:
            raise _Unsupported
        fieldname = q.fieldname

        def weight_column(docs: Any, _set: set[int]) -> Any:
            if type(docs) is list:
                return _weights_of(ids, weights, lengths, docs)
            codes = vectorized.length_codes(reader, fieldname)
            if codes is None:
                raise _Unsupported
            return vectorized.term_columns(ids, weights, codes, docs)
        return [(("weight", q.fieldname, q.text), weight_column)]
    if kind is BigramPhrase:
        words = [f for w in q.words for f in _features(wq.Term(q.fieldname, w), sub)]

        def phrase_column(docs: Any, docset: set[int]) -> Any:
            if type(docs) is not list:
                return [vectorized.member_column(q.ids_in(sub, docset), docs)]
            return list(map(q.ids_in(sub, docset).__contains__, docs))
        return [(("phrase", q.fieldname, tuple(q.words)), phrase_column), *words]
    if kind in (wq.And, wq.Or):
        return [f for child in q.subqueries for f in _features(child, sub)]
    if kind is wq.AndNot:
        return [*_features(q.a, sub), _member(matching_ids(q.b, sub))]
    if kind is wq.ConstantScoreQuery:
        return [_member(matching_ids(q.child, sub))]
    raise _Unsupported


def _member(ids: set[int]) -> Feature:
    """A feature: whether a document is in `ids` (a name of its own: never merged with another)."""
    def column(docs: Any, _set: set[int]) -> Any:
        if type(docs) is not list:
            return [vectorized.member_column(ids, docs)]
        return list(map(ids.__contains__, docs))
    return object(), column
