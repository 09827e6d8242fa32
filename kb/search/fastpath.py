"""Faster evaluation of the queries search runs most, with Whoosh's exact semantics.

Whoosh walks postings one document at a time in pure Python, and checks phrases with generic span
objects. Here:
- `matching_ids` computes the set of documents a query matches (for the exact total) by reading posting
  lists a whole block at a time and combining sets; query types it does not know fall back to Whoosh.
- `BigramPhrase` (what a phrase of Chinese bigrams or English stems becomes, see query.widen) finds its
  documents as the intersection of its words' documents, then checks positions with sets; when scored,
  it is the conjunction of its words (the same score as Whoosh's phrase) limited to those documents.
"""
from __future__ import annotations

import heapq
from array import array
from functools import lru_cache
from itertools import accumulate
from typing import Any, Iterable

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.columns import NumericColumn
from whoosh.compat import loads
from whoosh.formats import Positions
from whoosh.matching import NullMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25FScorer
from whoosh.searching import Results, Searcher
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length

from .segcache import CACHE, ids_size, segment_key


def _raw_postings(reader: Any, fieldname: str, text: Any) -> Any | None:
    """The segment's posting matcher of a term without the deleted-documents filter (None: no term)."""
    if fieldname not in reader.schema:
        return None
    try:
        btext = reader._text_to_bytes(fieldname, text)
        return reader._terms.matcher(fieldname, btext, reader.schema[fieldname].format)
    except (TermNotFound, KeyError, ValueError):
        return None


def _is_leaf_reader(reader: Any) -> bool:
    return hasattr(reader, "_terms") and hasattr(reader, "deleted_docs_set")


Postings = tuple[Any, Any, list[Any] | None]
_NO_POSTINGS: Postings = (array("i"), array("f"), [])


def _postings_size(p: Postings) -> int:
    values = p[2]
    return 96 + 8 * len(p[0]) + (sum(len(v) + 41 for v in values) if values else 0)


def postings(reader: Any, fieldname: str, text: Any, values: bool = False) -> Postings:
    """(ids, weights, encoded values or None) of a term in one segment, read a whole block at a time
    (ids and weights as compact arrays). Deleted documents are included (callers remove them). Kept in the
    process's shared, size-bounded segment cache (segcache.py): a segment's postings never change."""
    segid = segment_key(reader)
    key = ("postings", segid, fieldname, text)
    hit = CACHE.get(key) if segid is not None else None
    if hit is not None and (hit[2] is not None or not values):
        return hit
    matcher = _raw_postings(reader, fieldname, text)
    if matcher is None:
        return _NO_POSTINGS
    ids = array("i")
    weights = array("f")
    vals: list[Any] | None = [] if values else None
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        if matcher._weights is None:
            matcher._read_weights()
        ids.extend(matcher._ids)
        weights.extend(matcher._weights)
        if vals is not None:
            if matcher._values is None:
                matcher._read_values()
            vals.extend(matcher._values)
        matcher._next_block()
    result = (ids, weights, vals)
    if segid is not None:
        CACHE.put(key, result, _postings_size(result))
    return result


class query_scope:  # noqa: N801 — used as a context manager
    """Kept for callers: postings are now cached across queries in the shared segment cache."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher

    def __enter__(self) -> query_scope:
        return self

    def __exit__(self, *_exc: Any) -> None:
        return None


def term_ids(reader: Any, fieldname: str, text: Any) -> set[int]:
    """Documents of one segment containing a term (deleted ones excluded). Do not modify the result.
    Cached per segment and deleted count (deletions only grow)."""
    segid = segment_key(reader)
    deleted = reader.deleted_docs_set
    key = ("ids", segid, len(deleted), fieldname, text)
    if segid is not None:
        hit = CACHE.get(key)
        if hit is not None:
            return hit
    ids = set(postings(reader, fieldname, text)[0])
    if deleted:
        ids -= deleted
    if segid is not None:
        CACHE.put(key, ids, ids_size(ids))
    return ids


@lru_cache(maxsize=200_000)
def _decode_positions(value: bytes) -> tuple[int, ...]:
    """Positions from Whoosh's `Positions` encoding (memoized: short texts repeat the same encodings)."""
    return tuple(accumulate(loads(value[_INT_SIZE:] if value.endswith(b".") else value[_INT_SIZE:] + b".")))


