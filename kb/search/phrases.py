"""Phrase matching with set operations: `BigramPhrase`, what a phrase of Chinese bigrams or English stems
becomes (see query.widen).

Its documents are the intersection of its words' documents (sets kept in the segment cache), and only
those candidates' positions are decoded and checked (a candidate's entry is found by bisection in the
word's sorted document numbers when the candidates are few; hundreds of candidates with a side file's
flat positions are checked over whole arrays, vectorized.verify_phrase). When scored, the phrase is the
conjunction of its words (the same score as Whoosh's phrase) limited to its documents. A segment's phrase documents
are kept in the shared segment cache too (keyed by its deleted count: deletions only grow), so the same
phrase searched again, by anyone, is not verified again.
"""
from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache
from itertools import accumulate
from typing import Any

from whoosh import query as wq
from whoosh.compat import loads
from whoosh.formats import Positions
from whoosh.matching import NullMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.searching import Searcher
from whoosh.system import _INT_SIZE

from . import vectorized
from .postings import _is_leaf_reader, postings, term_ids, within
from .segcache import CACHE, ids_size, segment_key
from .sidefile import PositionLists


@lru_cache(maxsize=200_000)
def _decode_positions(value: bytes) -> tuple[int, ...]:
    """Positions from Whoosh's `Positions` encoding (memoized: short texts repeat the same encodings)."""
    return tuple(accumulate(loads(value[_INT_SIZE:] if value.endswith(b".") else value[_INT_SIZE:] + b".")))


def _decoder(fmt: Any) -> Any:
    return _decode_positions if type(fmt) is Positions else fmt.decode_positions


def _values_of(ids: Any, values: list[Any], candidates: set[int]) -> dict[int, Any]:
    """docnum → encoded value of the `candidates` among a term's postings (`ids` ascending)."""
    if len(candidates) * 16 >= len(ids):
        return {d: v for d, v in zip(ids, values) if d in candidates}
    out = {}
    n = len(ids)
    for d in candidates:
        i = bisect_left(ids, d)
        if i < n and ids[i] == d:
            out[d] = values[i]
    return out


def _index_of(ids: Any, candidates: set[int]) -> dict[int, int]:
    """docnum → index in `ids` (ascending) of the `candidates`."""
    if len(candidates) * 16 >= len(ids):
        return {d: i for i, d in enumerate(ids) if d in candidates}
    out = {}
    n = len(ids)
    for d in candidates:
        i = bisect_left(ids, d)
        if i < n and ids[i] == d:
            out[d] = i
    return out


def _verify_flat(words: list[tuple[Any, PositionLists]], candidates: set[int]) -> set[int]:
    """As _verify, every word's positions read from a side file's flat arrays (no decoding); many
    candidates over whole arrays (vectorized.verify_phrase)."""
    if len(candidates) >= vectorized.MIN_DOCUMENTS:
        return vectorized.verify_phrase([(ids, lists.starts, lists.positions) for ids, lists in words],
                                        candidates)
    parts = [(k, _index_of(ids, candidates), lists.starts, lists.positions)
             for k, (ids, lists) in enumerate(words)]
    _k, index0, starts0, positions0 = parts[0]
    rest = parts[1:]
    matched: set[int] = set()
    for docnum in candidates:
        i = index0[docnum]
        first = positions0[starts0[i]:starts0[i + 1]]
        if len(first) == 1:
            start = first[0]
            for k, index, starts, positions in rest:
                j = index[docnum]
                if start + k not in positions[starts[j]:starts[j + 1]]:
                    break
            else:
                matched.add(docnum)
            continue
        found = set(first)
        for k, index, starts, positions in rest:
            j = index[docnum]
            found.intersection_update([p - k for p in positions[starts[j]:starts[j + 1]]])
            if not found:
                break
        else:
            matched.add(docnum)
    return matched


