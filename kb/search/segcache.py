"""Per-segment caches shared by every thread and every searcher of this process, bounded by size.

A Whoosh segment never changes once written (only its set of deleted documents grows), so what is
computed from a segment's files — a term's decoded postings, the documents an access-filter query
matches — stays true for as long as the segment exists, across index generations: after an edit, a new
searcher reuses the unchanged segments' entries and only the new, small segment is read (see sharing.py).
Entries are keyed by the segment's id and dropped least-recently-used first when the cache holds more than
its budget of bytes (an estimate: 4 bytes per document number or weight, the length of encoded positions).
Entries that depend on deletions carry the segment's deleted count in their key (deletions only grow).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable, TypeVar

T = TypeVar("T")

#: What the shared cache may hold, in (estimated) bytes: decoded postings and access-filter sets of the
#: terms searched most. 64 MB keeps a worker's memory flat whatever the index size.
CACHE_BYTES = 64 * 1024 * 1024
#: Entries larger than this share of the budget are computed but not kept (one huge term must not evict
#: everything else).
MAX_ENTRY_SHARE = 0.25


class SegmentCache:
    """A thread-safe LRU map (segment id, key) → value, bounded by the estimated size of its values."""

    def __init__(self, budget: int = CACHE_BYTES) -> None:
        self.budget = budget
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[Any, ...], tuple[Any, int]] = OrderedDict()
        self.size = 0
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[Any, ...]) -> Any | None:
        """The cached value of `key` (None: not cached); marks it recently used."""
        with self._lock:
            item = self._items.get(key)
            if item is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return item[0]

    def put(self, key: tuple[Any, ...], value: Any, size: int) -> None:
        """Keep `value` (estimated `size` bytes), evicting the least recently used entries over budget."""
        if size > self.budget * MAX_ENTRY_SHARE:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.size -= old[1]
            self._items[key] = (value, size)
            self.size += size
            while self.size > self.budget and self._items:
                _key, (_value, dropped) = self._items.popitem(last=False)
                self.size -= dropped

    def get_or_compute(self, key: tuple[Any, ...], compute: Callable[[], T], size: Callable[[T], int]) -> T:
        """The cached value of `key`, computed (outside the lock) and kept if missing."""
        value = self.get(key)
        if value is None:
            value = compute()
            self.put(key, value, size(value))
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.size = 0

    def __len__(self) -> int:
        return len(self._items)


#: The one cache of this process.
CACHE = SegmentCache()


def segment_key(reader: Any) -> str | None:
    """The id of a leaf reader's segment (None: not a segment reader, nothing is cached for it)."""
    segment = getattr(reader, "segment", None)
    if segment is None:
        return None
    seg = segment()
    return seg.segment_id() if seg is not None else None


def ids_size(ids: Any) -> int:
    """The estimated size of a collection of document numbers (a set costs more than 4 bytes each; count
    what Python really spends, roughly)."""
    return 64 + 40 * len(ids)