def _decoder(fmt: Any) -> Any:
    return _decode_positions if type(fmt) is Positions else fmt.decode_positions


def phrase_ids(reader: Any, fieldname: str, words: list[Any], within: set[int] | None = None) -> set[int]:
    """Documents of one segment (among `within`, if given) where `words` occur at consecutive positions,
    in order."""
    if not words:
        return set()
    candidates = phrase_candidates(reader, fieldname, words)
    if within is not None:
        candidates = candidates & within
    if len(words) == 1 or not candidates:
        return set(candidates)
    decode = _decoder(reader.schema[fieldname].format)
    encoded = []
    for word in words:
        ids, _weights, values = postings(reader, fieldname, word, values=True)
        encoded.append({d: v for d, v in zip(ids, values or ()) if d in candidates})
    matched: set[int] = set()
    for docnum in candidates:
        starts = set(decode(encoded[0][docnum]))
        for i in range(1, len(words)):
            starts.intersection_update([p - i for p in decode(encoded[i][docnum])])
            if not starts:
                break
        else:
            matched.add(docnum)
    return matched


def phrase_candidates(reader: Any, fieldname: str, words: list[Any]) -> set[int]:
    """Documents of one segment containing every word of a phrase (a superset of its matches)."""
    candidates: set[int] | None = None
    for word in sorted(set(words), key=lambda w: reader.doc_frequency(fieldname, w)):
        found = term_ids(reader, fieldname, word)
        candidates = found if candidates is None else candidates & found
        if not candidates:
            return set()
    return candidates if candidates is not None else set()


def _all_ids(reader: Any) -> set[int]:
    return set(range(reader.doc_count_all())) - set(reader.deleted_docs_set)


def _superset(q: wq.Query, searcher: Searcher) -> set[int] | None:
    """Cheaply, documents that include every match of `q` (None: no cheap bound)."""
    kind = type(q)
    if kind is BigramPhrase:
        return phrase_candidates(searcher.reader(), q.fieldname, list(q.words))
    if kind is wq.Term:
        return term_ids(searcher.reader(), q.fieldname, q.text)
    if kind is wq.Or and not getattr(q, "minmatch", 0):
        result: set[int] = set()
        for child in q.subqueries:
            ids = _superset(child, searcher)
            if ids is None:
                return None
            result |= ids
        return result
    if kind is wq.And:
        bounds = [b for b in (_superset(child, searcher) for child in q.subqueries) if b is not None]
        return set.intersection(*bounds) if bounds else None
    if kind in (wq.AndNot, wq.Require, wq.AndMaybe):
        return _superset(q.a, searcher)
    if kind is wq.ConstantScoreQuery:
        return _superset(q.child, searcher)
    return None


def _within(ids: set[int], within: set[int] | None) -> set[int]:
    return ids & within if within is not None else set(ids)


