"""The search API's query parameters (GET /api/v1/search), typed and checked like every other list's
(views/api/query.py): a bad page, per_page, sort, type, group or date is a 422 naming it. The search PAGE
reads the same query string leniently (views/search/forms.py: a bad filter is dropped with a message)."""
from __future__ import annotations

from kb.inputs import CHECKBOX_YES
from kb.search.schema import DOC_TYPES

from .query import MAX_PER_PAGE, Param, Query

#: GET /api/v1/search: checked by `SEARCH_QUERY.load()` before the search runs.
SEARCH_QUERY = Query((
    Param("q", "text", "Words to find (Chinese, English, pinyin)."),
    Param("type", "choices", "Record types, comma-separated: account, plan, stakeholder, interaction, ...",
          choices=tuple(DOC_TYPES)),
    Param("group", "int", "Customer group id."), Param("industry", "text"), Param("region", "text"),
    Param("date_from", "date", "YYYY-MM-DD"), Param("date_to", "date", "YYYY-MM-DD"),
    Param("sort", "choice", "relevance (default) or newest", choices=("relevance", "newest")),
    Param("archived", "choice", "y: include archived", choices=CHECKBOX_YES),
    Param("page", "int", "Page number, from 1.", default=1, maximum=1_000_000),
    Param("per_page", "int", "1–100 (default 20).", default=20, maximum=MAX_PER_PAGE),
))
