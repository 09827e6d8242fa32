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

from typing import Any, Iterable

from whoosh import query as wq
from whoosh.matching import NullMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher


def _blocks(matcher: Any, values: bool = False) -> Iterable[tuple[Any, Any]]:
    """(ids, values) of the remaining postings of a raw segment matcher, one block at a time."""
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        i = matcher._i
        vals = None
        if values:
            if matcher._values is None:
                matcher._read_values()
            vals = matcher._values[i:]
        yield matcher._ids[i:], vals
        matcher._next_block()


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


def term_ids(reader: Any, fieldname: str, text: Any) -> set[int]:
    """Documents of one segment containing a term (deleted ones excluded)."""
    matcher = _raw_postings(reader, fieldname, text)
    if matcher is None:
        return set()
    ids: set[int] = set()
    for block, _ in _blocks(matcher):
        ids.update(block)
    deleted = reader.deleted_docs_set
    return ids - deleted if deleted else ids


def _positions(reader: Any, fieldname: str, word: Any, candidates: set[int]) -> dict[int, Any]:
    """Encoded positions of `word` in each candidate document (one segment)."""
    matcher = _raw_postings(reader, fieldname, word)
    found: dict[int, Any] = {}
    if matcher is None:
        return found
    for block, values in _blocks(matcher, values=True):
        for docnum, value in zip(block, values):
            if docnum in candidates:
                found[docnum] = value
    return found


def phrase_ids(reader: Any, fieldname: str, words: list[Any]) -> set[int]:
    """Documents of one segment where `words` occur at consecutive positions, in order."""
    if not words:
        return set()
    candidates: set[int] | None = None
    for word in sorted(set(words), key=lambda w: reader.doc_frequency(fieldname, w)):
        found = term_ids(reader, fieldname, word)
        candidates = found if candidates is None else candidates & found
        if not candidates:
            return set()
    assert candidates is not None
    if len(words) == 1:
        return candidates
    fmt = reader.schema[fieldname].format
    encoded = [_positions(reader, fieldname, w, candidates) for w in words]
    matched: set[int] = set()
    for docnum in candidates:
        first, *rest = (fmt.decode_positions(e[docnum]) for e in encoded)
        later = [set(p) for p in rest]
        if any(all(start + i + 1 in later[i] for i in range(len(later))) for start in first):
            matched.add(docnum)
    return matched


def _all_ids(reader: Any) -> set[int]:
    return set(range(reader.doc_count_all())) - set(reader.deleted_docs_set)


def matching_ids(q: wq.Query, searcher: Searcher) -> set[int]:
    """The documents of one segment (`searcher` is a leaf searcher) that `q` matches."""
    reader = searcher.reader()
    if not _is_leaf_reader(reader):
        return set(q.docs(searcher))
    if isinstance(q, BigramPhrase):
        return q.ids_in(searcher)
    if type(q) is wq.Term:
        return term_ids(reader, q.fieldname, q.text)
    if type(q) is wq.And:
        result: set[int] | None = None
        for child in q.subqueries:
            ids = matching_ids(child, searcher)
            result = ids if result is None else result & ids
            if not result:
                return set()
        return result or set()
    if type(q) is wq.Or and not getattr(q, "minmatch", 0):
        result = set()
        for child in q.subqueries:
            result |= matching_ids(child, searcher)
        return result
    if type(q) in (wq.AndNot, wq.Require):
        a = matching_ids(q.a, searcher)
        if not a:
            return a
        b = matching_ids(q.b, searcher)
        return a - b if type(q) is wq.AndNot else a & b
    if type(q) is wq.AndMaybe:
        return matching_ids(q.a, searcher)
    if type(q) is wq.Not:
        return _all_ids(reader) - matching_ids(q.query, searcher)
    if type(q) is wq.ConstantScoreQuery:
        return matching_ids(q.child, searcher)
    if type(q) is wq.Every and q.fieldname in (None, "", "*"):
        return _all_ids(reader)
    if q is wq.NullQuery or isinstance(q, wq.qcore._NullQuery):
        return set()
    return set(q.docs(searcher))


def count_matching(searcher: Searcher, q: wq.Query, mask: set[int]) -> int:
    """How many documents `q` matches in the whole index, leaving out the (global) docnums in `mask`."""
    total = 0
    for sub, offset in searcher.leaf_searchers():
        ids = matching_ids(q, sub)
        if offset:
            ids = {docnum + offset for docnum in ids}
        total += len(ids) - len(ids & mask) if mask else len(ids)
    return total


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

    def ids_in(self, searcher: Searcher) -> set[int]:
        """The documents of a leaf searcher's segment that contain the phrase (kept for this query)."""
        reader = searcher.reader()
        cache = self._cache()
        key = (id(reader), self.fieldname, tuple(self.words))
        hit = cache.get(key)
        if hit is None or hit[0] is not reader:
            hit = (reader, phrase_ids(reader, self.fieldname, list(self.words)))
            cache[key] = hit
        return hit[1]

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
