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

from .documents import build_documents, iter_all_documents
from .schema import INDEX_NAME, META_KEY, build_schema

if TYPE_CHECKING:
    from .index import SearchIndex

logger = logging.getLogger(__name__)

#: Memory (MB) each rebuild writer process may buffer before spilling sorted runs to disk; merging spilled
#: runs is what made big rebuilds slow (100k documents, 2 processes: 363 s at 512 MB, 124 s at 4096 MB).
#: It is a ceiling, used only as documents accumulate: ~3.6 GB resident per process at 100k documents.
REBUILD_LIMITMB = 4096
#: The same ceiling for rebuilds a web worker starts by itself (index folder lost, schema changed): a
#: worker must not grow by gigabytes; `flask kb reindex` (its own process) uses REBUILD_LIMITMB.
WORKER_REBUILD_LIMITMB = 256


@contextmanager
def rebuild_lock(root: Path) -> Iterator[None]:
    """One rebuild at a time across processes; the OS releases the lock if the holder dies."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / "rebuild.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


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
            limitmb: int = WORKER_REBUILD_LIMITMB) -> int:
    """Write every document into a new folder, then point `current` at it; searches use the old index
    until the swap. Events committed meanwhile are applied by the catch-up that follows."""
    from .index import Bookmark

    with rebuild_lock(index.root):
        if only_if_missing and index.live_path() is not None:
            return 0
        _remove_stale_generations(index)
        new_dir = index.root / f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns()}"
        new_dir.mkdir()
        ix = whoosh_index.create_in(str(new_dir), build_schema(), indexname=INDEX_NAME)
        count = 0
        with index.db() as session:
            # Read the outbox head first: whatever commits later is replayed on top (replays are idempotent).
            head = session.scalar(select(func.max(IndexEvent.id))) or 0
            kwargs = {"procs": procs, "multisegment": True} if procs > 1 else {}
            writer = ix.writer(limitmb=limitmb, **kwargs)
            try:
                for doc in iter_all_documents(session):
                    writer.add_document(**doc)
                    count += 1
                writer.add_document(**Bookmark(last_id=head).document())
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
        _swap(index, new_dir)
        logger.info("search index rebuilt: %s documents in %s", count, new_dir.name)
    index.catch_up()
    return count


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


def check(index: SearchIndex, *, repair: bool = False) -> CheckReport:
    """Compare the index (after catching up) with documents built from the database now."""
    index.catch_up()
    reader = index.searcher().reader()
    indexed = {f["key"]: f.get("digest") for f in reader.all_stored_fields() if f.get("key") != META_KEY}
    with index.db() as session:
        expected = {doc["key"]: doc["digest"] for doc in iter_all_documents(session)}
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
