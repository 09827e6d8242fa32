"""JSON API v1 (`/api/v1`): bearer tokens or the browser session, the same access rules as the pages.

Token requests are exempt from CSRF; session-authenticated writes must send the CSRF token in the
`X-CSRFToken` header. Errors are always ``{"error": {"code", "message", "fields"}}`` (see docs/api.md).
"""
from __future__ import annotations

import logging

from flask import Blueprint, current_app, request
from flask.sansio.blueprints import BlueprintSetupState
from flask_babel import gettext as _

from flask_login import current_user

from kb.auth import is_token_request
from kb.errors import api_error
from kb.form_errors import CURRENT_SERIALIZER
from views import csrf

from .bodies import InvalidInput

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


@bp.record_once
def _conflict_bodies(state: BlueprintSetupState) -> None:
    """Service errors become JSON in kb.form_errors; a conflict's stored record is shown in its API form."""
    from .serializers import serialize_current

    state.app.extensions[CURRENT_SERIALIZER] = serialize_current
    if state.app.config.get("API_CHECK_ANSWERS"):  # the tests: every answer against its declared model
        from .answers import check

        check.install(state.app)


from . import accounts, exports, groups, interactions, plans, stakeholders, users  # noqa: E402,F401
from . import handovers  # noqa: E402,F401
from . import coverage  # noqa: E402,F401
from . import accounts, groups, interactions, plans, stakeholders, users  # noqa: E402,F401
from . import ltc  # noqa: E402,F401  (leads, opportunities, seats, risks)
from . import imports  # noqa: E402,F401
from . import watches  # noqa: E402,F401  (the four watches)
from . import contracts  # noqa: E402,F401  (contracts and milestones)
from . import tokens  # noqa: E402,F401  (API tokens people manage)
from . import openapi  # noqa: E402,F401  (/api/v1/openapi.json: every operation above)
