"""Helpers shared by the search tests (tests/test_search_*.py)."""
from __future__ import annotations

from typing import Any

from kb.search.searching import SearchOutcome, SearchParams, search


def find(app: Any, q: str, user: Any, **params: Any) -> SearchOutcome:
    """Search as `user` the way a request would."""
    with app.test_request_context():
        return search(SearchParams(q=q, **params), user)


def keys(outcome: SearchOutcome) -> set[str]:
    return {hit.key for hit in outcome.hits}


def snippets(outcome: SearchOutcome) -> str:
    return " ".join("".join(text for text, _ in hit.snippet) for hit in outcome.hits)
