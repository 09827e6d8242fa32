"""The account list and a search result list as rows for .xlsx or .csv, capped at `LIST_MAX_ROWS`.

The account list is the page's own SELECT (kb.services.accounts.account_filters_stmt with the page's
filters) in the import's account columns, so it re-imports. A search export runs the page's search
(kb.search.searching.search, whose query excludes what the reader may not see) for one page of up to
`LIST_MAX_ROWS` hits; snippets are plain text with the matched words between « and ».
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models import Account

from ..db import session
from ..exchange.columns import ACCOUNT_COLUMNS
from ..search.searching import SearchOutcome, SearchParams, search
from ..search.snippets import marked_text
from .rows import Labels, account_row, headers

#: Most rows of an account list or search result export (documented in docs/api.md and README.md).
LIST_MAX_ROWS = 5_000


@dataclass
class Table:
    """Rows ready for a writer; `capped`: more matched than `LIST_MAX_ROWS`."""

    headers: list[str]
    rows: list[list[Any]]
    capped: bool = False


def account_table(*, stmt: Any, locale: str, max_rows: int | None = None) -> Table:
    """The accounts `stmt` selects (the list page's filtered SELECT), at most `max_rows` (default
    LIST_MAX_ROWS), in ACCOUNT_COLUMNS."""
    max_rows = LIST_MAX_ROWS if max_rows is None else max_rows
    labels = Labels(locale)
    stmt = stmt.options(selectinload(Account.customer_group), selectinload(Account.parent))
    accounts = list(session.scalars(stmt.limit(max_rows + 1)))
    rows = [account_row(a, labels) for a in accounts[:max_rows]]
    return Table(headers(ACCOUNT_COLUMNS, locale), rows, capped=len(accounts) > max_rows)


def search_table(*, params: SearchParams, reader: Any, type_label: Callable[[str], str],
                 url_for_hit: Callable[[Any], str], max_rows: int | None = None) -> tuple[Table, SearchOutcome]:
    """The first `max_rows` (default LIST_MAX_ROWS) hits of the reader's search (page and page size of
    `params` ignored): type, title, account, date, snippet, address. Also the outcome (`unavailable`)."""
    max_rows = LIST_MAX_ROWS if max_rows is None else max_rows
    outcome = search(replace(params, page=1, per_page=max_rows), reader, with_facets=False)
    ids = {h.account_id for h in outcome.hits}
    names = dict(session.execute(select(Account.id, Account.name).where(Account.id.in_(ids))).all()) if ids else {}
    rows = [[type_label(h.type), h.title, names.get(h.account_id, ""), h.date, marked_text(h.snippet),
             url_for_hit(h)] for h in outcome.hits]
    table = Table([_("Type"), _("Name or heading"), _("Account"), _("Date"), _("Snippet"), _("Link")], rows,
                  capped=outcome.total > max_rows)
    return table, outcome
