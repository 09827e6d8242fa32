"""Import: `/import` (upload, dry-run report, confirm), the templates per kind, and past import runs."""
from flask import Blueprint, current_app, request
from flask.sansio.blueprints import BlueprintSetupState

bp = Blueprint("imports", __name__)

#: Endpoints that take a spreadsheet upload, bigger than the app's usual MAX_CONTENT_LENGTH.
UPLOAD_ENDPOINTS = frozenset({"imports.upload", "api.create_import"})


def _allow_big_uploads() -> None:
    if request.endpoint in UPLOAD_ENDPOINTS:
        request.max_content_length = current_app.config["IMPORT_MAX_BYTES"]


@bp.record_once
def _first(state: BlueprintSetupState) -> None:
    # First of the app's before-request functions: CSRFProtect's (registered earlier) reads the form, and
    # with it the body, which must already be allowed its larger size.
    state.app.before_request_funcs.setdefault(None, []).insert(0, _allow_big_uploads)


from . import routes  # noqa: E402,F401
