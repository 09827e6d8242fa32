"""Full-text search (Whoosh): Chinese and English, access-aware, kept in step with the database.

- `analysis`: the analyzer (Chinese bigrams + English stems); `schema`: the index fields;
- `documents`: search documents built from the models; `capture`: session hooks + the outbox;
- `index`: the index on disk, catch-up and searchers; `maintenance`: rebuild and check;
- `background`: the per-process thread that catches the index up from the outbox;
- `query`: parsing user queries, the access filter, facets, snippets; `cli`: `flask kb reindex|check-index`.

Only this package imports Whoosh.
"""
from __future__ import annotations

from flask import Flask, current_app

from . import compat, read_compat

compat.apply()
read_compat.apply()

from .background import CatchUpThread  # noqa: E402
from .capture import ChangeCapture  # noqa: E402
from .index import SearchIndex  # noqa: E402

EXTENSION_KEY = "kb.search"
CATCH_UP_KEY = "kb.search.catch_up"
CAPTURE_KEY = "kb.search.capture"


def init_app(app: Flask) -> None:
    """Give `app` its index and capture every write made through its session factory."""
    factory = app.extensions["kb.db"].session_factory
    index = SearchIndex(app.config["SEARCH_INDEX_DIR"], factory)
    capture = ChangeCapture(index)
    capture.install(factory)
    app.extensions[CAPTURE_KEY] = capture  # the listener holds it weakly (ChangeCapture.install)
    app.extensions[EXTENSION_KEY] = index
    app.extensions[CATCH_UP_KEY] = CatchUpThread(index)
    app.before_request(_start_catch_up)


def _start_catch_up() -> None:
    """Start this process's background catch-up at its first request (not in tests: they start it)."""
    if not current_app.testing:
        current_app.extensions[CATCH_UP_KEY].start()


def get_index() -> SearchIndex:
    """The search index of the current app."""
    return current_app.extensions[EXTENSION_KEY]
