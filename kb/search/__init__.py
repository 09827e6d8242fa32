"""Full-text search (Whoosh): Chinese and English, access-aware, kept in step with the database.

- `analysis`: the analyzer (Chinese bigrams + English stems); `schema`: the index fields;
- `documents`: search documents built from the models; `capture`: session hooks + the outbox;
- `index`: the index on disk, catch-up and searchers; `maintenance`: rebuild and check;
- `query`: parsing user queries, the access filter, facets, snippets; `cli`: `flask kb reindex|check-index`.

Only this package imports Whoosh.
"""
from __future__ import annotations

from flask import Flask, current_app

from . import compat

compat.apply()

from .capture import ChangeCapture  # noqa: E402
from .index import SearchIndex  # noqa: E402

EXTENSION_KEY = "kb.search"


def init_app(app: Flask) -> None:
    """Give `app` its index and capture every write made through its session factory."""
    factory = app.extensions["kb.db"].session_factory
    index = SearchIndex(app.config["SEARCH_INDEX_DIR"], factory)
    ChangeCapture(index).install(factory)
    app.extensions[EXTENSION_KEY] = index


def get_index() -> SearchIndex:
    """The search index of the current app."""
    return current_app.extensions[EXTENSION_KEY]