def matching_ids(q: wq.Query, searcher: Searcher, within: set[int] | None = None) -> set[int]:
    """The documents of one segment (`searcher` is a leaf searcher) that `q` matches, among `within`
    if given (so phrases are checked only where they can still matter)."""
    reader = searcher.reader()
    kind = type(q)
    if not _is_leaf_reader(reader):
        return _within(set(q.docs(searcher)), within)
    if kind is BigramPhrase:
        return q.ids_in(searcher, within)
    if kind is wq.Term:
        return _within(term_ids(reader, q.fieldname, q.text), within)
    if kind is wq.And:
        bound = _superset(q, searcher)
        result = within if bound is None else _within(bound, within)
        for child in q.subqueries:
            if result is not None and not result:
                return set()
            result = matching_ids(child, searcher, result)
        return result if result is not None else _all_ids(reader)
    if kind is wq.Or and not getattr(q, "minmatch", 0):
        union: set[int] = set()
        for child in q.subqueries:
            union |= matching_ids(child, searcher, within)
        return union
    if kind in (wq.AndNot, wq.Require):
        a = matching_ids(q.a, searcher, within)
        if not a:
            return a
        b = matching_ids(q.b, searcher, a)
        return a - b if kind is wq.AndNot else a & b
    if kind is wq.AndMaybe:
        return matching_ids(q.a, searcher, within)
    if kind is wq.Not:
        return _within(_all_ids(reader), within) - matching_ids(q.query, searcher, within)
    if kind is wq.ConstantScoreQuery:
        return matching_ids(q.child, searcher, within)
    if kind is wq.Every and q.fieldname in (None, "", "*"):
        return _within(_all_ids(reader), within)
    if q is wq.NullQuery or isinstance(q, wq.qcore._NullQuery):
        return set()
    return _within(set(q.docs(searcher)), within)


def count_matching(searcher: Searcher, q: wq.Query, mask: set[int]) -> int:
    """How many documents `q` matches in the whole index, leaving out the (global) docnums in `mask`."""
    total = 0
    with query_scope(searcher):
        for sub, offset in searcher.leaf_searchers():
            ids = matching_ids(q, sub)
            if offset:
                ids = {docnum + offset for docnum in ids}
            total += len(ids) - len(ids & mask) if mask else len(ids)
    return total


# -- scoring ---------------------------------------------------------------------------------------
_LENGTHS = [byte_to_length(b) if b else None for b in range(256)]
Scores = dict[int, float]


def _field_lengths(reader: Any, fieldname: str) -> list[Any] | None:
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


def term_scores(searcher: Searcher, fieldname: str, text: Any, boost: float = 1.0,
                only: set[int] | None = None) -> Scores | None:
    """BM25F score of each document of a leaf searcher's segment containing a term (None: cannot);
    `only`: just these documents."""
    reader = searcher.reader()
    ids, weights, _values = postings(reader, fieldname, text)
    if not ids:
        return {}
    scorer = searcher.weighting.scorer(searcher, fieldname, reader._text_to_bytes(fieldname, text))
    lengths = _field_lengths(reader, fieldname)
    if type(scorer) is not BM25FScorer or lengths is None:
        return None
    score = scorer._score
    if only is None:
        out = {docnum: score(weight, lengths[docnum]) for docnum, weight in zip(ids, weights)}
    else:
        out = {docnum: score(weight, lengths[docnum])
               for docnum, weight in zip(ids, weights) if docnum in only}
    if boost != 1.0:
        out = {d: v * boost for d, v in out.items()}
    for docnum in reader.deleted_docs_set:
        out.pop(docnum, None)
    return out


def _generic_scores(q: wq.Query, searcher: Searcher) -> Scores:
    matcher = q.matcher(searcher)
    out: Scores = {}
    while matcher.is_active():
        out[matcher.id()] = matcher.score()
        matcher.next()
    return out


def _sum(maps: list[Scores], keys: Iterable[int], boost: float) -> Scores:
    out: Scores = {}
    for docnum in keys:
        total = 0.0
        for m in maps:
            if docnum in m:
                total += m[docnum]
        out[docnum] = total * boost if boost != 1.0 else total
    return out


