"""Which segments an edit's commit merges: only small ones.

Whoosh's default policy (`MERGE_SMALL`) merges the smallest segments while their total stays under a
Fibonacci bound; with enough medium segments the bound reaches a large one, which is then rewritten under a
new name — and every cache kept for it (decoded postings, access-filter sets, carried-over answers: see
segcache.py, carryover.py) is lost, so the next search of every worker reads it again. `kb reindex --procs 2`
leaves a few large segments: edits should add to and merge only the small ones beside them.
"""
from __future__ import annotations

from typing import Any

from whoosh.writing import MERGE_SMALL

#: Segments holding at least this many documents (deleted ones included) are never merged by an edit's
#: commit (a rebuild writes them anew).
LARGE_SEGMENT_DOCS = 10_000


def merge_small_segments(writer: Any, segments: list[Any]) -> list[Any]:
    """A Whoosh merge policy: `MERGE_SMALL` over the segments under LARGE_SEGMENT_DOCS documents; large
    segments are kept as they are. Returns the segments kept unmerged (in their order)."""
    small = [s for s in segments if s.doc_count_all() < LARGE_SEGMENT_DOCS]
    if len(small) < 2:
        return segments
    unmerged = {id(s) for s in MERGE_SMALL(writer, small)}
    return [s for s in segments if s.doc_count_all() >= LARGE_SEGMENT_DOCS or id(s) in unmerged]
