"""A compact copy of a segment's postings beside it, read by the fast path instead of Whoosh's blocks.

Whoosh keeps a term's postings as pickled, zlib-compressed blocks of 128 documents, each document's
positions pickled again inside; reading a common word the first time costs more than FTS5's whole query.
When a segment is committed (`write_side_files`, called after the rebuild's and the outbox's commits),
its postings are also written to `<segment id>.kbp` in the index folder, as plain little-endian arrays:

    header   b"KBP1", entries (uint32), directory offset (uint64)
    records  per term: its Whoosh postings offset (int64), documents n (uint32), positions m (uint32),
             has positions (uint32), crc32 of the payload (uint32); then the payload: document numbers
             (n int32), weights (n float32), and if it has positions, the start of each document's
             positions (n + 1 uint32) and the positions (m uint32)
    directory  the terms' Whoosh postings offsets, ascending (int64 each), then their records' offsets
    trailer  b"KBP1"

Version 2 (b"KBP2" at both ends) adds, between the directory and the trailer:
- the segment's *term set*: the names of the fields it covers (UTF-8, newline-separated, padded to 4
  bytes), then the sorted distinct 32-bit hashes (`term_hash`) of every term of those fields — inlined
  ones too — and, for each hash, the offset of its record (int64; -1: none, or several terms share the
  hash) and its term (`field\0term`; the terms one after the other, found by n + 1 uint32 offsets, then
  padded to 4 bytes). A term whose hash is not there is surely not in the segment (`SideFile.find`): a
  miss, the usual case of a phone number's or pinyin's words in the text fields, is answered without
  Whoosh's term table (~4 µs a segment and field, more cold); a held term is found by its hash and its
  bytes compared (a hash shared by several terms: Whoosh is asked).
- the documents' *stored fields* as Whoosh keeps them once decompressed (each document's pickled dict;
  empty: none): the bytes one after the other, then their offsets from the first (n + 1 uint64) and
  their crc32s (n uint32). A hit's fields are then one pickle load (`SideFile.stored`), not a zlib
  decompression (~6 µs a hit, ~12 µs with Whoosh's layers).
- a tail: the term set's offset (uint64), the names' length, the hashes' count, the crc32 of the term
  set (uint32 each), the stored fields' offset (uint64) and their documents (uint32; 0xffffffff: none).

A term is found by its Whoosh postings offset (from its term info, unique in the segment); terms whose
postings Whoosh keeps inline in the term info are not copied (they cost nothing to read). The file is
memory-mapped (its pages are shared by the workers and reclaimable). Whoosh deletes it with its segment
(its name matches the segment's files: whoosh.index.clean_files). It is derived data: a segment without
one (an older index, a failed write) or with one that does not check out (truncated, a record whose
header or checksum disagrees) is read from Whoosh's blocks as before — never a wrong answer.
"""
from __future__ import annotations

import logging
import mmap
import os
import struct
import threading
import time
import zlib
from array import array
from bisect import bisect_left
from collections import OrderedDict
from typing import Any

from whoosh.reading import TermNotFound

logger = logging.getLogger(__name__)

EXT = ".kbp"
MAGIC = b"KBP1"
#: The version with the term set (see the module doc); both are read.
MAGIC2 = b"KBP2"
_HEAD = struct.Struct("<4sIQ")
_RECORD = struct.Struct("<qIIII")
_TAIL2 = struct.Struct("<QIIIQI")
_NO_STORED = 0xFFFFFFFF
#: Segments with fewer documents get no side file (an edit's tiny segment is read fast as it is).
MIN_DOCS = 1000
#: Side files kept open (one per live segment; older ones are dropped, their maps closed when unused).
OPEN_FILES = 64
#: Seconds before a segment's missing side file is looked for again.
MISSING_RETRY = 5.0
#: What side_postings answers for a term the segment does not hold (no need to ask Whoosh again).
ABSENT = (array("i"), array("f"), None)
#: Whether records are read with pread (POSIX); elsewhere from the map.
_PREAD = hasattr(os, "pread")
#: What SideFile.find answers for a term the segment surely does not hold.
ABSENT_AT = -1
#: Whether this machine stores arrays little-endian (the file's order); if not, side files are not used.
_LITTLE = array("i", [1]).tobytes()[0] == 1


