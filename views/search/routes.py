"""The search page and the JSON search API."""
from __future__ import annotations

import math
from dataclasses import replace

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from kb.errors import api_error
from kb.pagination import Page
from kb.search import get_index
from kb.search.querytidy import fields_listed
from kb.search.schema import DOC_TYPES
from kb.search.searching import SearchOutcome, hidden_query, search, search_message_for_bad_filter
from kb.search.snippets import marked_text

from views.api.bodies.errors import InvalidInput
from views.api.search_query import SEARCH_QUERY
from views.api.registry import operation
from views.api.responses import SEARCH_RESULTS

from . import bp
from .forms import TYPE_LABELS, read_params
from .presenting import account_names, group_names, hit_url


def _run(default_per_page: int) -> tuple[object, SearchOutcome]:
    form, params, bad = read_params(request.args, default_per_page)
    outcome = search(params, current_user) if params.q.strip() else SearchOutcome(params=params)
    if bad:
        outcome.message = " ".join(m for m in (outcome.message, search_message_for_bad_filter()) if m)
    return form, outcome


def _retry_after() -> str:
    """Seconds a client should wait before searching again while there is no index."""
    return str(max(5, math.ceil(get_index().rebuild_backoff.wait_left())))


@bp.route("/search")
def index():
    form, outcome = _run(default_per_page=20)
    page = Page(items=outcome.hits, number=outcome.params.page, per_page=outcome.params.per_page,
                total=outcome.total)
    if outcome.total and page.number > page.pages and not outcome.unavailable:
        # past the end: the last page, as on every paged list (kb.pagination.paginate_page); one more search
        message = outcome.message  # with the note on a dropped filter, if any
        outcome = search(replace(outcome.params, page=page.pages), current_user)
        outcome.message = message
        page = Page(items=outcome.hits, number=outcome.params.page, per_page=outcome.params.per_page,
                    total=outcome.total)
    html = render_template(
        "search/index.html", form=form, outcome=outcome, page=page, type_labels=TYPE_LABELS,
        search_kinds=_kinds_for(current_user),  # the help lists the kinds `type:` accepts that can find something
        search_fields=fields_listed(),  # the same list as the unknown-field message's (kb.search.querytidy)
        accounts=account_names(outcome.hits), groups=group_names(outcome.facets.get("group_id", {})),
        urls={h.key: hit_url(h) for h in outcome.hits},
    )
    if outcome.unavailable:
        return html, 503, {"Retry-After": _retry_after()}
    return html


@bp.route("/api/v1/search")
@operation("Full-text search (what the caller may see)", query=SEARCH_QUERY, response=SEARCH_RESULTS,
           tag="search")
def api():
    """`{"total", "results": [{"type", "id", "account_id", "title", "url", "snippet", "score"}], "facets",
    "stale", "index_lag"}`; snippets are plain text with matched words between « and ». 503 `unavailable`
    when there is no index to search."""
    try:
        SEARCH_QUERY.load()  # typed like every list: a bad parameter is a 422, not silently dropped
    except InvalidInput as exc:
        return api_error(422, _("Some fields are not valid."), exc.fields)
    _form, outcome = _run(default_per_page=20)
    if outcome.unavailable:
        response, status = api_error(503, outcome.message or "", code="unavailable")
        response.headers["Retry-After"] = _retry_after()
        return response, status
    freshness = outcome.freshness or get_index().freshness()
    results = [{
        "type": h.type, "id": h.id, "account_id": h.account_id, "title": h.title, "url": hit_url(h),
        "snippet": marked_text(h.snippet), "score": h.score, "date": h.date.isoformat() if h.date else None,
    } for h in outcome.hits]
    facets = outcome.facets
    body = {
        "total": outcome.total, "results": results, "page": outcome.params.page,
        "per_page": outcome.params.per_page,
        "facets": {"type": facets.get("type", {}), "group": facets.get("group_id", {}),
                   "industry": facets.get("industry", {}), "region": facets.get("region", {})},
        "message": outcome.message, "suggestion": outcome.suggestion,
        "stale": freshness.stale, "index_lag": freshness.lag,
    }
    return jsonify(body)


#: Kinds of document that are always team-only (a person's private notes: kb/search/documents.py).
TEAM_ONLY_KINDS = ("stakeholder_note",)


def _kinds_for(user) -> tuple[str, ...]:
    """The `type:` kinds the search help offers `user`: every kind of the one list (DOC_TYPES), less the
    team-only kinds when the search's access rule hides every team-only document from them (a viewer, a
    member on no team): an example in the help must be able to find something for its reader."""
    from whoosh import query as wq
    hidden = hidden_query(user)
    sees_team_only = hidden is None or not (isinstance(hidden, wq.Every) or hidden == wq.Term("visibility", "team"))
    return DOC_TYPES if sees_team_only else tuple(k for k in DOC_TYPES if k not in TEAM_ONLY_KINDS)
