"""Writing a whole new index in bounded memory, with several processes (used by kb.search.maintenance).

Whoosh's own multiprocessing writer gives each process one segment: every posting of that process stays
in memory until the end (3.6 GB a process at 130,000 documents), or, with a lower `limitmb`, spills sorted
runs to disk that are merged back posting by posting in Python (50% more CPU). Here each process instead
closes its segment when the postings it holds reach `limitmb` (their estimated size) and starts a new one:
memory stays bounded, nothing is written twice, and the index has a few more segments (about `procs` +
total size / `limitmb`), which searches read as one. The segments are written by
kb.search.bulk_writer (the same segments as Whoosh's writer, in about half the time, ~20 bytes a posting
held instead of ~100).

The parent reads the documents from the database and hands them out in batches through a queue; each
worker analyses and writes them. All segments, with the parent's own (the bookmark), are then committed in
one table of contents, under the index's write lock, as Whoosh's multiprocessing writer does.

This module relies on Whoosh's writer internals (`_finalize_segment`, `_commit_toc`), as
`whoosh.multiproc` does; tests/test_reindex_bulk.py compares its index with a one-writer build.
"""
from __future__ import annotations

import gc
import logging
import multiprocessing
import queue as queue_module
from typing import Any, Iterable

from whoosh.codec import default_codec
from whoosh.writing import SegmentWriter

from . import bulk_writer
from .sidewrite import write_side_files

logger = logging.getLogger(__name__)

#: Documents per batch handed to a worker process (pickled through a pipe).
BATCH_DOCS = 500
#: A worker that sends nothing for this long (seconds) is taken for dead.
RESULT_TIMEOUT = 3600
#: `limitmb` given to each Whoosh segment writer: high, so that it never spills runs; we close segments.
_NO_SPILL_MB = 1 << 20


class _Segments:
    """Writes documents into segments of at most `limitmb` (estimated) postings each."""

    def __init__(self, ix: Any, limitmb: int) -> None:
        self.ix, self.limit = ix, limitmb * 1024 * 1024
        self.segments: list[Any] = []
        self.writer: SegmentWriter | None = None

    def add(self, doc: dict[str, Any]) -> None:
        if self.writer is None:
            self.writer = _segment_writer(self.ix)
        self.writer.add_document(**doc)
        if _held_bytes(self.writer) >= self.limit:
            self.close_segment()

    def close_segment(self) -> None:
        writer, self.writer = self.writer, None
        if writer is None:
            return
        if writer.docnum:
            self.segments.append(writer._finalize_segment())
        else:
            writer._close_segment()
        # (the temp folder is the index's, shared by every writer: the owner's _finish removes it)

    def cancel(self) -> None:
        if self.writer is not None:
            self.writer._close_segment()
            self.writer = None


def _segment_writer(ix: Any) -> SegmentWriter:
    """A writer for one new segment: ours (kb.search.bulk_writer: the same segment, written faster) when it
    supports the schema, else Whoosh's."""
    schema = ix.schema
    if bulk_writer.supports(schema, default_codec()):
        return bulk_writer.BulkSegmentWriter(ix, limitmb=_NO_SPILL_MB)
    return SegmentWriter(ix, _lk=False, limitmb=_NO_SPILL_MB)


def _held_bytes(writer: SegmentWriter) -> int:
    """The postings `writer` holds in memory: our estimate, or Whoosh's own (`pool.currentsize`)."""
    if isinstance(writer, bulk_writer.BulkSegmentWriter):
        return writer.estimated_bytes()
    return writer.pool.currentsize


def _work(ix: Any, limitmb: int, jobs: Any, results: Any) -> None:
    """A worker process: write the batches from `jobs` until None, then put its segments on `results`."""
    segments = _Segments(ix, limitmb)
    try:
        while (batch := jobs.get()) is not None:
            for doc in batch:
                segments.add(doc)
            # What a batch leaves (postings) lives until the segment is written: out of the collector's
            # sight, its full collections stay cheap (a fifth of a worker's time otherwise). This
            # process ends after the rebuild; the rare cyclic garbage frozen meanwhile ends with it.
            gc.freeze()
        segments.close_segment()
        results.put(("ok", segments.segments))
    except BaseException as exc:  # the parent raises it
        segments.cancel()
        results.put(("error", repr(exc)))


