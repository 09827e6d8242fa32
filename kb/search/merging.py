"""Which segments an edit's commit merges: only small ones.

Whoosh's default policy (`MERGE_SMALL`) merges the smallest segments while their total stays under a
Fibonacci bound; with enough medium segments the bound reaches a large one, which is then rewritten under a
new name — and every cache kept for it (decoded postings, access-filter sets, carried-over answers: see
segcache.py, carryover.py) is lost, so the next search of every worker reads it again. `kb reindex --procs 2`
leaves a few large segments: edits should add to and merge only the small ones beside them.

A large segment is rewritten once most of what it held is gone: when more than RECLAIM_DELETED of its
documents are deleted (edits replace documents, so a long-lived index would otherwise keep every old
version until the next `kb reindex`). That costs one rewrite and its caches, seldom.
"""
from __future__ import annotations

from typing import Any

from whoosh.reading import SegmentReader
from whoosh.writing import MERGE_SMALL

#: Segments holding at least this many documents (deleted ones included) are never merged by an edit's
#: commit (a rebuild writes them anew).
LARGE_SEGMENT_DOCS = 10_000
#: A large segment with more than this share of its documents deleted is merged (its space reclaimed).
RECLAIM_DELETED = 0.25


def _worn(segment: Any) -> bool:
    return segment.deleted_count() > RECLAIM_DELETED * segment.doc_count_all()


def merge_small_segments(writer: Any, segments: list[Any]) -> list[Any]:
    """A Whoosh merge policy: `MERGE_SMALL` over the segments under LARGE_SEGMENT_DOCS documents; large
    segments are kept as they are unless worn (more than RECLAIM_DELETED deleted), which are merged so
    their deleted documents go. Returns the segments kept unmerged (in their order)."""
    small = [s for s in segments if s.doc_count_all() < LARGE_SEGMENT_DOCS]
    unmerged = {id(s) for s in MERGE_SMALL(writer, small)} if len(small) >= 2 else {id(s) for s in small}
    worn = [s for s in segments if s.doc_count_all() >= LARGE_SEGMENT_DOCS and _worn(s)]
    for segment in worn:  # a merge policy merges by adding the segment's live documents to the writer
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments
            if (s.doc_count_all() >= LARGE_SEGMENT_DOCS and not _worn(s)) or id(s) in unmerged]
