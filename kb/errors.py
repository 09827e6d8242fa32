"""Error pages for people and JSON errors for the API: never a stack trace, never a bare 500 on bad input."""
from __future__ import annotations

import logging
from typing import Any

from flask import Flask, abort, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.urls import iri_to_uri

logger = logging.getLogger(__name__)

API_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    409: "conflict", 413: "payload_too_large", 414: "uri_too_long", 415: "unsupported_media_type",
    422: "validation_failed", 429: "too_many_requests", 500: "internal_error",
}


def api_error(status: int, message: str, fields: dict[str, Any] | None = None, code: str | None = None):
    """The API's error body: ``{"error": {"code", "message", "fields"}}``."""
    body: dict[str, Any] = {"code": code or API_CODES.get(status, "error"), "message": message}
    if fields:
        body["fields"] = fields
    return jsonify({"error": body}), status


#: Longest URL (path and query, in bytes as sent, percent-encoded) answered; longer ones get 414, as JSON
#: under /api/. Kept below the web server's own request-line limit (gunicorn runs with
#: `--limit-request-line 8190`: see the Makefile), so every URL that reaches the app gets our answer; a
#: request line over 8190 bytes is refused by gunicorn itself.
MAX_URL_LENGTH = 8000


def _wants_json() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def _refuse_oversized() -> None:
    """414 for an over-long URL, 413 for a declared body over the limit: before sign-in or a view reads it."""
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    length = len(raw) if raw else len(iri_to_uri(request.full_path))
    if length > MAX_URL_LENGTH:
        abort(414)
    limit = request.max_content_length
    if limit is not None and (request.content_length or 0) > limit:
        abort(413)


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        403: _("You do not have access to this page."),
        404: _("We could not find that page. It may have been moved, or the address is wrong."),
        405: _("That action is not allowed here."),
        413: _("What you sent is too large."),
        414: _("That address is too long."),
        500: _("Something went wrong on our side. If you were saving something, open it again to check "
               "whether your change was kept before you try again."),
    }


def _api_messages() -> dict[int, str]:
    """The API's wording (translated like the pages'; `code` stays the machine-readable part)."""
    return {
        400: _("The request could not be understood."),
        403: _("You may not do this."),
        404: _("There is nothing at this address."),
        405: _("This method is not allowed at this address."),
        413: _("What you sent is too large."),
        414: _("That address is too long."),
        500: _("Internal error."),
    }


def _handle_http(exc: HTTPException):  # type: ignore[no-untyped-def]
    status = exc.code or 500
    if _wants_json():
        # Werkzeug's stock descriptions are English; a view's own description (abort(404, "…")) is kept.
        stock = exc.description == type(exc).description
        message = _api_messages().get(status, exc.description) if stock else exc.description
        response, status = api_error(status, message or "")
        return response, status, _allow(exc)
    message = _messages().get(status, exc.description)
    return render_template("errors/error.html", status=status, message=message), status, _allow(exc)


def _allow(exc: HTTPException) -> dict[str, str]:
    """RFC 9110 §15.5.6: a 405 names the methods the address takes (`Allow`); other errors: no header."""
    allow = getattr(exc, "valid_methods", None)
    return {"Allow": ", ".join(sorted(allow))} if exc.code == 405 and allow else {}


def _handle_csrf(exc: CSRFError):  # type: ignore[no-untyped-def]
    if _wants_json():
        return api_error(400, _("The CSRF token is missing or invalid: send the X-CSRFToken header."),
                         code="csrf_failed")
    message = _("This form has expired or was sent from elsewhere. Please reload the page and try again.")
    return render_template("errors/error.html", status=400, message=message), 400


def _handle_unexpected(exc: Exception):  # type: ignore[no-untyped-def]
    if isinstance(exc, HTTPException):
        return _handle_http(exc)
    logger.exception("unhandled error on %s %s", request.method, request.path)
    if _wants_json():
        return api_error(500, _api_messages()[500])
    return render_template("errors/error.html", status=500, message=_messages()[500]), 500


def init_app(app: Flask) -> None:
    """Error pages and JSON errors; also the bounded `<int:...>` converter (before any route is added)."""
    from . import inputs

    inputs.init_app(app)
    # First of all before-request functions (sign-in is one): a request too big is refused unread.
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_oversized)
    from . import outage

    outage.init_app(app)
    app.register_error_handler(CSRFError, _handle_csrf)
    app.register_error_handler(HTTPException, _handle_http)
    if not app.testing:
        app.register_error_handler(Exception, _handle_unexpected)
