"""JSON API v1 (`/api/v1`): bearer tokens or the browser session, the same access rules as the pages.

Token requests are exempt from CSRF; session-authenticated writes must send the CSRF token in the
`X-CSRFToken` header. Errors are always ``{"error": {"code", "message", "fields"}}`` (see docs/api.md).
"""
from __future__ import annotations

import logging

from flask import Blueprint, current_app, request
from flask_babel import gettext as _

from flask_login import current_user

from kb.auth import is_token_request
from kb.errors import api_error
from kb.services.errors import Conflict, ServiceError
from views import csrf

from .validation import InvalidInput

logger = logging.getLogger(__name__)

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


@bp.before_request
def _csrf_for_session_writes() -> None:
    """Browser-session writes need the CSRF token; bearer-token requests cannot be forged by a page."""
    if request.method in SAFE_METHODS or is_token_request():
        return
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()


@bp.errorhandler(InvalidInput)
def _invalid_input(exc: InvalidInput):  # type: ignore[no-untyped-def]
    return api_error(422, _("Some fields are not valid."), exc.fields)


@bp.errorhandler(ServiceError)
def _service_error(exc: ServiceError):  # type: ignore[no-untyped-def]
    response, status = api_error(exc.status, exc.message, exc.fields)
    if isinstance(exc, Conflict) and exc.current is not None:
        from .serializers import serialize_current

        body = response.get_json()
        # Under "error" as for every record; also at the top level, where plan clients read it first.
        body["current"] = body["error"]["current"] = serialize_current(exc.current, current_user)
        response.set_data(current_app.json.dumps(body))
    return response, status


from . import accounts, groups, interactions, plans, stakeholders, users  # noqa: E402,F401
