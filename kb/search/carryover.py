"""Search answers carried over from one index generation to the next, segment by segment.

An edit (in any process) gives the index a new generation: a tiny new segment, and a few more deleted
documents in an old one. Whoosh's statistics change with it (document count, a term's document frequency,
the average field length), so every score changes a little — and answers cached per searcher were all
thrown away, the first search after an edit scoring, counting and facetting every match again (94,000 for
a common word at 2,000 accounts: 200–400 ms against 15 ms warm).

Here a query's answer is kept per segment in the shared segment cache (segcache.py, bounded by size):

- counts and facet counts of the segment's matches (within the reader's scope), with the deleted set they
  were counted under. When the segment gets new deletions, the newly deleted documents that were counted
  (found by matching the query on a view of the segment with its older deletions) are subtracted;
- the segment's matches (within the reader's scope) in groups that score alike under ANY index statistics:
  the same weight and field length of every scored term and the same answer to every unscored part (a
  phrase, the exact-name bonus, a NOT) give the same BM25F score by the same floating-point operations. A
  common word's 28,000 matches in a segment make 7-35 groups, so under new statistics one document per group
  is scored (`rescore`, the operations of fastpath.score_map) and the top N are taken level by level, ties
  in document order — exactly the hits, order and scores a full scoring gives.

Many matches (vectorized.MIN_DOCUMENTS and more) are grouped, and many stand-ins rescored, over numpy
arrays (vectorized.py: the same groups, the same floating-point operations). Only the new segments, and
the few documents an edit deleted, are read. Queries this module cannot score
(another weighting, a scored part it does not know: prefixes, NOT in a scored place) are answered as
before (fastpath.py). The grouped matches take 4 bytes a document, in the size-bounded cache.
"""
from __future__ import annotations

import copy
from array import array
from bisect import bisect_left
from collections import Counter
from typing import Any, Callable

from whoosh import query as wq
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from . import vectorized
from .fastpath import BigramPhrase, _is_leaf_reader, _sum, matching_ids
from .features import Feature, _Unsupported, _features, _member, _pair, _weights_of  # noqa: F401 — (tests)
from .gcpause import gc_paused
from .postings import postings
from .scores import Scores, _bm25_params, _pairs, field_lengths
from .segcache import CACHE, segment_key
from .sharing import _reuse

#: Answers of at most this many hits are carried over (deeper pages are scored each time).
CARRY_MAX_LIMIT = 200

#: How often each path ran (for tests and the benchmark): "kept" (a segment's entry used as it was),
#: "updated" (its newly deleted matches subtracted), "computed" (a segment grouped or counted in full).
STATS: Counter[str] = Counter()


def older_view(sub: Searcher, deleted: frozenset[int]) -> Searcher | None:
    """A searcher of `sub`'s segment as it was when only `deleted` were deleted (None: a segment kind this
    cannot copy). Shares the open files and caches (sharing._reuse); nothing in it is ever closed."""
    reader = sub.reader()
    segment = reader.segment()
    if not _is_leaf_reader(reader) or not hasattr(segment, "_deleted"):
        return None
    older = copy.copy(segment)
    older._deleted = set(deleted) if deleted else None
    return Searcher(_reuse(reader, older, reader._gen))


def newly_gone(q: wq.Query, sub: Searcher, before: frozenset[int], excluded: frozenset[int]
               ) -> set[int] | None:
    """The documents of `sub`'s segment deleted since `before` that `q` matched outside `excluded` (what an
    answer counted under `before` must now leave out). None: `before` is not an older state of it."""
    now = sub.reader().deleted_docs_set
    if not before <= now:
        return None
    new = set(now - before)
    if not new:
        return set()
    view = older_view(sub, before)
    if view is None:
        return None
    return matching_among(q, view, new) - excluded


def matching_among(q: wq.Query, sub: Searcher, docs: set[int]) -> set[int]:
    """The few `docs` of a leaf searcher's segment that `q` matches, narrowed child by child (fastpath's
    `matching_ids` first bounds an `And` by its children's whole sets: costly for a handful of documents)."""
    kind = type(q)
    if kind is wq.And:
        keys = set(docs)
        for child in q.subqueries:
            keys = matching_among(child, sub, keys) if keys else keys
        return keys
    if kind is wq.Or and not getattr(q, "minmatch", 0):
        out: set[int] = set()
        for child in q.subqueries:
            out |= matching_among(child, sub, docs)
        return out
    if kind is wq.ConstantScoreQuery:
        return matching_among(q.child, sub, docs)
    if kind is wq.AndNot:
        a = matching_among(q.a, sub, docs)
        return a - matching_among(q.b, sub, a) if a else a
    return matching_ids(q, sub, docs)


