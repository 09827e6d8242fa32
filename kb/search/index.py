"""The Whoosh index on disk: where it lives, catching up from the outbox, searchers and writers.

Layout under SEARCH_INDEX_DIR::

    current -> gen-20261126T170000-1234   (symlink; swapped atomically by a rebuild)
    gen-.../                               (a Whoosh index, name "kb")
    rebuild.lock                           (one rebuild at a time, across processes)

The index holds one bookkeeping document (`META_KEY`) with the highest outbox event id it has applied
(`last_id`), the ids below it not seen yet (`gaps`: transactions still in flight on PostgreSQL, whose
sequence values commit out of order; forgotten after GAP_TTL seconds) and the schema version. It is
updated in the same Whoosh commit as the documents, so the index and its bookmark never disagree.
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, sessionmaker
from whoosh import index as whoosh_index
from whoosh.index import LockError
from whoosh.searching import Searcher
from whoosh.writing import SegmentWriter

from models import IndexEvent

from .backoff import WriteBackoff
from .capture import INTERNAL
from .documents import Document, build_documents, doc_key
from .freshness import Freshness, measure
from .merging import merge_small_segments
from .schema import INDEX_NAME, META_KEY, META_TYPE, SCHEMA_VERSION
from .sharing import SharedSearcher, open_reusing
from .sidewrite import write_side_files

logger = logging.getLogger(__name__)

#: A writer waits up to WRITER_TIMEOUT seconds for the lock, WRITER_ATTEMPTS times.
WRITER_TIMEOUT = 2.0
WRITER_ATTEMPTS = 30
#: After a commit, the request tries once, this long, for the writer lock; catch-up does the rest.
AFTER_COMMIT_TIMEOUT = 0.3
#: A search (and the background thread) waits at most this long, once, for the writer lock when it catches
#: up; if the lock stays busy it answers from the index as it is and the shared back-off decides the retry.
CATCH_UP_TIMEOUT = 2.0
#: Outbox ids missing below the bookmark are re-checked for this long (seconds), then forgotten.
GAP_TTL = 600
EVENT_BATCH = 5000


@dataclass
class Bookmark:
    """What the index has applied from the outbox."""

    last_id: int = 0
    gaps: dict[int, float] = field(default_factory=dict)
    schema: int = SCHEMA_VERSION

    @classmethod
    def loads(cls, text: str | None) -> Bookmark:
        data = json.loads(text) if text else {}
        gaps = {int(k): float(v) for k, v in data.get("gaps", {}).items()}
        return cls(last_id=int(data.get("last_id", 0)), gaps=gaps, schema=int(data.get("schema", 0)))

    def dumps(self) -> str:
        return json.dumps({"last_id": self.last_id, "gaps": self.gaps, "schema": self.schema})

    def document(self) -> Document:
        return {"key": META_KEY, "type": META_TYPE, "meta": self.dumps()}

    def advance(self, seen: list[int], now: float) -> None:
        """Record the event ids just applied: move the bookmark, note and expire gaps."""
        seen_set = set(seen)
        top = max([self.last_id, *seen])
        for missing in range(self.last_id + 1, top):
            if missing not in seen_set and len(self.gaps) < 10_000:
                self.gaps[missing] = now
        for event_id in seen_set:
            self.gaps.pop(event_id, None)
        self.gaps = {k: v for k, v in self.gaps.items() if now - v < GAP_TTL}
        self.last_id = top


def read_bookmark(reader: Any) -> Bookmark | None:
    """The bookmark stored in an index (None if the index has none)."""
    docnum = reader.first_id("key", META_KEY)
    if docnum is None:
        return None
    return Bookmark.loads(reader.stored_fields(docnum).get("meta"))


class IndexUnavailable(Exception):
    """There is no index to search: it is missing and could not be rebuilt now (disk full, another process
    is rebuilding it, or a recent rebuild failed and the back-off has not passed)."""


class SearchIndex:
    """One app's index: its folder, its database, and one searcher shared by the process's threads
    (sharing.py: refreshed segment by segment when the index changes).

    `backoff` is shared by every writer of this process (after-commit writes, search-time and background
    catch-up); `rebuild_backoff` spaces out the rebuilds of a missing index."""

    def __init__(self, root: str | os.PathLike[str], session_factory: sessionmaker[Session]) -> None:
        self.root = Path(root)
        self.session_factory = session_factory
        self._shared = SharedSearcher(lambda searcher: read_bookmark(searcher.reader()) or Bookmark(schema=0))
        self.backoff = WriteBackoff()
        self.rebuild_backoff = WriteBackoff(first_delay=5.0, max_delay=300.0, what="search index rebuilds")

    # -- locations -------------------------------------------------------------------------------
    @property
    def link(self) -> Path:
        return self.root / "current"

    def live_path(self) -> Path | None:
        """The folder of the index searches use now, or None if there is none."""
        try:
            target = os.readlink(self.link)
        except OSError:
            return None
        path = self.root / target
        return path if whoosh_index.exists_in(str(path), INDEX_NAME) else None

    @contextlib.contextmanager
    def db(self) -> Iterator[Session]:
        """A short-lived session of our own (never captured)."""
        session = self.session_factory(info={INTERNAL: True})
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    # -- writing ---------------------------------------------------------------------------------
    def writer(self, path: Path, *, timeout: float = WRITER_TIMEOUT, attempts: int = WRITER_ATTEMPTS
               ) -> SegmentWriter:
        """A writer on the index at `path`, waiting `timeout` seconds (`attempts` times) for other writers
        to finish; raises LockError if the index stays locked."""
        ix = whoosh_index.open_dir(str(path), indexname=INDEX_NAME)
        for attempt in range(attempts):
            try:
                return ix.writer(timeout=timeout, delay=0.05)
            except LockError:
                if attempt == 0 and attempts > 1:  # once per write that the busy lock delays
                    logger.warning("search index writer lock busy for %.1f s: index writes wait for it (up "
                                   "to %.0f s)", timeout, timeout * attempts)
        raise LockError(f"search index at {path} stayed locked")

    def apply(self, prebuilt: dict[str, tuple[int, Document | None]] | None = None, *,
              timeout: float = WRITER_TIMEOUT, attempts: int = WRITER_ATTEMPTS) -> int:
        """Bring the index up to the outbox with one writer; returns the number of events applied.

        `prebuilt` maps keys to (event id, document) built at flush time; a document is used only if
        its event is the newest one for its key, otherwise the document is read from the database.
        Raises LockError if the writer lock stays busy (`timeout` seconds, `attempts` times).
        """
        path = self.live_path()
        if path is None:
            self.rebuild_missing()
            return 0
        return self._write(self.writer(path, timeout=timeout, attempts=attempts), prebuilt or {})

    def try_apply(self, prebuilt: dict[str, tuple[int, Document | None]] | None = None, *,
                  timeout: float = AFTER_COMMIT_TIMEOUT) -> int | None:
        """One short attempt at `apply` (what a request does after its commit): waits at most `timeout`
        seconds for the writer lock and never rebuilds. Returns None if the index is busy or missing; the
        outbox keeps the change, and the next search or the background catch-up applies it."""
        path = self.live_path()
        if path is None:
            return None
        try:
            w = self.writer(path, timeout=timeout, attempts=1)
        except LockError:
            return None
        return self._write(w, prebuilt or {})

    def _write(self, w: SegmentWriter, prebuilt: dict[str, tuple[int, Document | None]]) -> int:
        try:
            applied = self._apply_with(w, prebuilt)
        except BaseException:
            w.cancel()
            raise
        if applied:
            before = [s.segment_id() for s in w.segments]
            w.commit(mergetype=merge_small_segments)  # large segments (and their caches) stay as they are
            write_side_files(w, skip=before, background=True)  # a large new (merged) segment's postings
        else:
            w.cancel()
        return applied

    def _apply_with(self, w: SegmentWriter, prebuilt: dict[str, tuple[int, Document | None]]) -> int:
        reader = w.reader()
        try:
            bookmark = read_bookmark(reader) or Bookmark()
        finally:
            reader.close()
        now = time.time()
        latest: dict[str, int] = {}
        seen: list[int] = []
        start = bookmark.last_id
        with self.db() as session:
            while True:
                events = _fetch_events(session, bookmark, limit=EVENT_BATCH)
                for event_id, doc_type, doc_id in events:
                    # A late event (a gap filled) may be older than one already applied: reread it.
                    latest[doc_key(doc_type, doc_id)] = event_id if event_id > start else -1
                seen += [e[0] for e in events]
                bookmark.advance([e[0] for e in events], now)
                if len(events) < EVENT_BATCH:
                    break
            stale = [k for k, event_id in latest.items() if prebuilt.get(k, (None, None))[0] != event_id]
            fresh = build_documents(session, stale) if stale else {}
        if not seen:
            return 0
        for key in latest:
            doc = fresh[key] if key in fresh else prebuilt[key][1]
            if doc is None:
                w.delete_by_term("key", key)
            else:
                w.update_document(**doc)
        w.update_document(**bookmark.document())
        return len(seen)

    # -- reading ---------------------------------------------------------------------------------
    def database_head(self) -> int:
        """The highest outbox event id in the database."""
        with self.db() as session:
            return session.scalar(select(func.max(IndexEvent.id))) or 0

    def catch_up(self, *, timeout: float = WRITER_TIMEOUT, attempts: int = WRITER_ATTEMPTS) -> int:
        """Make sure the index exists, has the current schema and has applied every committed event;
        returns the number of events applied. Raises IndexUnavailable (no index, none can be built now),
        LockError (the writer lock stayed busy) or OSError (the index cannot be written)."""
        if self.live_path() is None:
            self.rebuild_missing()
            return 0
        searcher, bookmark = self._cached()
        if bookmark.schema != SCHEMA_VERSION:
            self.rebuild_outdated()
            return 0
        with self.db() as session:
            behind = (session.scalar(select(func.max(IndexEvent.id))) or 0) > bookmark.last_id
            if not behind and bookmark.gaps:
                expired = any(time.time() - t >= GAP_TTL for t in bookmark.gaps.values())
                gap_ids = list(bookmark.gaps)
                filled = session.scalar(select(IndexEvent.id).where(IndexEvent.id.in_(gap_ids)).limit(1))
                behind = expired or filled is not None
        return self.apply(timeout=timeout, attempts=attempts) if behind else 0

    def guarded_catch_up(self) -> bool:
        """Catch up unless the shared back-off says not yet; a failure is noted in the back-off (one log
        line per state change), never raised, except IndexUnavailable. Returns True if it caught up."""
        if not self.backoff.ready():
            return False
        try:
            applied = self.catch_up(timeout=CATCH_UP_TIMEOUT, attempts=1)
        except IndexUnavailable:
            raise
        except Exception as exc:  # noqa: BLE001 — answered from the index as it is; the back-off retries
            self.backoff.failed(exc)
            return False
        self.backoff.succeeded(applied)
        return True

    def searcher(self) -> Searcher:
        """A searcher on the live index after catching up; reused until the index changes.

        If catching up fails (say the index stays locked or its disk is full), the search answers from the
        index as it is (`freshness()` says it is behind) and later searches retry only as the shared back-off
        allows: a slightly stale answer beats an error page. Raises IndexUnavailable if there is no index
        and none can be built now."""
        self.guarded_catch_up()
        return self._cached()[0]

    def freshness(self) -> Freshness:
        """How far this index is behind the outbox now (no catch-up, no rebuild); see freshness.py."""
        with self.db() as session:
            return measure(session, self)

    def bookmark(self) -> Bookmark:
        """The bookmark of the live index (after no catch-up)."""
        return self._cached()[1]

    def _cached(self) -> tuple[Searcher, Bookmark]:
        path = self.live_path()
        if path is None:
            self.rebuild_missing()
            path = self.live_path()
            if path is None:
                raise IndexUnavailable("search index missing")
        # A replaced searcher is never closed here: a search of another thread (or of this request: the
        # background catch-up can commit between a request's searcher() and its later bookmark()) may still
        # be reading it; it is closed when the last reference goes (sharing.py).
        try:
            return self._shared.get(path, _open_searcher)
        except (FileNotFoundError, whoosh_index.EmptyIndexError) as exc:
            # The folder went between live_path() and opening it (deleted by hand or by a fault; the
            # fault suite's index_lost): the index is unavailable now, not broken — the next search
            # finds it missing and rebuilds it (rebuild_missing), within the back-off.
            raise IndexUnavailable("search index vanished while opening") from exc

    def close(self) -> None:
        """Forget the shared searcher (searches still reading it finish; its files close after them)."""
        self._shared.forget()

    # -- rebuilding (see maintenance.py) ---------------------------------------------------------
    def rebuild(self, *, only_if_missing: bool = False, procs: int = 1, limitmb: int | None = None) -> int:
        """Build a new index beside the live one and swap it in; returns the number of documents."""
        from .maintenance import WORKER_REBUILD_LIMITMB, rebuild

        return rebuild(self, only_if_missing=only_if_missing, procs=procs,
                       limitmb=limitmb or WORKER_REBUILD_LIMITMB)

    def rebuild_missing(self) -> None:
        """Rebuild the index if its folder is missing: one rebuild at a time across processes (others wait
        briefly, then give up), and after a failure none until `rebuild_backoff` allows it.
        Raises IndexUnavailable if there is still no index."""
        self._rebuild_in_worker(outdated=False)

    def rebuild_outdated(self) -> None:
        """Rebuild the index if its schema version is not SCHEMA_VERSION (after an upgrade), as
        `rebuild_missing` does: re-checked under the rebuild lock, so a process that waited for another's
        rebuild uses that one instead of building a second copy; the old generation is removed after the
        swap. Raises IndexUnavailable while another process rebuilds or after a failed rebuild."""
        self._rebuild_in_worker(outdated=True)

    def outdated(self) -> bool:
        """True if there is a live index and its schema version is not SCHEMA_VERSION."""
        return self.live_path() is not None and self._cached()[1].schema != SCHEMA_VERSION

    def _rebuild_in_worker(self, *, outdated: bool) -> None:
        from .maintenance import REBUILD_WAIT, RebuildBusy, rebuild

        what = "of an older schema" if outdated else "missing"
        if not self.rebuild_backoff.ready():
            raise IndexUnavailable(f"search index {what}; the last rebuild failed")
        try:
            count = rebuild(self, only_if_missing=not outdated, only_if_outdated=outdated, wait=REBUILD_WAIT)
        except RebuildBusy as exc:
            raise IndexUnavailable("search index being rebuilt by another process") from exc
        except Exception as exc:  # noqa: BLE001 — disk full, read-only folder: say so once, back off
            self.rebuild_backoff.failed(exc)
            raise IndexUnavailable(f"search index {what} and could not be rebuilt") from exc
        self.rebuild_backoff.succeeded(count)


def _fetch_events(session: Session, bookmark: Bookmark, limit: int) -> list[tuple[int, str, int]]:
    condition = IndexEvent.id > bookmark.last_id
    if bookmark.gaps:
        condition = or_(condition, IndexEvent.id.in_(list(bookmark.gaps)))
    stmt = (select(IndexEvent.id, IndexEvent.doc_type, IndexEvent.doc_id).where(condition)
            .order_by(IndexEvent.id).limit(limit))
    rows = [tuple(row) for row in session.execute(stmt)]
    bookmark.gaps = {k: v for k, v in bookmark.gaps.items() if k not in {r[0] for r in rows}}
    return rows  # type: ignore[return-value]


def _open_searcher(path: Path, previous: Searcher | None = None, attempts: int = 5) -> Searcher:
    """Open a searcher (reusing `previous`'s unchanged segments), retrying if a concurrent commit removed a
    file while we opened it."""
    for attempt in range(attempts):
        try:
            return open_reusing(path, previous if attempt == 0 else None)[0]
        except (FileNotFoundError, whoosh_index.EmptyIndexError):
            if attempt == attempts - 1:
                raise
            logger.info("search index changed while opening; retrying")
    raise AssertionError("unreachable")
