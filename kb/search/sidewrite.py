"""Writing segments' side files (sidefile.py): called once a segment is committed.

`write_side_files(ix)` is the one hook: after the rebuild's commit (parallel_build.write_all) and after
the outbox's incremental commits (index.SearchIndex._write). It writes the file of every segment of the
index's latest generation that has none and holds at least sidefile.MIN_DOCS documents, reading the
postings once through Whoosh (the same decoding the fast path would do on a first search). It never
raises: a missing side file only means the fast path reads Whoosh's blocks, as before.
"""
from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
import time
import zlib
from array import array
from typing import Any, Iterable

from whoosh.formats import Positions

from .phrases import _decode_positions
from .postings import read_whoosh_postings
from whoosh.codec.whoosh3 import STORED_COLUMN
from whoosh.columns import CompressedBytesColumn, PickleColumn

from .sidefile import (
    _HEAD, _LITTLE, _NO_STORED, _RECORD, _TAIL2, EXT, MAGIC2, MIN_DOCS, _padded, _path, field_seed,
)

logger = logging.getLogger(__name__)


def _record(key: int, ids: Any, weights: Any, values: list[Any] | None, decode: Any) -> bytes:
    payload = array("i", ids).tobytes() + array("f", weights).tobytes()
    m = 0
    if values is not None:
        starts, positions = array("I", [0]), array("I")
        for value in values:
            positions.extend(decode(value))
            starts.append(len(positions))
        m = len(positions)
        payload += starts.tobytes() + positions.tobytes()
    return _RECORD.pack(key, len(ids), m, values is not None, zlib.crc32(payload)) + payload


def _term_set(covered: list[str], hashes: dict[int, tuple[bytes, int]]) -> tuple[bytes, int, int]:
    """A version-2 side file's term set (sidefile.py's module doc), its names' length and its crc32."""
    names = "\n".join(covered).encode("utf-8")
    order = sorted(hashes)
    terms = [hashes[h][0] for h in order]
    starts = array("I", [0])
    for term in terms:
        starts.append(starts[-1] + len(term))
    blob = b"".join(terms)
    body = (names + b"\0" * (_padded(len(names)) - len(names)) + array("I", order).tobytes()
            + array("q", [hashes[h][1] for h in order]).tobytes() + starts.tobytes()
            + blob + b"\0" * (_padded(len(blob)) - len(blob)))
    return body, len(names), zlib.crc32(body)


def _write_stored(out: Any, reader: Any) -> int:
    """Write the documents' stored fields as Whoosh keeps them decompressed, then their offsets and
    crc32s (sidefile.py's module doc); returns how many documents (_NO_STORED: not a stored column this
    code knows, nothing written)."""
    column = reader._perdoc._cached_reader("_stored", STORED_COLUMN)
    if type(column) is not PickleColumn.Reader or type(column._child) is not CompressedBytesColumn.Reader:
        return _NO_STORED
    raw_of = column._child.__getitem__  # (the decompressed bytes: what PickleColumn loads)
    docs = reader.doc_count_all()
    offsets, crcs = array("q", [0]), array("I")
    for docnum in range(docs):
        raw = raw_of(docnum) or b""
        out.write(raw)
        offsets.append(offsets[-1] + len(raw))
        crcs.append(zlib.crc32(raw))
    out.write(offsets.tobytes())
    out.write(crcs.tobytes())
    return docs


def write_side_file(reader: Any) -> bool:
    """Write the side file of a leaf reader's segment (False: not a segment on disk). Raises OSError."""
    path = _path(reader)
    if path is None or not _LITTLE:
        return False
    entries: list[tuple[int, int]] = []
    _remove_stale_tmp(path)
    tmp = f"{path}.{os.getpid()}_{threading.get_ident()}.tmp"  # (two workers may write the same file)
    covered: list[str] = []
    hashes: dict[int, tuple[bytes, int]] = {}  # hash → (its one term, its record or -1); several: -1
    with open(tmp, "wb") as out:
        out.write(_HEAD.pack(MAGIC2, 0, 0))
        offset = _HEAD.size
        for fieldname in reader.schema.names():
            field = reader.schema[fieldname]
            if field.format is None or getattr(field, "unique", False) or \
                    fieldname not in reader.indexed_field_names():
                continue  # (a unique key's terms each name one document: nothing to gain)
            positions = type(field.format) is Positions
            covered.append(fieldname)
            seed = field_seed(fieldname)
            prefix = fieldname.encode("utf-8") + b"\0"
            for btext in reader.lexicon(fieldname):
                value = zlib.crc32(btext, seed)  # every term, inlined ones too (the term set)
                hashes[value] = (b"", -1) if value in hashes else (prefix + btext, -1)
                info = reader._terms.term_info(fieldname, btext)
                if info._inlined is not None or info._offset is None:
                    continue
                ids, weights, values = read_whoosh_postings(reader, fieldname, btext, values=positions)
                if hashes[value][0] and len(ids) == info.doc_frequency():
                    hashes[value] = (prefix + btext, offset)
                record = _record(info._offset, ids, weights, values, _decode_positions)
                entries.append((info._offset, offset))
                out.write(record)
                offset += len(record)
        entries.sort()
        out.write(array("q", [k for k, _ in entries]).tobytes())
        out.write(array("q", [o for _, o in entries]).tobytes())
        terms_at = offset + 16 * len(entries)
        term_set, names_length, crc = _term_set(covered, hashes)
        out.write(term_set)
        docs = _write_stored(out, reader)
        out.write(_TAIL2.pack(terms_at, names_length, len(hashes), crc, terms_at + len(term_set), docs))
        out.write(MAGIC2)
        out.seek(0)
        out.write(_HEAD.pack(MAGIC2, len(entries), offset))
    os.replace(tmp, path)
    return True


