"""The search page and the JSON search API."""
from __future__ import annotations

from flask import jsonify, render_template, request
from flask_login import current_user

from kb.pagination import Page
from kb.search.searching import SearchOutcome, search, search_message_for_bad_filter
from kb.search.snippets import marked_text

from . import bp
from .forms import TYPE_LABELS, read_params
from .presenting import account_names, group_names, hit_url


def _run(default_per_page: int) -> tuple[object, SearchOutcome]:
    form, params, bad = read_params(request.args, default_per_page)
    outcome = search(params, current_user) if params.q.strip() else SearchOutcome(params=params)
    if bad:
        outcome.message = " ".join(m for m in (outcome.message, search_message_for_bad_filter()) if m)
    return form, outcome


@bp.route("/search")
def index():
    form, outcome = _run(default_per_page=20)
    page = Page(items=outcome.hits, number=outcome.params.page, per_page=outcome.params.per_page,
                total=outcome.total)
    return render_template(
        "search/index.html", form=form, outcome=outcome, page=page, type_labels=TYPE_LABELS,
        accounts=account_names(outcome.hits), groups=group_names(outcome.facets.get("group_id", {})),
        urls={h.key: hit_url(h) for h in outcome.hits},
    )


@bp.route("/api/v1/search")
def api():
    """`{"total", "results": [{"type", "id", "account_id", "title", "url", "snippet", "score"}], "facets"}`;
    snippets are plain text with matched words between « and »."""
    _form, outcome = _run(default_per_page=20)
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
    }
    return jsonify(body)
