"""One searcher per process, shared by its threads, refreshed segment by segment when the index changes.

Whoosh searchers can be read from several threads at once, so a process keeps ONE (`SharedSearcher`)
instead of one per thread (memory grew with the thread count). When the index gets a new generation (an
edit in any process), the next search opens a new searcher that REUSES the open readers of the segments
that did not change — their files, column readers and the per-segment caches (segcache.py) stay warm —
and opens only the new segments. A segment whose deleted set grew (a document of it was updated or
deleted) is reused through a light copy that sees the new deletions.

Whoosh's own `Searcher.refresh()` is not used: in whoosh-reloaded 2.7.5 it keeps merged-away segments and a
reused segment's old deletions (updated documents would be found twice), and it closes readers that a
search running in another thread may still be reading. Here nothing shared is ever closed explicitly: a
replaced searcher stays usable until the last search holding it returns, and its files are closed when
the last reference goes (Python's reference counting is the reference count).
"""
from __future__ import annotations

import copy
import logging
import threading
from pathlib import Path
from typing import Any, Callable

from whoosh import index as whoosh_index
from whoosh.reading import MultiReader, SegmentReader
from whoosh.searching import Searcher

from .schema import INDEX_NAME

logger = logging.getLogger(__name__)


def _deleted(segment: Any) -> frozenset[int]:
    return frozenset(segment.deleted_docs()) if segment.has_deletions() else frozenset()


def _reuse(reader: SegmentReader, segment: Any, generation: int) -> SegmentReader:
    """`reader` (same segment id as `segment`) as a reader of `segment` in `generation`: a shallow copy
    sharing the open files and caches, with the new segment object (its deleted set) and generation."""
    clone = copy.copy(reader)
    clone._segment = segment
    clone._gen = generation
    perdoc = copy.copy(reader._perdoc)
    perdoc._segment = segment
    clone._perdoc = perdoc
    clone.__dict__.pop("deleted_docs_set", None)  # a cached_property of the old deletions
    return clone


def open_reusing(path: Path, previous: Searcher | None) -> tuple[Searcher, int]:
    """A searcher on the index at `path`, reusing `previous`'s readers of unchanged segments. Returns the
    searcher and how many segments it reused. Raises what opening the index raises (FileNotFoundError
    while a commit removes files: the caller retries)."""
    ix = whoosh_index.open_dir(str(path), indexname=INDEX_NAME)
    if previous is None:
        return ix.searcher(), 0
    toc = ix._read_toc()
    old: dict[str, SegmentReader] = {}
    for reader, _offset in previous.reader().leaf_readers():
        if isinstance(reader, SegmentReader) and not reader.is_closed:
            old[reader.segment().segment_id()] = reader
    readers: list[SegmentReader] = []
    reused = 0
    for segment in toc.segments:
        known = old.get(segment.segment_id())
        if known is not None:
            readers.append(_reuse(known, segment, toc.generation))
            reused += 1
        else:
            readers.append(SegmentReader(ix.storage, toc.schema, segment, generation=toc.generation))
    if not readers:
        return ix.searcher(), 0
    reader = readers[0] if len(readers) == 1 else MultiReader(readers, generation=toc.generation)
    return Searcher(reader, fromindex=ix), reused


class SharedSearcher:
    """The process's one searcher of the live index, with the bookmark it holds (`load` reads it).

    `get(path)` returns (searcher, bookmark) for the index at `path`, opening a fresh one — reusing
    unchanged segments — when the index has a new generation. One thread opens at a time; the others wait
    for it rather than opening the same files again."""

    def __init__(self, load: Callable[[Searcher], Any]) -> None:
        self._load = load
        self._lock = threading.Lock()
        self._entry: tuple[Path, Searcher, Any] | None = None
        #: Segments reused by the last refresh (for tests and the benchmark).
        self.last_reused = 0

    def get(self, path: Path, open_fresh: Callable[[Path, Searcher | None], Searcher]
            ) -> tuple[Searcher, Any]:
        """(searcher, bookmark) of the live index at `path`; `open_fresh(path, previous)` opens a new one."""
        entry = self._entry
        if entry is not None and entry[0] == path and _current(entry[1]):
            return entry[1], entry[2]
        with self._lock:
            entry = self._entry
            if entry is not None and entry[0] == path and _current(entry[1]):
                return entry[1], entry[2]
            previous = entry[1] if entry is not None and entry[0] == path else None
            searcher = open_fresh(path, previous)
            bookmark = self._load(searcher)
            self._entry = (path, searcher, bookmark)
            return searcher, bookmark

    def forget(self) -> None:
        """Drop the shared searcher (not closed: a search still reading it finishes; see module doc)."""
        with self._lock:
            self._entry = None


def _current(searcher: Searcher) -> bool:
    try:
        return bool(searcher.up_to_date())
    except OSError:
        return False
