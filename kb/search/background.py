"""Background catch-up: one daemon thread per process keeps the local index in step with the outbox.

A request makes only one short attempt to write the index after its commit (`SearchIndex.try_apply`);
whatever it leaves (the index was busy, or another process or machine wrote the change) is applied here
within seconds, and in any case by the next search, which catches up before it reads.

The thread starts lazily, at the first request of a process (after gunicorn forked the worker), never in
tests unless a test starts it. When a catch-up fails it backs off with the index's `WriteBackoff`, the one
searches and after-commit writes of this process share (so they do not each retry a failing write), and
that logs one line when writes start failing and one when they recover, not a traceback per attempt.
"""
from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .index import SearchIndex

logger = logging.getLogger(__name__)

#: Seconds between two checks of the outbox while all is well.
INTERVAL = 3.0


class CatchUpThread:
    """Catches `index` up from the outbox every `interval` seconds, backing off (shared) on failure."""

    def __init__(self, index: SearchIndex, *, interval: float = INTERVAL) -> None:
        self.index = index
        self.interval = interval
        self.delay = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        """Whether the thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start the thread (once; a stopped thread is not restarted)."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="kb-search-catch-up", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the thread to finish and wait up to `timeout` seconds for it."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def failing(self) -> bool:
        """Whether index writes of this process are failing now."""
        return self.index.backoff.failing

    def step(self) -> float:
        """One check: catch up if the index is behind and the back-off allows it. Returns the pause
        before the next check."""
        try:
            self.index.guarded_catch_up()  # one query when nothing is new
        except Exception as exc:  # noqa: BLE001 — no index and none can be built now; searches say so
            logger.debug("search index catch-up: %s", exc)
        backoff = self.index.backoff
        self.delay = max(backoff.wait_left(), 0.05) if backoff.failing else self.interval
        return self.delay

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.delay):
                self.step()
        finally:
            self.index.close()
