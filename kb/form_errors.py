"""The one place a service error becomes an answer: a JSON error for the API, the form page for people.

A view names the page that shows its form (`on_service_error(form, render)`) and then simply calls the
service; if the service raises a ServiceError, the app-level handler puts the messages on the form's
fields (others as flash messages) and renders that page again, so nothing typed is lost. The request is
not committed (its status is 4xx), so a half-done change rolls back with it.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, flash, g, make_response, render_template, request
from flask_login import current_user
from flask.typing import ResponseReturnValue

from .errors import api_error
from .services.errors import Conflict, PossibleDuplicate, ServiceError

logger = logging.getLogger(__name__)

#: app.extensions key of the function turning a Conflict's stored record into its API form.
CURRENT_SERIALIZER = "kb.serialize_current"


def attach_errors(form: Any | None, exc: ServiceError) -> None:
    """Show a service's messages on the form's fields; the rest (or all, without a form) as flash messages."""
    fields = getattr(form, "_fields", {}) if form is not None else {}
    for name, message in (exc.fields or {"": exc.message}).items():
        field = fields.get(name) or _row_field(fields, name)
        if field is not None and field.type not in ("FieldList", "FormField"):
            field.errors = [*field.errors, message]
        else:
            flash(message, "error")


def _row_field(fields: dict[str, Any], name: str) -> Any | None:
    """The field of a FieldList row named like ``targets-0-unit`` (service errors on sub-form rows)."""
    rows = fields.get(name.split("-", 1)[0])
    if rows is None or rows.type != "FieldList":
        return None
    for entry in rows:
        for field in (entry.form if entry.type == "FormField" else []):
            if field.name == name:
                return field
    return None


def on_service_error(form: Any | None, render: Callable[[], ResponseReturnValue]) -> None:
    """Name the page to show again, with `form`'s errors, if a service raises later in this request."""
    g.kb_form_page = (form, render)


#: Body fields that are lists of objects: a service message on the whole list goes under its `_` key.
LISTS_OF_OBJECTS = frozenset({"next_steps", "assignments", "targets"})
_ROW_KEY = re.compile(r"^([a-z_]+)-(\d+)(?:-([a-z_]+))?$")


def nested_fields(fields: dict[str, Any] | None) -> dict[str, Any] | None:
    """A service's flat field keys in the API's one shape, the one body validation gives
    (views/api/bodies/errors.py): "targets-0-target" → {"targets": {"0": {"target": …}}}, "targets-0"
    → {"targets": {"0": {"_": …}}}, "seats.AR" → {"seats": {"AR": …}}, a message on a whole list of
    objects ("next_steps") → {"next_steps": {"_": …}}; other keys unchanged. The first message per place
    is kept."""
    if not fields:
        return fields
    out: dict[str, Any] = {}
    for key, text in fields.items():
        row = _ROW_KEY.match(key) if isinstance(key, str) else None
        if row and not isinstance(text, dict):
            path = [row.group(1), row.group(2), row.group(3) or "_"]
        elif isinstance(key, str) and "." in key and not isinstance(text, dict):
            path = key.split(".", 1)
        elif key in LISTS_OF_OBJECTS and isinstance(text, str):
            path = [key, "_"]
        else:
            path = [key]
        place = out
        for step in path[:-1]:
            place = place.setdefault(step, {})
            if not isinstance(place, dict):
                break
        else:
            place.setdefault(path[-1], text)
    return out


def _api_response(exc: ServiceError) -> ResponseReturnValue:
    response, status = api_error(exc.status, exc.message, nested_fields(exc.fields), code=exc.code)
    serialize = current_app.extensions.get(CURRENT_SERIALIZER)
    if isinstance(exc, Conflict) and exc.current is not None and serialize is not None:
        body = response.get_json()
        # Under "error" as for every error detail; also at the top level, where plan clients read it first.
        body["current"] = body["error"]["current"] = serialize(exc.current, current_user)
        response.set_data(current_app.json.dumps(body))
    if isinstance(exc, PossibleDuplicate):
        body = response.get_json()
        body["error"]["matches"] = [{"id": i, "name": name} for i, name in exc.matches]
        response.set_data(current_app.json.dumps(body))
    return response, status


def handle_service_error(exc: ServiceError) -> ResponseReturnValue:
    """JSON error under /api/; else the named form page again (422, or the error's own 409), or an error
    page with the error's status when no form page was named."""
    if request.path.startswith("/api/"):
        return _api_response(exc)
    page = g.pop("kb_form_page", None)
    if page is None:
        logger.info("service error without a form page on %s: %s", request.path, exc.message)
        return render_template("errors/error.html", status=exc.status, message=exc.message), exc.status
    form, render = page
    attach_errors(form, exc)
    response = make_response(render())
    response.status_code = exc.status if exc.status == 409 else 422
    return response


def init_app(app: Flask) -> None:
    """Register the handler for every ServiceError raised in a view."""
    app.register_error_handler(ServiceError, handle_service_error)
