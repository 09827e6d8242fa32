"""Faster evaluation of the queries search runs most, with Whoosh's exact semantics.

Whoosh walks postings one document at a time in pure Python, and checks phrases with generic span
objects. Here:
- `matching_ids` computes the set of documents a query matches (for the exact total) by combining the
  sets of documents of its terms (postings.py: read a whole block at a time, kept in the segment cache);
  query types it does not know fall back to Whoosh. Totals are counted without scoring.
- phrases are `BigramPhrase` (phrases.py): candidates by set intersection, positions checked only there.
- `top_and_total` scores the matching documents with BM25F a whole posting list at a time (scores.py),
  only the documents that match, and keeps the top N.
"""
from __future__ import annotations

import heapq
from bisect import bisect_left
from itertools import islice
from typing import Any, Iterable

from whoosh import query as wq
from whoosh.searching import Results, Searcher

from .gcpause import gc_paused
from .phrases import (  # noqa: F401 — re-exported for callers
    BigramPhrase, _decode_positions, phrase_candidates, phrase_ids,
)
from .postings import (  # noqa: F401 — re-exported for callers
    Postings, _is_leaf_reader, postings, query_scope, term_ids, within as _within,
)
from .scores import Scores, field_lengths as _field_lengths, term_scores  # noqa: F401 — re-exported
from .segcache import CACHE, segment_key


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


def _exact(q: wq.Query) -> bool:
    """Whether `_superset(q)` is exactly the documents `q` matches (terms, and ANDs and ORs of them)."""
    kind = type(q)
    if kind is wq.Term:
        return True
    if kind is wq.And or (kind is wq.Or and not getattr(q, "minmatch", 0)):
        return all(_exact(child) for child in q.subqueries)
    return kind is wq.ConstantScoreQuery and _exact(q.child)


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
            if bound is not None and _exact(child):
                continue  # (the bound is within its matches already: its superset is exactly them)
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


def _memo_term_scores(searcher: Searcher, q: wq.Term, only: set[int] | None,
                      memo: dict[Any, Any] | None) -> Scores | None:
    """A term's scores (among `only`), its unboosted scores computed once per `memo` (a query that names
    the same term with several boosts, as one character in the title, body and names, scores it once;
    the boost is applied after, as term_scores does, so the values are the same). The memo holds the
    `only` set it was computed for (kept alive, so its id is not reused)."""
    if memo is None:
        return term_scores(searcher, q.fieldname, q.text, q.boost, only=only)
    key = (q.fieldname, q.text, id(only))
    found = memo.get(key)
    if found is None or found[0] is not only:
        found = memo[key] = (only, term_scores(searcher, q.fieldname, q.text, only=only))
    base = found[1]
    if base is None or q.boost == 1.0:
        return base  # shared with the memo: callers only read score maps
    boost = q.boost
    return {d: v * boost for d, v in base.items()}


#: A prefix expanding to more words than this in a segment is left to Whoosh's matcher.
PREFIX_MAX_TERMS = 256


#: A field of a segment with at most this many words keeps them in memory for prefixes (a pinyin
#: prefix expanded by bisection, not by walking Whoosh's on-disk term table: ~50 µs a segment).
LEXICON_MAX_TERMS = 50_000


def _lexicon(reader: Any, fieldname: str) -> list[bytes] | None:
    """The words of a field in one segment, ascending (None: more than LEXICON_MAX_TERMS); cached."""
    key = ("lexicon", segment_key(reader), fieldname)
    hit = CACHE.get(key)
    if hit is not None:
        return hit[0]
    words = list(islice(reader.lexicon(fieldname), LEXICON_MAX_TERMS + 1))
    if len(words) > LEXICON_MAX_TERMS:
        CACHE.put(key, (None,), 96)
        return None
    CACHE.put(key, (words,), 96 + sum(len(w) + 41 for w in words))
    return words


def prefix_end(prefix: bytes) -> bytes | None:
    """The smallest bytes above every bytes that starts with `prefix` (None: there is none, `prefix` is
    all 0xff): the words with a prefix are the sorted word list's range [prefix, prefix_end), found by two
    bisections instead of testing each word after it."""
    stripped = prefix.rstrip(b"\xff")
    if not stripped:
        return None
    return stripped[:-1] + bytes([stripped[-1] + 1])


def _prefix_terms(reader: Any, q: wq.Prefix) -> list[Any] | None:
    """The words `q` expands to in this segment (None: more than PREFIX_MAX_TERMS, or not a field of
    the schema); cached per segment (its words never change)."""
    if q.fieldname not in reader.schema:
        return None
    segid = segment_key(reader)
    key = ("prefix", segid, q.fieldname, q.text)
    hit = CACHE.get(key) if segid is not None else None
    if hit is not None:
        return hit[0]
    lexicon = _lexicon(reader, q.fieldname) if segid is not None else None
    if lexicon is not None:  # as Whoosh's expand_prefix: the words from the prefix on that start with it
        prefix = reader._text_to_bytes(q.fieldname, q.text)
        start = bisect_left(lexicon, prefix)
        above = prefix_end(prefix)
        end = bisect_left(lexicon, above, start) if above is not None else len(lexicon)
        found = lexicon[start:min(end, start + PREFIX_MAX_TERMS + 1)]  # (the words that start with it)
    else:
        found = list(islice(reader.expand_prefix(q.fieldname, q.text), PREFIX_MAX_TERMS + 1))
    field = reader.schema[q.fieldname]
    words = None if len(found) > PREFIX_MAX_TERMS or not all(found) else [field.from_bytes(w) for w in found]
    if segid is not None:
        CACHE.put(key, (words,), 96 + sum(len(w) + 50 for w in words or ()))
    return words


