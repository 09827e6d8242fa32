"""The order of hits with equal scores (issue 7 of session 8, kind 7).

Whoosh orders equal scores by document number, i.e. by when a document was (re)written into the index:
two equally good hits could swap places after `flask kb reindex` or after one of them was edited. Ties
are ordered here by what a reader can see instead: the newer document first (its `date`: the day of a
visit, or of the last change of an account, plan or person), then the kind of record (the page's order
of kinds), then the newer record (higher id). Only the tied hits around the page shown are looked at.

A tie group that runs past what was fetched is ordered within what was fetched: the search fetches
`TIE_LOOKAHEAD` hits beyond the page, so only a tie longer than that across the page's end can differ.
"""
from __future__ import annotations

from typing import Any

from .schema import DOC_TYPES

#: Hits fetched beyond the page shown, so a tie across the page's end is ordered as a whole.
TIE_LOOKAHEAD = 20
_KIND_ORDER = {kind: i for i, kind in enumerate(DOC_TYPES)}


def tie_key(fields: dict[str, Any]) -> tuple[int, int, int]:
    """The order of a hit among hits of equal score: newer date, kind (DOC_TYPES order), higher id."""
    try:
        day = int(fields.get("date") or 0)
    except (TypeError, ValueError):
        day = 0
    return -day, _KIND_ORDER.get(fields.get("type", ""), len(DOC_TYPES)), -int(fields.get("doc_id") or 0)


def _score(hit: Any) -> float:
    return round(float(hit.score or 0.0), 4)


def page_of_hits(results: Any, start: int, count: int) -> list[tuple[dict[str, Any], float]]:
    """(stored fields, score) of the hits `start` … `start + count` of `results` (best first), ties in
    `tie_key` order. Reads the stored fields of the page and of the hits tied with its first or last."""
    hits = results[0:start + count + TIE_LOOKAHEAD]
    if start >= len(hits):
        return []
    end = min(start + count, len(hits))
    lo, hi = start, end
    while lo > 0 and _score(hits[lo - 1]) == _score(hits[start]):
        lo -= 1
    while hi < len(hits) and _score(hits[hi]) == _score(hits[end - 1]):
        hi += 1
    group = [(hit.fields(), float(hit.score or 0.0)) for hit in hits[lo:hi]]
    group.sort(key=lambda pair: (-round(pair[1], 4), *tie_key(pair[0])))
    return group[start - lo:end - lo]