class PositionLists:
    """Each document's positions of a term, from a side file: `[i]` is a tuple of the i-th posting's
    positions (what phrases.py gets by decoding Whoosh's encoded values)."""

    __slots__ = ("starts", "positions")

    def __init__(self, starts: Any, positions: Any) -> None:
        self.starts = starts
        self.positions = positions

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __getitem__(self, i: int) -> tuple[int, ...]:
        return tuple(self.positions[self.starts[i]:self.starts[i + 1]])

    def __iter__(self) -> Any:
        positions, starts = self.positions, self.starts
        return (tuple(positions[starts[i]:starts[i + 1]]) for i in range(len(starts) - 1))

    def size(self) -> int:
        """Estimated bytes held."""
        return 64 + 4 * (len(self.starts) + len(self.positions))


def _path(reader: Any) -> str | None:
    storage = getattr(reader, "_storage", None)
    storage = getattr(storage, "b", storage)  # a compound segment's files overlay the index's folder
    folder = getattr(storage, "folder", None)
    segment = reader.segment() if hasattr(reader, "segment") else None
    if folder is None or segment is None:
        return None
    return os.path.join(folder, segment.make_filename(EXT))


class SideFile:
    """One segment's side file, memory-mapped; `postings` answers from it or says to read Whoosh's."""

    def __init__(self, path: str) -> None:
        # Mapped to check and copy the parts read whole at opening; a record or a document is read with
        # pread: a first touch of a mapped page costs a page fault (~5 µs here), more than the read.
        self._fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        try:
            self._map = mmap.mmap(self._fd, 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            os.close(self._fd)
            raise
        size = len(self._map)
        if size < _HEAD.size + len(MAGIC):
            raise ValueError("side file too short")
        magic, entries, directory = _HEAD.unpack_from(self._map, 0)
        end = directory + 16 * entries
        view = memoryview(self._map)
        #: field name → its hash seed, for the fields whose every term is in the term set (version 2).
        self._seeds: dict[str, int] = {}
        self._prefixes: dict[str, bytes] = {}
        self._hashes: Any = ()
        self._records: Any = ()
        self._terms: tuple[Any, bytes] = ((), b"")
        self._stored: tuple[int, Any, Any] | None = None  # (first byte, offsets, crc32s)
        if magic == MAGIC2 and self._map[-4:] == MAGIC2 and size >= end + _TAIL2.size + len(MAGIC2):
            self._read_v2(view, end, size - len(MAGIC2) - _TAIL2.size)
        elif magic != MAGIC or end + len(MAGIC) != size or self._map[-4:] != MAGIC:
            raise ValueError("side file truncated or not one")
        self._keys = _copied("q", view[directory:directory + 8 * entries])
        self._offsets = _copied("q", view[directory + 8 * entries:end])
        self.broken = False

    def _read_v2(self, view: memoryview, start: int, tail: int) -> None:
        """Check and map a version-2 file's term set and stored fields (from `start` to the tail at
        `tail`). A part that does not check out raises ValueError: the whole file is suspect."""
        offset, names_length, count, crc, stored_at, docs = _TAIL2.unpack_from(self._map, tail)
        hashes_at = offset + _padded(names_length)
        records_at = hashes_at + 4 * count
        starts_at = records_at + 8 * count
        blob_at = starts_at + 4 * (count + 1)
        if offset != start or blob_at > tail:
            raise ValueError("side file truncated or not one")
        starts = _copied("I", view[starts_at:blob_at])
        if stored_at != blob_at + _padded(starts[count]) or stored_at > tail:
            raise ValueError("side file truncated or not one")
        if zlib.crc32(view[offset:stored_at]) != crc:
            raise ValueError("side file term set checksum")
        names = bytes(view[offset:offset + names_length]).decode("utf-8")
        self._seeds = {name: field_seed(name) for name in names.split("\n") if name}
        self._prefixes = {name: name.encode("utf-8") + b"\0" for name in self._seeds}
        self._hashes = _copied("I", view[hashes_at:records_at])
        self._records = _copied("q", view[records_at:starts_at])
        self._terms = (starts, bytes(view[blob_at:blob_at + starts[count]]))
        if docs == _NO_STORED:
            if stored_at != tail:
                raise ValueError("side file truncated or not one")
            return
        offsets_at = tail - 4 * docs - 8 * (docs + 1)
        if offsets_at < stored_at:
            raise ValueError("side file truncated or not one")
        offsets = _copied("q", view[offsets_at:offsets_at + 8 * (docs + 1)])
        if offsets[0] != 0 or offsets[docs] != offsets_at - stored_at:
            raise ValueError("side file stored fields")
        self._stored = (stored_at, offsets, _copied("I", view[tail - 4 * docs:tail]))

    def _read(self, offset: int, length: int) -> bytes:
        """`length` bytes from `offset` (fewer at the end of the file)."""
        if length <= 0:
            return b""
        return os.pread(self._fd, length, offset) if _PREAD else self._map[offset:offset + length]

    def close(self) -> None:
        """Let go of the file (its map is closed when no array taken from it is left)."""
        fd, self._fd = getattr(self, "_fd", -1), -1
        if fd >= 0:
            os.close(fd)

    def __del__(self) -> None:
        self.close()

    def stored(self, docnum: int) -> bytes | None:
        """The pickled stored fields of a document as Whoosh keeps them decompressed (b"": none); None:
        not here (a version-1 file, or a record that does not check out: read Whoosh's)."""
        stored = self._stored
        if stored is None or not 0 <= docnum < len(stored[2]):
            return None
        base, offsets, crcs = stored
        raw = self._read(base + offsets[docnum], offsets[docnum + 1] - offsets[docnum])
        if zlib.crc32(raw) != crcs[docnum]:
            self._stored = None
            logger.warning("search side file's stored fields ignored (checksum): read from the segment")
            return None
        return raw

    def find(self, fieldname: str, btext: bytes) -> int | None:
        """Where the record of term `btext` of `fieldname` starts; ABSENT_AT: the segment surely holds no
        such term (no term of the field has its hash, or the one that has is another); None: not known
        here (a version-1 file, a field not covered, a hash several terms share: ask Whoosh)."""
        seed = self._seeds.get(fieldname)
        if seed is None:
            return None
        value = zlib.crc32(btext, seed)
        hashes = self._hashes
        i = bisect_left(hashes, value)
        if i == len(hashes) or hashes[i] != value:
            return ABSENT_AT
        at = self._records[i]
        if at < 0:
            return None
        starts, blob = self._terms
        if blob[starts[i]:starts[i + 1]] != self._prefixes[fieldname] + btext:
            return ABSENT_AT  # (the one term with this hash is another: this one's would be here)
        return at

    def lacks(self, fieldname: str, btext: bytes) -> bool:
        """Whether the segment surely holds no term `btext` in `fieldname` (exact; False: it may)."""
        return self.find(fieldname, btext) == ABSENT_AT

    def doc_frequency(self, fieldname: str, btext: bytes) -> int | None:
        """How many documents hold the term (deleted ones included, as Whoosh counts); None: ask Whoosh."""
        at = self.find(fieldname, btext)
        if at is None or at == ABSENT_AT:
            return 0 if at == ABSENT_AT else None
        head = self._read(at, _RECORD.size)
        return _RECORD.unpack(head)[1] if len(head) == _RECORD.size else None

    def postings(self, key: int, count: int, values: bool) -> tuple[Any, Any, Any] | None:
        """(ids, weights, PositionLists or None) of the term whose Whoosh postings start at `key` and hold
        `count` documents; None: not here (or the record does not check out: read Whoosh's blocks)."""
        if self.broken:
            return None
        keys = self._keys
        i = bisect_left(keys, key)
        if i >= len(keys) or keys[i] != key:
            return None
        return self.record(self._offsets[i], values, key, count)

    def record(self, start: int, values: bool, key: int | None = None, count: int | None = None
               ) -> tuple[Any, Any, Any] | None:
        """(ids, weights, PositionLists or None) of the record at `start` (its header checked against
        `key` and `count` when given); None: read Whoosh's blocks."""
        if self.broken:
            return None
        try:
            first = self._read(start, _RECORD.size + 12 * (count or 0) + 4)  # (header, ids, weights, starts)
            found, n, m, has_positions, crc = _RECORD.unpack_from(first, 0)
            if key is not None and (found != key or n != count):
                raise ValueError("record header")
            if values and not has_positions:
                return None  # (a field without positions: Whoosh's path says what it has)
            length = 8 * n + (4 * (n + 1 + m) if has_positions else 0)
            payload = first[_RECORD.size:_RECORD.size + length]
            if len(payload) < length:
                payload += self._read(start + len(first), length - len(payload))
            if len(payload) != length or zlib.crc32(payload) != crc:
                raise ValueError("record checksum")
        except (ValueError, struct.error, IndexError) as exc:
            self.broken = True
            logger.warning("search side file ignored (%s): postings read from the segment", exc)
            return None
        ids, weights = array("i"), array("f")
        ids.frombytes(payload[:4 * n])
        weights.frombytes(payload[4 * n:8 * n])
        if not values:
            return ids, weights, None
        starts, positions = array("I"), array("I")
        starts.frombytes(payload[8 * n:8 * n + 4 * (n + 1)])
        positions.frombytes(payload[8 * n + 4 * (n + 1):])
        return ids, weights, PositionLists(starts, positions)


def _copied(typecode: str, data: memoryview) -> array:
    """`data` as an array in this process's memory: the arrays every look-up bisects or indexes (a few MB
    a segment). Read in place from the map, each look-up touched pages of its own the first time (a page
    fault each, ~1 µs: the most of a cold query's cost of a term)."""
    out = array(typecode)
    out.frombytes(data)
    return out


def field_seed(fieldname: str) -> int:
    """The start value of a field's term hashes."""
    return zlib.crc32(fieldname.encode("utf-8") + b"\0")


def term_hash(fieldname: str, btext: bytes, seed: int | None = None) -> int:
    """The 32-bit hash of a term in a version-2 side file's term set (crc32 of the field name, a zero
    byte and the term's bytes)."""
    return zlib.crc32(btext, field_seed(fieldname) if seed is None else seed)


def _padded(n: int) -> int:
    return n + (-n % 4)


#: path → (its side file or None, when to look again for a missing one).
_OPEN: OrderedDict[str, tuple[SideFile | None, float]] = OrderedDict()
_LOCK = threading.Lock()


def side_file(reader: Any) -> SideFile | None:
    """The side file of a leaf reader's segment (None: it has none, or one that does not check out). A
    missing file is looked for again after MISSING_RETRY seconds (it is written just after its commit,
    and another process may open the new segment first)."""
    path = reader.__dict__.get("_kb_side_path", False)
    if path is False:
        path = reader.__dict__["_kb_side_path"] = _path(reader) if _LITTLE else None
    if path is None:
        return None
    with _LOCK:
        entry = _OPEN.get(path)
        if entry is not None and (entry[0] is not None or entry[1] > time.monotonic()):
            _OPEN.move_to_end(path)
            return entry[0]
    retry = float("inf")
    try:
        found: SideFile | None = SideFile(path)
    except FileNotFoundError:
        found, retry = None, time.monotonic() + MISSING_RETRY
    except (OSError, ValueError, struct.error) as exc:
        logger.warning("search side file %s ignored: %s", os.path.basename(path), exc)
        found = None
    with _LOCK:
        for gone in [p for p, (side, _retry) in _OPEN.items() if side is not None and not os.path.exists(p)]:
            del _OPEN[gone]  # a merged or rebuilt segment's file: its map (and disk space) let go
        _OPEN[path] = (found, retry)
        while len(_OPEN) > OPEN_FILES:
            _OPEN.popitem(last=False)
    return found


def forget() -> None:
    """Drop every open side file (tests; a process that removed index folders)."""
    with _LOCK:
        _OPEN.clear()


def side_postings(reader: Any, fieldname: str, btext: bytes, values: bool) -> tuple[Any, Any, Any] | None:
    """A term's (ids, weights, positions or None) from its segment's side file (ABSENT: the segment does
    not hold the term); None: read Whoosh's blocks."""
    side = side_file(reader)
    if side is None:
        return None
    at = side.find(fieldname, btext)
    if at == ABSENT_AT:
        return ABSENT
    if at is not None:
        found = side.record(at, values)
        if found is not None:
            return found
    try:
        info = reader._terms.term_info(fieldname, btext)
    except (TermNotFound, KeyError, ValueError):  # not a term of the segment (Whoosh's matcher: the same)
        return ABSENT
    if info._inlined is not None or info._offset is None:
        return None
    return side.postings(info._offset, info.doc_frequency(), values)