def write_all(ix: Any, documents: Iterable[dict[str, Any]], last: dict[str, Any], *, procs: int,
              limitmb: int) -> int:
    """Write `documents` and then `last` (the bookmark) into the empty index `ix` with `procs` processes
    (1: in this process), each holding at most about `limitmb` MB of postings; returns the number of
    documents (without `last`). Raises RuntimeError if a worker fails; the caller removes the folder."""
    owner = ix.writer()  # the write lock, and the segment of the bookmark
    try:
        if procs <= 1:
            count, segments = _write_here(ix, documents, limitmb)
        else:
            count, segments = _write_with_workers(ix, documents, procs=procs, limitmb=limitmb)
        owner.add_document(**last)
    except BaseException:
        owner.cancel()
        raise
    segments.append(owner._finalize_segment())
    owner._commit_toc(segments)
    owner._finish()
    write_side_files(ix, procs=procs)  # the segments' postings side files (sidefile.py): the fast path's
    logger.info("search index written: %s documents in %s segments", count, len(segments))
    return count


def _write_here(ix: Any, documents: Iterable[dict[str, Any]], limitmb: int) -> tuple[int, list[Any]]:
    segments, count = _Segments(ix, limitmb), 0
    try:
        for doc in documents:
            segments.add(doc)
            count += 1
        segments.close_segment()
    except BaseException:
        segments.cancel()
        raise
    return count, segments.segments


def _write_with_workers(ix: Any, documents: Iterable[dict[str, Any]], *, procs: int,
                        limitmb: int) -> tuple[int, list[Any]]:
    context = multiprocessing.get_context("fork")  # the workers inherit the open index and the analyzers
    jobs, results = context.Queue(procs * 2), context.Queue()
    workers = [context.Process(target=_work, args=(ix, limitmb, jobs, results), daemon=True)
               for _ in range(procs)]
    # The parent's objects frozen across the fork: the workers' collector never walks them (nor copies
    # their memory pages by touching them), as the gc module's documentation advises.
    gc.freeze()
    try:
        for worker in workers:
            worker.start()
    finally:
        gc.unfreeze()
    count, batch = 0, []
    try:
        for doc in documents:
            batch.append(doc)
            count += 1
            if len(batch) >= BATCH_DOCS:
                _put(jobs, batch, workers)
                batch = []
        if batch:
            _put(jobs, batch, workers)
        for _ in workers:
            _put(jobs, None, workers)
        segments = []
        for _ in workers:
            status, value = _get(results, workers)
            if status != "ok":
                raise RuntimeError(f"an index writer process failed: {value}")
            segments += value
        for worker in workers:
            worker.join()
        return count, segments
    except BaseException:
        for worker in workers:
            if worker.is_alive():
                worker.kill()
            worker.join()
        # Batches still buffered for the dead workers would keep the queues' feeder threads writing to
        # pipes nobody reads, and the process would hang at exit joining them.
        for q in (jobs, results):
            q.cancel_join_thread()
            q.close()
        raise


def _put(jobs: Any, item: Any, workers: list[Any]) -> None:
    """Hand `item` to the workers; raises RuntimeError if one of them died (killed, out of memory)."""
    while True:
        try:
            return jobs.put(item, timeout=1.0)
        except queue_module.Full:
            _check_alive(workers)


def _get(results: Any, workers: list[Any]) -> tuple[str, Any]:
    """The next worker's result; raises RuntimeError if a worker died without one (or after RESULT_TIMEOUT)."""
    for _ in range(RESULT_TIMEOUT):
        try:
            return results.get(timeout=1.0)
        except queue_module.Empty:
            _check_alive(workers)
    raise RuntimeError("the index writer processes did not finish")


def _check_alive(workers: list[Any]) -> None:
    dead = [w.exitcode for w in workers if not w.is_alive() and w.exitcode not in (0, None)]
    if dead:
        raise RuntimeError(f"an index writer process died (exit code {dead[0]})")
