"""Back-off for writing the index, shared by everything in one process that writes it.

The background catch-up thread, the catch-up a search makes before it reads and the short write after a
commit all ask the same `WriteBackoff` whether to try now. While writes keep failing (disk full, read-only
folder, a writer lock held elsewhere) they try at most once per back-off delay, doubling it up to
`MAX_DELAY`, instead of once per request; and the process logs one line when writes start failing and one
when they recover, not a traceback per request.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from ..outage import one_line

logger = logging.getLogger(__name__)

#: Pause after the first failure; doubled after each further failure, up to MAX_DELAY.
FIRST_DELAY = 1.0
MAX_DELAY = 60.0


class WriteBackoff:
    """Whether to try an index write now, and the one log line per change between working and failing."""

    def __init__(self, *, first_delay: float = FIRST_DELAY, max_delay: float = MAX_DELAY,
                 clock: Callable[[], float] = time.monotonic, what: str = "index writes") -> None:
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.clock = clock
        self.what = what
        self.failing = False
        self.delay = 0.0
        self.failures = 0
        self._next_attempt = 0.0
        self._lock = threading.Lock()

    def ready(self) -> bool:
        """True unless writes are failing and the back-off delay since the last failure has not passed."""
        return not self.failing or self.clock() >= self._next_attempt

    def wait_left(self) -> float:
        """Seconds until the next attempt is due (0 when one may be made now)."""
        return max(0.0, self._next_attempt - self.clock()) if self.failing else 0.0

    def failed(self, exc: BaseException) -> None:
        """Note a failed attempt: the first one of a run is logged (without a traceback), the delay grows."""
        with self._lock:
            if not self.failing:
                logger.warning("%s failing: %s; retrying with back-off", self.what, one_line(exc))
                self.delay = self.first_delay
            else:
                self.delay = min(self.delay * 2, self.max_delay)
            self.failing = True
            self.failures += 1
            self._next_attempt = self.clock() + self.delay

    def succeeded(self, applied: int = 0) -> None:
        """Note a successful attempt that applied `applied` events; logs the recovery if writes failed."""
        with self._lock:
            if self.failing:
                logger.warning("%s recovered after %s events (%s failed attempts)", self.what, applied,
                               self.failures)
            self.failing = False
            self.failures = 0
            self.delay = 0.0
            self._next_attempt = 0.0
