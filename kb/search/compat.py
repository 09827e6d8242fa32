"""Fixes for bugs of the pinned whoosh-reloaded 2.7.5 that search relies on (tested in
tests/test_search_text.py; remove a fix only with its test).

- `AndNotMatcher` (used for NOT and for excluding what a reader may not see) checks its first document
  against the excluded matcher only if both start on the same document: when the excluded matcher starts
  earlier, the first candidate is returned even if it is excluded. We skip the excluded matcher forward
  first, as every later step already does.
- `BufferFile` (every file inside a compound segment: postings, stored fields, columns) wraps the segment's
  memory map in `BytesIO(buf)`, which COPIES the whole file into the process: a worker held most of the
  index in its own memory (825 MB at 261,000 documents), once per searcher. `_ViewFile` reads the memory
  map in place, so the pages are the OS's file cache, shared by every worker.
"""
from __future__ import annotations

import io
import os
import pickle
import threading
from typing import Any

from whoosh.filedb import structfile
from whoosh.matching.binary import AndNotMatcher


def _find_first(self: AndNotMatcher) -> None:
    if self.a.is_active() and self.b.is_active():
        self._find_next()


class _ViewFile:
    """A read-only file over a buffer (a memoryview of a memory map), without copying it. Its position is
    per thread: one searcher is shared by a process's threads (sharing.py), and Whoosh reads posting blocks
    and columns with seek() then read()."""

    def __init__(self, buf: Any) -> None:
        self._buf = memoryview(buf).cast("B") if not isinstance(buf, bytes) else memoryview(buf)
        self._local = threading.local()
        self._len = len(self._buf)

    @property
    def _pos(self) -> int:
        return getattr(self._local, "pos", 0)

    @_pos.setter
    def _pos(self, value: int) -> None:
        self._local.pos = value

    def read(self, n: int | None = -1) -> bytes:
        start = self._pos
        end = self._len if n is None or n < 0 else min(self._len, start + n)
        self._pos = max(start, end)
        return bytes(self._buf[start:end])

    def readinto(self, target: Any) -> int:
        data = self.read(len(target))
        target[:len(data)] = data
        return len(data)

    def readline(self, limit: int = -1) -> bytes:
        end = self._len if limit is None or limit < 0 else min(self._len, self._pos + limit)
        pos = self._pos
        while pos < end:
            chunk = bytes(self._buf[pos:min(end, pos + 256)])
            found = chunk.find(b"\n")
            if found >= 0:
                return self.read(pos + found + 1 - self._pos)
            pos += len(chunk)
        return self.read(end - self._pos)

    def __iter__(self) -> Any:
        while True:
            line = self.readline()
            if not line:
                return
            yield line

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: self._len}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self._buf = memoryview(b"")
        self._len = self._pos = 0


def _buffer_file_init(self: Any, buf: Any, name: str | None = None, onclose: Any = None) -> None:
    self._buf = buf
    self._name = name
    self.file = _ViewFile(buf)
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


def _buffer_read_pickle(self: Any) -> Any:
    """A pickled object at this thread's position, unpickled in C from a small copied window (growing
    until the whole pickle is in it) instead of by many Python-level reads."""
    view: _ViewFile = self.file
    start, size = view._pos, 4096
    while True:
        window = io.BytesIO(view._buf[start:start + size].tobytes())
        try:
            value = pickle.load(window)
        except Exception:  # noqa: BLE001 — the window cut the pickle short: widen it (or re-raise at the end)
            if start + size >= view._len:
                raise
            size *= 4
            continue
        view._pos = start + window.tell()
        return value


def apply() -> None:
    """Install the fixes (idempotent)."""
    AndNotMatcher._find_first = _find_first
    structfile.BufferFile.__init__ = _buffer_file_init
    structfile.BufferFile.read_pickle = _buffer_read_pickle
