"""Background catch-up: one daemon thread per process keeps the local index in step with the outbox.

A request makes only one short attempt to write the index after its commit (`SearchIndex.try_apply`);
whatever it leaves (the index was busy, or another process or machine wrote the change) is applied here
within seconds, and in any case by the next search, which catches up before it reads.

The thread starts lazily, at the first request of a process (after gunicorn forked the worker), never in
tests unless a test starts it. When a catch-up fails it backs off (doubling the pause up to
`MAX_INTERVAL`) and logs one line when it starts failing and one when it recovers, not a traceback per
attempt.
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
#: Longest pause between two attempts while catching up keeps failing.
MAX_INTERVAL = 60.0


class CatchUpThread:
    """Catches `index` up from the outbox every `interval` seconds, backing off on failure."""

    def __init__(self, index: SearchIndex, *, interval: float = INTERVAL, max_interval: float = MAX_INTERVAL
                 ) -> None:
        self.index = index
        self.interval = interval
        self.max_interval = max_interval
        self.delay = interval
        self.failing = False
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

    def step(self) -> float:
        """One check: catch up if the index is behind. Returns the pause before the next check."""
        try:
            self.index.catch_up()  # one query when nothing is new
        except Exception as exc:  # noqa: BLE001 — logged once per state change, retried with back-off
            if not self.failing:
                logger.warning("search index catch-up failing (%s: %s); retrying with back-off",
                               type(exc).__name__, exc)
            self.failing = True
            self.delay = min(self.delay * 2, self.max_interval)
            return self.delay
        if self.failing:
            logger.info("search index catch-up works again")
        self.failing = False
        self.delay = self.interval
        return self.delay

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.delay):
                self.step()
        finally:
            self.index.close()