def score_map(q: wq.Query, searcher: Searcher, only: set[int] | None = None,
              memo: dict[Any, Any] | None = None) -> Scores | None:
    """The score of every document of a leaf searcher's segment that `q` matches (among `only` if
    given); None: some part cannot be scored here. `memo`: a dict kept for one query and one segment
    (terms named twice are scored once)."""
    kind = type(q)
    if kind is wq.Term:
        return _memo_term_scores(searcher, q, only, memo)
    if kind is wq.Prefix and q.constantscore:
        # Whoosh (MultiTerm.matcher) scores a prefix with one term in the segment as that term alone, with
        # BM25 and without the prefix's boost.
        # (Whoosh gives every document of a prefix with several words in the segment a score of 1.0,
        # whatever its boost: its "constant score".)
        reader = searcher.reader()
        words = _prefix_terms(reader, q)
        if words is not None:
            if len(words) <= 1:
                return term_scores(searcher, q.fieldname, words[0], only=only) if words else {}
            docs: set[int] = set()
            for word in words:
                docs |= term_ids(reader, q.fieldname, word)
            return dict.fromkeys(docs if only is None else docs & only, 1.0)
    if kind is BigramPhrase:
        ids = q.ids_in(searcher, only)
        parts = [term_scores(searcher, q.fieldname, w, only=ids) for w in q.words] if ids else []
        return None if any(p is None for p in parts) else _sum(parts, ids, q.boost)  # type: ignore[arg-type]
    if kind in (wq.And, wq.Or) and not getattr(q, "minmatch", 0) and not getattr(q, "scale", None):
        keys = matching_ids(q, searcher, only) if kind is wq.And else None
        maps = [score_map(child, searcher, keys if keys is not None else only, memo) for child in q.subqueries]
        if any(m is None for m in maps):
            return None
        if keys is None:
            keys = set()
            for m in maps:
                keys.update(m)  # type: ignore[arg-type]
        return _sum(maps, keys, q.boost)  # type: ignore[arg-type]
    if kind is wq.AndNot:
        a = score_map(q.a, searcher, only, memo)
        if not a:
            return a
        b = matching_ids(q.b, searcher, set(a))
        return {d: v for d, v in a.items() if d not in b}
    if kind is wq.ConstantScoreQuery:
        # As Whoosh's ListMatcher: a constant score of 0 counts as 1 (all_weights=0.0 is falsy).
        return dict.fromkeys(matching_ids(q.child, searcher, only), q.score or 1.0)
    scores = _generic_scores(q, searcher)
    return scores if only is None else {d: v for d, v in scores.items() if d in only}


def positive_fields(q: wq.Query) -> frozenset[str] | None:
    """The fields of the words `q` needs (every match of `q` holds a word of one of them); None: `q`
    may match a document without any word (a NOT, every document) or is of a kind not known here."""
    kind = type(q)
    if kind in (wq.Term, wq.Prefix, BigramPhrase):
        return frozenset((q.fieldname,))
    if kind in (wq.And, wq.Or):
        found: frozenset[str] = frozenset()
        for child in q.subqueries:
            fields = positive_fields(child)
            if fields is None:
                return None
            found |= fields
        return found
    if kind in (wq.AndNot, wq.AndMaybe):
        return positive_fields(q.a)
    if kind is wq.Require:
        a, b = positive_fields(q.a), positive_fields(q.b)
        return None if a is None or b is None else a | b
    if kind is wq.ConstantScoreQuery:
        return positive_fields(q.child)
    return None


@gc_paused
def top_and_total(searcher: Searcher, q: wq.Query, mask: set[int], limit: int | None
                  ) -> tuple[Results, int] | None:
    """The top `limit` hits by relevance (ties: lower document number first, as Whoosh) and the exact
    number of matches outside `mask`, in one pass; None if a part of `q` cannot be scored here."""
    candidates: list[tuple[float, int]] = []
    fields = positive_fields(q)
    with query_scope(searcher):
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            if not _is_leaf_reader(reader):
                return None
            if fields is not None and fields.isdisjoint(reader._terms.indexed_field_names()):
                continue  # (no word in any field `q` looks at: the bookkeeping segment, ~30 µs a query)
            scores = score_map(q, sub, memo={})
            if scores is None:
                return None
            candidates += [(v, -(d + offset)) for d, v in scores.items() if d + offset not in mask]
    top = heapq.nlargest(limit, candidates) if limit is not None else sorted(candidates, reverse=True)
    return Results(searcher, q, [(score, -negdoc) for score, negdoc in top]), len(candidates)
