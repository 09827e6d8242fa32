"""Search: the page `/search` and the JSON API `GET /api/v1/search` (same parameters, same rules)."""
from flask import Blueprint

bp = Blueprint("search", __name__)

from . import routes  # noqa: E402,F401
