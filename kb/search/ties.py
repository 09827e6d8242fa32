"""The order of hits with equal scores (issue 7 of session 8, kind 7).

Whoosh orders equal scores by document number, i.e. by when a document was (re)written into the index:
two equally good hits could swap places after `flask kb reindex` or after one of them was edited. Ties
are ordered here by what a reader can see instead: the newer document first (its `date`: the day of a
visit, or of the last change of an account, plan or person), then the kind of record (the page's order
of kinds), then the newer record (higher id).

The order must be a function of the whole result set, never of how many hits were fetched (else paging
repeats some hits and never shows others). So a group of equal scores is re-ordered only when the whole
group is known and has at most `TIE_LOOKAHEAD` hits; a larger group (e.g. every hit of a filter-only
query such as `type:interaction`) keeps the index's order, which is the same for any number fetched.
The search fetches `TIE_LOOKAHEAD + 1` hits beyond the page (`fetch_limit`): a group that starts before
the page's end is then either complete in what was fetched or known to be longer than `TIE_LOOKAHEAD`.
"""
from __future__ import annotations

from typing import Any

from .schema import DOC_TYPES

#: The largest group of equal scores that is re-ordered (larger groups keep the index's order).
TIE_LOOKAHEAD = 20
_KIND_ORDER = {kind: i for i, kind in enumerate(DOC_TYPES)}


def fetch_limit(page: int, per_page: int) -> int:
    """How many hits to fetch (best first) to show page `page` (1-based) of `per_page` hits."""
    return page * per_page + TIE_LOOKAHEAD + 1


def tie_key(fields: dict[str, Any]) -> tuple[int, int, int]:
    """The order of a hit among hits of equal score: newer date, kind (DOC_TYPES order), higher id."""
    try:
        day = int(fields.get("date") or 0)
    except (TypeError, ValueError):
        day = 0
    return -day, _KIND_ORDER.get(fields.get("type", ""), len(DOC_TYPES)), -int(fields.get("doc_id") or 0)


def _score(hit: Any) -> float:
    return round(float(hit.score or 0.0), 4)


def page_of_hits(results: Any, start: int, count: int, *,
                 total: int | None = None) -> list[tuple[dict[str, Any], float]]:
    """(stored fields, score) of the hits `start` … `start + count` of `results` (best first), small
    groups of equal scores in `tie_key` order. `results` holds the top `fetch_limit(…)` hits (or all of
    them); `total` is the number of hits in all (None: as many as `results` holds). Reads the stored
    fields of the page and of the hits tied with its first or last."""
    fetched = start + count + TIE_LOOKAHEAD + 1
    hits = results[0:fetched]
    if start >= len(hits):
        return []
    complete = len(hits) >= total if total is not None else len(hits) < fetched
    end = min(start + count, len(hits))
    lo, hi = start, end
    while lo > 0 and _score(hits[lo - 1]) == _score(hits[start]):
        lo -= 1
    while hi < len(hits) and _score(hits[hi]) == _score(hits[end - 1]):
        hi += 1
    pairs = [(hit.fields(), float(hit.score or 0.0)) for hit in hits[lo:hi]]
    ordered: list[tuple[dict[str, Any], float]] = []
    i = 0
    while i < len(pairs):  # each run of equal scores: re-ordered only when known whole and small
        j = i + 1
        while j < len(pairs) and round(pairs[j][1], 4) == round(pairs[i][1], 4):
            j += 1
        run = pairs[i:j]
        whole = j < len(pairs) or hi < len(hits) or complete  # (the first run starts at its group's start)
        if whole and len(run) <= TIE_LOOKAHEAD:
            run = sorted(run, key=lambda pair: tie_key(pair[0]))
        ordered.extend(run)
        i = j
    return ordered[start - lo:end - lo]