#: A temporary side file older than this (seconds) was left by a writer that died: removed.
STALE_TMP_SECONDS = 600


def _remove_stale_tmp(path: str) -> None:
    """Remove the temporary files of `path` that a killed writer left (older than STALE_TMP_SECONDS).
    Those of segments merged away are removed by Whoosh with their segment (their names match its
    pattern)."""
    folder, name = os.path.split(path)
    limit = time.time() - STALE_TMP_SECONDS
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name.startswith(name + ".") and entry.name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    if entry.stat().st_mtime < limit:
                        os.remove(entry.path)


def _write_one(leaf: Any) -> bool:
    path = _path(leaf)
    try:
        return write_side_file(leaf)
    except Exception:  # noqa: BLE001 — derived data: never fail the commit that called this
        logger.exception("search side file %s not written", os.path.basename(path or "?"))
        with contextlib.suppress(OSError, TypeError):
            os.remove(f"{path}.{os.getpid()}_{threading.get_ident()}.tmp")
        return False


def _write_in_child(source: Any, segment_ids: set[str]) -> None:
    """A forked helper's work: the side files of `segment_ids`, read through a reader of its own (no
    file position shared with the parent). The parent counts the files written."""
    reader = source.storage.open_index(source.indexname).reader()
    try:
        for leaf, _offset in reader.leaf_readers():
            if leaf.segment().segment_id() in segment_ids:
                _write_one(leaf)
    finally:
        reader.close()


def write_side_files(source: Any, *, skip: Iterable[str] = (), min_docs: int | None = None,
                     procs: int = 1, background: bool = False) -> int:
    """Write the missing side files of the latest generation of the index that `source` (an index or
    the writer that just committed) belongs to: segments of at least MIN_DOCS documents, except those
    whose ids are in `skip` (an edit's commit skips the segments that were there before it), with up to
    `procs` processes (the rebuild's). Returns how many were written; logs and carries on if one cannot
    be written (never raises). `min_docs`: instead of MIN_DOCS. `background`: what an edit's commit
    asks: the files (a merge's new segment, seldom) are written by a thread, not while the request that
    committed waits (returns 0 then; the fast path reads Whoosh's blocks until they exist); the thread is
    not a daemon, so a command (`flask kb import`, a job) that ends just after its commit finishes the
    file before the process exits instead of leaving it half written."""
    skipped = set(skip)
    least = MIN_DOCS if min_docs is None else min_docs
    folder = getattr(source.storage, "folder", None)
    try:
        ix = source.storage.open_index(source.indexname)
        wanted = {s.segment_id() for s in ix._segments()
                  if s.segment_id() not in skipped and s.doc_count_all() >= least and folder is not None
                  and not os.path.exists(os.path.join(folder, s.make_filename(EXT)))}
        if not wanted:  # (an edit's commit, usually: no reader opened)
            return 0
        if background:
            thread = threading.Thread(target=write_side_files, name="kb-side-files", daemon=False,
                                      args=(source,), kwargs={"skip": skipped, "min_docs": least})
            thread.start()
            BACKGROUND.append(thread)
            del BACKGROUND[:-8]
            return 0
        reader = ix.reader()
    except Exception:  # noqa: BLE001 — derived data: never fail the commit that called this
        logger.exception("search side files: index not readable")
        return 0
    try:
        todo = [leaf for leaf, _offset in reader.leaf_readers()
                if _path(leaf) is not None and leaf.segment().segment_id() in wanted]
        todo.sort(key=lambda leaf: -leaf.doc_count_all())
        shares = [todo[i::max(1, procs)] for i in range(max(1, procs))]
        context = multiprocessing.get_context("fork")
        helpers = [context.Process(target=_write_in_child, daemon=True,
                                   args=(source, {leaf.segment().segment_id() for leaf in share}))
                   for share in shares[1:] if share]
        for helper in helpers:
            helper.start()
        written = sum(_write_one(leaf) for leaf in shares[0])
        for helper in helpers:
            helper.join()
        written += sum(1 for share in shares[1:] for leaf in share if os.path.exists(_path(leaf)))
    finally:
        reader.close()
    return written


#: The last few background writers started (tests wait for them).
BACKGROUND: list[threading.Thread] = []


__all__ = ["EXT", "write_side_file", "write_side_files"]
