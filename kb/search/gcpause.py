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
searches under way (threads), so the collector is enabled again only by the last one, and only if it was enabled when the first began (a process that turned it off keeps it off).
"""
from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from functools import wraps
from typing import Any, Callable, Iterator, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_LOCK = threading.Lock()
_state = {"depth": 0, "was_enabled": False}


@contextmanager
def paused() -> Iterator[None]:
    """Hold off the cyclic garbage collector for the block (nests and counts across threads)."""
    with _LOCK:
        if _state["depth"] == 0:
            _state["was_enabled"] = gc.isenabled()
            gc.disable()
        _state["depth"] += 1
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