def _verify(reader: Any, fieldname: str, words: list[Any], candidates: set[int]) -> set[int]:
    """The `candidates` (holding every word) where `words` occur at consecutive positions, in order."""
    found = [postings(reader, fieldname, word, values=True) for word in words]
    if all(isinstance(values, PositionLists) for _ids, _weights, values in found):
        return _verify_flat([(ids, values) for ids, _weights, values in found], candidates)
    decode = _decoder(reader.schema[fieldname].format)
    encoded, decoders = [], []
    for ids, _weights, values in found:
        encoded.append(_values_of(ids, values or [], candidates))
        decoders.append(_as_is if isinstance(values, PositionLists) else decode)  # a side file's: decoded
    matched: set[int] = set()
    first_decode = decoders[0]
    pairs = [(i, encoded[i], decoders[i]) for i in range(1, len(words))]
    for docnum in candidates:
        first = first_decode(encoded[0][docnum])
        if len(first) == 1:  # the usual case in short texts: one place to check, no sets
            start = first[0]
            for i, enc, dec in pairs:
                if start + i not in dec(enc[docnum]):
                    break
            else:
                matched.add(docnum)
            continue
        starts = set(first)
        for i, enc, dec in pairs:
            starts.intersection_update([p - i for p in dec(enc[docnum])])
            if not starts:
                break
        else:
            matched.add(docnum)
    return matched


def _as_is(positions: tuple[int, ...]) -> tuple[int, ...]:
    return positions


#: A phrase verified within a bound covering at least this share of its candidates is verified in the
#: whole segment instead, and that answer cached for every later query (the rest costs little more).
WHOLE_SEGMENT_SHARE = 0.5


def _key(reader: Any, fieldname: str, words: list[Any]) -> tuple[Any, ...] | None:
    segid = segment_key(reader)
    if segid is None:
        return None
    return ("phrase", segid, len(reader.deleted_docs_set), fieldname, tuple(words))


def phrase_ids(reader: Any, fieldname: str, words: list[Any], bound: set[int] | None = None) -> set[int]:
    """Documents of one segment (among `bound`, if given) where `words` occur at consecutive positions,
    in order (deleted documents excluded). A whole segment's answer is kept in the segment cache, and
    computed rather than the bounded one when the bound holds most candidates anyway."""
    if not words:
        return set()
    key = _key(reader, fieldname, words)
    hit = CACHE.get(key) if key is not None else None
    if hit is not None:
        return within(hit, bound)
    candidates = phrase_candidates(reader, fieldname, words)
    if len(words) == 1 or not candidates:
        return within(candidates, bound)
    if bound is not None and len(bound) < WHOLE_SEGMENT_SHARE * len(candidates):
        return _verify(reader, fieldname, words, candidates & bound)
    matched = frozenset(_verify(reader, fieldname, words, candidates))
    if key is not None:
        CACHE.put(key, matched, ids_size(matched))
    return within(matched, bound)


def phrase_candidates(reader: Any, fieldname: str, words: list[Any]) -> set[int]:
    """Documents of one segment containing every word of a phrase (a superset of its matches)."""
    candidates: set[int] | None = None
    for word in sorted(set(words), key=lambda w: reader.doc_frequency(fieldname, w)):
        found = term_ids(reader, fieldname, word, values=len(words) > 1)
        candidates = found if candidates is None else candidates & found
        if not candidates:
            return set()
    return candidates if candidates is not None else set()


class _PhraseFilter(FilterMatcher):
    """A FilterMatcher that stays on allowed documents after block-quality skipping too."""

    def skip_to_quality(self, minquality: float) -> int:
        skipped = self.child.skip_to_quality(minquality / self.boost)
        self._find_next()
        return skipped


class BigramPhrase(wq.Phrase):
    """A phrase (slop 1) matched with set operations and scored as the conjunction of its words."""

    def _cache(self) -> dict[tuple[Any, ...], list[Any]]:
        return self.__dict__.setdefault("_kb_ids", {})

    def ids_in(self, searcher: Searcher, bound: set[int] | None = None) -> set[int]:
        """The documents of a leaf searcher's segment (among `bound`) that contain the phrase. What this
        query has verified is kept with it (the whole segment's set, or the documents checked so far and
        those that matched), so counting and then scoring never verify a document twice."""
        reader = searcher.reader()
        key = (id(reader), self.fieldname, tuple(self.words))
        state = self._cache().get(key)
        if state is None or state[0] is not reader:
            state = self._cache()[key] = [reader, None, set(), set()]  # reader, all, checked, matched
        if state[1] is not None:
            return within(state[1], bound)
        if bound is None:
            state[1] = phrase_ids(reader, self.fieldname, list(self.words))
            return set(state[1])
        todo = bound - state[2] if state[2] else bound
        if todo:
            state[3] |= phrase_ids(reader, self.fieldname, list(self.words), todo)
            state[2] |= todo
        return state[3] & bound

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