def segment_counts(sub: Searcher, q: wq.Query, key: tuple[Any, ...], excluded: frozenset[int],
                   fields: tuple[str, ...], values: Callable[[Any, str], list[Any]]
                   ) -> tuple[int, dict[str, Counter[str]]]:
    """(matches, {field: Counter(value → matches)}) of `q` in one segment outside `excluded`, carried over
    from the segment's last answer to `key` when it only lost documents since. `values(reader, field)`: the
    segment's column of that field."""
    reader = sub.reader()
    segid = segment_key(reader)
    deleted = reader.deleted_docs_set
    entry_key = ("counts", segid, key, fields)
    entry = CACHE.get(entry_key) if segid is not None else None
    if entry is not None:
        before, total, counts = entry
        if before == deleted:
            STATS["kept"] += 1
            return total, counts
        gone = newly_gone(q, sub, before, excluded)
        if gone is not None:
            STATS["updated"] += 1
            if gone:
                counts = {name: _without(counts[name], values(reader, name), gone) for name in fields}
                total -= len(gone)
            CACHE.put(entry_key, (deleted, total, counts), _counts_size(counts))
            return total, counts
    STATS["computed"] += 1
    ids = matching_ids(q, sub)
    if excluded:
        ids = ids - excluded
    counts = {name: Counter(map(values(reader, name).__getitem__, ids)) for name in fields}
    if segid is not None and (entry is None or len(entry[0]) <= len(deleted)):
        CACHE.put(entry_key, (deleted, len(ids), counts), _counts_size(counts))
    return len(ids), counts


def _without(counts: Counter[str], column: list[Any], gone: set[int]) -> Counter[str]:
    out = Counter(counts)
    out.subtract(map(column.__getitem__, gone))
    return Counter({k: v for k, v in out.items() if v > 0})


def _counts_size(counts: dict[str, Counter[str]]) -> int:
    return 256 + 120 * sum(len(c) for c in counts.values())


@gc_paused
def ranked(searcher: Searcher, q: wq.Query, key: tuple[Any, ...],
           excluded: Callable[[Searcher], frozenset[int]], limit: int | None
           ) -> tuple[list[tuple[float, int]], int] | None:
    """The top `limit` (score, docnum) of `q` over the whole index, best first (ties: lower document
    number first, as Whoosh), outside each segment's `excluded(sub)`, and the exact number of matches.
    Scores equal Whoosh's BM25F (the same operations as fastpath.score_map). `key` names `q` and the
    exclusions (the cache key). None: a query or segment this cannot carry over (the caller scores it as
    before)."""
    if limit is None or limit < 1 or limit > CARRY_MAX_LIMIT or type(searcher.weighting) is not BM25F:
        return None
    try:
        scored_terms(q)
        levels: dict[float, list[tuple[Any, int]]] = {}
        total = 0
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            if not _is_leaf_reader(reader) or segment_key(reader) is None:
                return None
            groups = segment_groups(sub, q, key, excluded(sub))
            total += sum(map(len, groups))
            if groups:
                scores = rescore(q, sub, {docs[0] for docs in groups})
                for docs in groups:
                    levels.setdefault(scores[docs[0]], []).append((docs, offset))
    except (_Unsupported, KeyError):
        return None
    top: list[tuple[float, int]] = []
    for score in sorted(levels, reverse=True):
        need = limit - len(top)
        if need <= 0:
            break
        docs = sorted(d + offset for group, offset in levels[score] for d in group[:need])
        top += [(score, d) for d in docs[:need]]
    return top, total


def segment_groups(sub: Searcher, q: wq.Query, key: tuple[Any, ...], excluded: frozenset[int]) -> list[Any]:
    """The documents of one segment that `q` matches outside `excluded`, in groups that score alike under
    any index statistics (the same weight and field length of every scored term, the same answer to every
    unscored part): each group an ascending array of document numbers. Kept in the segment cache and
    carried over when the segment only lost documents since."""
    reader = sub.reader()
    deleted = reader.deleted_docs_set
    entry_key = ("groups", segment_key(reader), key)
    entry = CACHE.get(entry_key)
    if entry is not None:
        before, groups = entry
        if before == deleted:
            STATS["kept"] += 1
            return groups
        gone = newly_gone(q, sub, before, excluded)
        if gone is not None:
            STATS["updated"] += 1
            if gone:
                groups = [g if not _holds_any(g, gone) else array("i", (d for d in g if d not in gone))
                          for g in groups]
                groups = [g for g in groups if g]
            CACHE.put(entry_key, (deleted, groups), _groups_size(groups))
            return groups
    STATS["computed"] += 1
    matched = matching_ids(q, sub) - excluded if excluded else matching_ids(q, sub)
    vector = len(matched) >= vectorized.MIN_DOCUMENTS  # (many matches: columns as arrays, vectorized.py)
    docs = vectorized.documents(matched) if vector else sorted(matched)
    columns: dict[Any, Any] = {}
    for name, column in _features(q, sub):  # a feature named twice (one field's lengths) is read once
        if name not in columns:
            columns[name] = column(docs, matched)
    if vector:
        groups = vectorized.group_documents(docs, [c for found in columns.values() for c in found])
        if entry is None or len(entry[0]) <= len(deleted):
            CACHE.put(entry_key, (deleted, groups), _groups_size(groups))
        return groups
    by_signature: dict[tuple[Any, ...], array[int]] = {}
    signatures = zip(*columns.values()) if columns else [()] * len(docs)  # (no feature: all score alike)
    for docnum, signature in zip(docs, signatures):
        group = by_signature.get(signature)
        if group is None:
            group = by_signature[signature] = array("i")
        group.append(docnum)
    groups = list(by_signature.values())
    if entry is None or len(entry[0]) <= len(deleted):
        CACHE.put(entry_key, (deleted, groups), _groups_size(groups))
    return groups


