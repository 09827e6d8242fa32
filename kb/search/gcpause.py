"""The cyclic garbage collector held off while a search computes its answer.

Answering a common pair of words makes tens of thousands of short-lived objects (sets of document
numbers, score maps, the carried-over groups). Every 700 container objects that outlive their moment set
off a young-generation collection, and each walks every live young container — the big sets and lists of
the query itself, again and again — and now and then a full collection walks the whole heap (the index's
structures, the caches). At 20,000 documents that was a third of such a query's CPU time
(bench/search_bench.py's two-word class). None of those objects form reference cycles: freed by their
reference counts as before, the collector only runs after (when the last search in the process ends, at
its next allocation), with less left to walk.

`paused()` (and the decorator `gc_paused`, on carryover.ranked and fastpath.top_and_total) counts the
searches under way (threads), so the collector is enabled again only by the last one, and only if it was
enabled when the first began (a process that turned it off keeps it off). Searches that overlap without
pause (a busy worker's threads) would hold it off for good: a search that starts while it has been held
off for more than HELD_MAX_SECONDS runs a collection of the younger generations
first (`gc.collect(1)`), so cyclic garbage cannot pile up.
"""
from __future__ import annotations

import gc
import threading
import time
from contextlib import contextmanager
from functools import wraps
from typing import Any, Callable, Iterator, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_LOCK = threading.Lock()
_state: dict[str, Any] = {"depth": 0, "was_enabled": False, "since": 0.0}
#: Seconds the collector may stay held off by overlapping searches before one of them collects.
HELD_MAX_SECONDS = 1.0


@contextmanager
def paused() -> Iterator[None]:
    """Hold off the cyclic garbage collector for the block (nests and counts across threads)."""
    collect = False
    with _LOCK:
        now = time.monotonic()
        if _state["depth"] == 0:
            _state["was_enabled"] = gc.isenabled()
            _state["since"] = now
            gc.disable()
        elif _state["was_enabled"] and now - _state["since"] > HELD_MAX_SECONDS:
            _state["since"] = now
            collect = True
        _state["depth"] += 1
    if collect:  # (outside the lock: a finalizer the collection runs may search too)
        gc.collect(1)
    try:
        yield
    finally:
        with _LOCK:
            _state["depth"] -= 1
            if _state["depth"] == 0 and _state["was_enabled"]:
                gc.enable()


def gc_paused(function: F) -> F:
    """`function` run with the collector held off (`paused`)."""
    @wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        with paused():
            return function(*args, **kwargs)
    return run  # type: ignore[return-value]
