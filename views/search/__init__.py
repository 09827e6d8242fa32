"""Search: the page `/search` and the JSON API `GET /api/v1/search` (same parameters, same rules)."""
from flask import Blueprint

bp = Blueprint("search", __name__)


@bp.app_context_processor
def _search_limits() -> dict[str, int]:
    """`search_max_length`: the search boxes' maxlength, the same limit the server applies."""
    from kb.search.query import MAX_QUERY_LENGTH

    return {"search_max_length": MAX_QUERY_LENGTH}

from . import routes  # noqa: E402,F401
