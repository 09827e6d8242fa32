"""`/api/docs`: Swagger UI over /api/v1/openapi.json, from the vendored swagger-ui-bundle-v2 package.

No CDN (it must work on a closed network) and no inline script (the CSP allows scripts from this site
only): the page loads Swagger UI's files from `/api/docs/ui/` and starts it from static/js/api-docs.js.
"Try it out" uses the signed-in session; writes send the page's CSRF token in `X-CSRFToken`.
"""
from __future__ import annotations

from flask import Blueprint, render_template
from swagger_ui_bundle import swagger_ui_path

bp = Blueprint("api_docs", __name__, url_prefix="/api/docs", static_folder=swagger_ui_path,
               static_url_path="/ui")


@bp.get("")
def index():  # type: ignore[no-untyped-def]
    return render_template("api_docs/index.html")
