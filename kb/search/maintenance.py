"""Full rebuilds (beside the live index, swapped in atomically) and index checks against the database."""
from __future__ import annotations

import fcntl
import logging
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from sqlalchemy import func, select
from whoosh import index as whoosh_index

from models import IndexEvent

from . import build_compat
from .bulk_documents import iter_bulk_documents
from .check_digests import compare_digests
from .documents import build_documents
from .parallel_build import write_all
from .schema import INDEX_NAME, build_schema

if TYPE_CHECKING:
    from .index import SearchIndex

logger = logging.getLogger(__name__)
build_compat.apply()
#: The documents of a full rebuild (the name tests patch, as before the bulk reader).
iter_all_documents = iter_bulk_documents

#: Postings (MB, as Whoosh estimates them) each rebuild writer process holds before it closes its segment and
#: starts a new one (parallel_build.py). Spilling sorted runs instead made big rebuilds slow, and one segment
#: per process held everything (4.6 GB peak at 261,000 documents with 4096). The rebuild's writer
#: (bulk_writer.py) holds ~20 bytes a posting against ~100 in Whoosh's pool, and its estimate is close to
#: what it holds (0.9×): 512 MB is ~25 million postings (~85,000 bench documents) a segment.
REBUILD_LIMITMB = 512
#: The same ceiling for rebuilds a web worker starts by itself (index folder lost, schema changed): a
#: worker must not grow by gigabytes; `flask kb reindex` (its own process) uses REBUILD_LIMITMB.
WORKER_REBUILD_LIMITMB = 256
#: A web worker that finds the index missing waits this long (seconds) for another process's rebuild,
#: then answers "unavailable" instead of holding the request for the whole rebuild.
REBUILD_WAIT = 2.0


class RebuildBusy(Exception):
    """Another process held the rebuild lock for longer than we were willing to wait."""


@contextmanager
def rebuild_lock(root: Path, *, wait: float | None = None) -> Iterator[None]:
    """One rebuild at a time across processes; the OS releases the lock if the holder dies. With `wait`,
    gives up after that many seconds with RebuildBusy; without, waits as long as it takes."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / "rebuild.lock", "a+") as handle:
        if wait is None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        else:
            _lock_within(handle, wait)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _lock_within(handle: object, wait: float) -> None:
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise RebuildBusy("another process is rebuilding the search index") from None
            time.sleep(0.05)


def _remove_stale_generations(index: SearchIndex) -> None:
    """Delete index folders other than the live one (left by earlier rebuilds or killed ones)."""
    live = index.live_path()
    for path in index.root.glob("gen-*"):
        if live is None or path.resolve() != live.resolve():
            shutil.rmtree(path, ignore_errors=True)


def _swap(index: SearchIndex, new_dir: Path) -> None:
    tmp = index.root / f".current-{os.getpid()}"
    if tmp.is_symlink():
        tmp.unlink()
    os.symlink(new_dir.name, tmp)
    os.replace(tmp, index.link)


def rebuild(index: SearchIndex, *, only_if_missing: bool = False, procs: int = 1,
            limitmb: int = WORKER_REBUILD_LIMITMB, wait: float | None = None,
            only_if_outdated: bool = False) -> int:
    """Write every document into a new folder, then point `current` at it; searches use the old index
    until the swap. Events committed meanwhile are applied by the catch-up that follows. A rebuild that
    fails (say the disk is full) removes its partial folder before it raises. `wait`: see rebuild_lock.
    `only_if_missing` / `only_if_outdated` (a web worker's rebuilds): re-checked after taking the lock, so
    a process that waited while another rebuilt uses that index (returns 0) instead of building again;
    an outdated generation is removed right after the swap (no worker searches an index of another
    schema)."""
    with rebuild_lock(index.root, wait=wait):
        if only_if_missing and index.live_path() is not None:
            return 0
        if only_if_outdated and not index.outdated():
            return 0
        _remove_stale_generations(index)
        new_dir = index.root / f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns()}"
        try:
            count = _build(index, new_dir, procs=procs, limitmb=limitmb)
        except BaseException:
            shutil.rmtree(new_dir, ignore_errors=True)  # a partial index must not keep filling the disk
            raise
        _swap(index, new_dir)
        if only_if_outdated:
            _remove_stale_generations(index)
        logger.info("search index rebuilt: %s documents in %s", count, new_dir.name)
    if only_if_missing or only_if_outdated:
        index.guarded_catch_up()  # a web worker: a failing catch-up must not undo a good rebuild
    else:
        index.catch_up()
    return count


def _build(index: SearchIndex, new_dir: Path, *, procs: int, limitmb: int) -> int:
    from .index import Bookmark

    new_dir.mkdir()
    ix = whoosh_index.create_in(str(new_dir), build_schema(), indexname=INDEX_NAME)
    with index.db() as session:
        # Read the outbox head first: whatever commits later is replayed on top (replays are idempotent).
        head = session.scalar(select(func.max(IndexEvent.id))) or 0
        return write_all(ix, iter_all_documents(session), Bookmark(last_id=head).document(), procs=procs,
                         limitmb=limitmb)


@dataclass
class CheckReport:
    """Differences between the index and the database (document keys)."""

    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    outdated: list[str] = field(default_factory=list)
    repaired: bool = False

    @property
    def ok(self) -> bool:
        return not (self.missing or self.extra or self.outdated)


def check(index: SearchIndex, *, repair: bool = False, procs: int = 2) -> CheckReport:
    """Compare the index (after catching up) with documents built from the database now, by their digests
    (check_digests.py; `procs` 2: two processes). Raises RuntimeError if the second process fails."""
    index.catch_up()
    indexed, expected = compare_digests(index, procs=procs)
    report = CheckReport(
        missing=sorted(expected.keys() - indexed.keys()),
        extra=sorted(indexed.keys() - expected.keys()),
        outdated=sorted(k for k in expected.keys() & indexed.keys() if expected[k] != indexed[k]),
    )
    if repair and not report.ok:
        _repair(index, report.missing + report.extra + report.outdated)
        report.repaired = True
    return report


def _repair(index: SearchIndex, keys: list[str]) -> None:
    """Rewrite `keys` from the database, under the writer lock (so no older write lands after ours)."""
    path = index.live_path()
    assert path is not None
    writer = index.writer(path)
    try:
        with index.db() as session:
            docs = build_documents(session, keys)
        for key, doc in docs.items():
            if doc is None:
                writer.delete_by_term("key", key)
            else:
                writer.update_document(**doc)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