def _holds_any(group: Any, docs: set[int]) -> bool:
    n = len(group)
    for d in docs:
        i = bisect_left(group, d)
        if i < n and group[i] == d:
            return True
    return False


def _groups_size(groups: list[Any]) -> int:
    return 64 + sum(96 + 4 * len(g) for g in groups)


def scored_terms(q: wq.Query) -> list[tuple[str, Any]]:
    """The (field, text) of every term whose BM25F score is part of `q`'s score. Raises _Unsupported for a
    scored part whose score this module cannot compute."""
    kind = type(q)
    if kind is wq.Term:
        return [(q.fieldname, q.text)]
    if kind is BigramPhrase:
        return [(q.fieldname, w) for w in q.words]
    if kind in (wq.And, wq.Or) and not getattr(q, "minmatch", 0) and not getattr(q, "scale", None):
        return [t for child in q.subqueries for t in scored_terms(child)]
    if kind is wq.AndNot:
        return scored_terms(q.a)
    if kind is wq.ConstantScoreQuery:
        return []
    raise _Unsupported


def rescore(q: wq.Query, sub: Searcher, only: set[int]) -> Scores:
    """The score of each of the `only` documents of a leaf searcher's segment that `q` matches — the same
    values as fastpath.score_map, reading only those documents' lengths (not a whole segment's)."""
    kind = type(q)
    if kind is wq.Term:
        return _term_scores(sub, q.fieldname, q.text, q.boost, only)
    if kind is BigramPhrase:
        ids = q.ids_in(sub, only)
        parts = [_term_scores(sub, q.fieldname, w, 1.0, ids) for w in q.words] if ids else []
        return _sum(parts, ids, q.boost)
    if kind in (wq.And, wq.Or):
        keys = None
        if kind is wq.And:
            keys = matching_among(q, sub, only)
        maps = [rescore(child, sub, keys if keys is not None else only) for child in q.subqueries]
        if keys is None:
            keys = set()
            for m in maps:
                keys.update(m)
        return _sum(maps, keys, q.boost)
    if kind is wq.AndNot:
        a = rescore(q.a, sub, only)
        if not a:
            return a
        b = matching_among(q.b, sub, set(a))
        return {d: v for d, v in a.items() if d not in b}
    if kind is wq.ConstantScoreQuery:
        return dict.fromkeys(matching_among(q.child, sub, only), q.score or 1.0)
    raise _Unsupported


#: A group's stand-ins fewer than 1/RESCORE_RATIO of a term's postings are found by bisection (~0.4 µs
#: each) rather than by walking the postings (~0.1 µs a posting).
RESCORE_RATIO = 4


def _term_scores(sub: Searcher, fieldname: str, text: Any, boost: float, only: set[int]) -> Scores:
    """As scores.term_scores for the `only` documents: the same operations in the same order."""
    reader = sub.reader()
    ids, weights, _values = postings(reader, fieldname, text)
    if not ids or not only:
        return {}
    params = _bm25_params(sub, fieldname, reader._text_to_bytes(fieldname, text))
    lengths = field_lengths(reader, fieldname)
    if params is None or lengths is None:
        raise _Unsupported
    idf, avgfl, b, k1 = params
    deleted = reader.deleted_docs_set
    if len(only) >= vectorized.MIN_DOCUMENTS:  # (many stand-ins: over arrays, the same operations)
        codes = vectorized.length_codes(reader, fieldname)
        found = None if codes is None else vectorized.bm25_scores(
            ids, weights, codes, vectorized.documents(only), (idf, avgfl, b, k1), boost)
        if found is None:
            raise _Unsupported
        for d in deleted if len(deleted) < len(found) else [d for d in found if d in deleted]:
            found.pop(d, None)
        return found
    one_minus_b = 1 - b
    k1p1 = k1 + 1
    out: Scores = {}
    for d, w in _pairs(ids, weights, only, RESCORE_RATIO):
        if d in deleted:
            continue
        norm = k1 * (one_minus_b + b * lengths[d] / avgfl)
        out[d] = idf * ((w * k1p1) / (w + norm))
    if boost != 1.0:
        out = {d: v * boost for d, v in out.items()}
    return out