def score_map(q: wq.Query, searcher: Searcher, only: set[int] | None = None) -> Scores | None:
    """The score of every document of a leaf searcher's segment that `q` matches (among `only` if
    given); None: some part cannot be scored here."""
    kind = type(q)
    if kind is wq.Term:
        return term_scores(searcher, q.fieldname, q.text, q.boost, only=only)
    if kind is BigramPhrase:
        ids = q.ids_in(searcher, only)
        parts = [term_scores(searcher, q.fieldname, w, only=ids) for w in q.words] if ids else []
        return None if any(p is None for p in parts) else _sum(parts, ids, q.boost)  # type: ignore[arg-type]
    if kind in (wq.And, wq.Or) and not getattr(q, "minmatch", 0) and not getattr(q, "scale", None):
        keys = matching_ids(q, searcher, only) if kind is wq.And else None
        maps = [score_map(child, searcher, keys if keys is not None else only) for child in q.subqueries]
        if any(m is None for m in maps):
            return None
        if keys is None:
            keys = set()
            for m in maps:
                keys.update(m)  # type: ignore[arg-type]
        return _sum(maps, keys, q.boost)  # type: ignore[arg-type]
    if kind is wq.AndNot:
        a = score_map(q.a, searcher, only)
        if not a:
            return a
        b = matching_ids(q.b, searcher, set(a))
        return {d: v for d, v in a.items() if d not in b}
    if kind is wq.ConstantScoreQuery:
        # As Whoosh's ListMatcher: a constant score of 0 counts as 1 (all_weights=0.0 is falsy).
        return dict.fromkeys(matching_ids(q.child, searcher, only), q.score or 1.0)
    scores = _generic_scores(q, searcher)
    return scores if only is None else {d: v for d, v in scores.items() if d in only}


def top_and_total(searcher: Searcher, q: wq.Query, mask: set[int], limit: int | None
                  ) -> tuple[Results, int] | None:
    """The top `limit` hits by relevance (ties: lower document number first, as Whoosh) and the exact
    number of matches outside `mask`, in one pass; None if a part of `q` cannot be scored here."""
    candidates: list[tuple[float, int]] = []
    with query_scope(searcher):
        for sub, offset in searcher.leaf_searchers():
            if not _is_leaf_reader(sub.reader()):
                return None
            scores = score_map(q, sub)
            if scores is None:
                return None
            candidates += [(v, -(d + offset)) for d, v in scores.items() if d + offset not in mask]
    top = heapq.nlargest(limit, candidates) if limit is not None else sorted(candidates, reverse=True)
    return Results(searcher, q, [(score, -negdoc) for score, negdoc in top]), len(candidates)


class _PhraseFilter(FilterMatcher):
    """A FilterMatcher that stays on allowed documents after block-quality skipping too."""

    def skip_to_quality(self, minquality: float) -> int:
        skipped = self.child.skip_to_quality(minquality / self.boost)
        self._find_next()
        return skipped


class BigramPhrase(wq.Phrase):
    """A phrase (slop 1) matched with set operations and scored as the conjunction of its words."""

    def _cache(self) -> dict[tuple[Any, ...], tuple[Any, set[int]]]:
        return self.__dict__.setdefault("_kb_ids", {})

    def ids_in(self, searcher: Searcher, within: set[int] | None = None) -> set[int]:
        """The documents of a leaf searcher's segment (among `within`) that contain the phrase; the full
        set is kept for this query."""
        reader = searcher.reader()
        key = (id(reader), self.fieldname, tuple(self.words))
        hit = self._cache().get(key)
        if hit is not None and hit[0] is reader:
            return _within(hit[1], within)
        ids = phrase_ids(reader, self.fieldname, list(self.words), within)
        if within is None:
            self._cache()[key] = (reader, ids)
        return ids

    def matcher(self, searcher: Searcher, context: Any = None) -> Any:
        reader = searcher.reader()
        if self.slop != 1 or not _is_leaf_reader(reader) or self.fieldname not in searcher.schema:
            return super().matcher(searcher, context)
        ids = self.ids_in(searcher)
        if not ids:
            return NullMatcher()
        conjunction = wq.And([wq.Term(self.fieldname, w) for w in self.words])
        return _PhraseFilter(conjunction.matcher(searcher, context), ids, boost=self.boost)

    def copy(self) -> BigramPhrase:  # type: ignore[override]
        return BigramPhrase(self.fieldname, list(self.words), slop=self.slop, boost=self.boost,
                            char_ranges=self.char_ranges)
