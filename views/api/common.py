"""Small helpers shared by the API views: load-or-404, 403, list bodies (query parameters: query.py)."""
from __future__ import annotations

from typing import Any, TypeVar

from flask import abort, jsonify
from flask_babel import gettext as _

from kb.db import session
from kb.pagination import Page

from kb.inputs import MAX_ID

T = TypeVar("T")


def load_or_404(model: type[T], record_id: int, options: tuple[Any, ...] = ()) -> T:
    """The record with this id, else a JSON 404."""
    record = session.get(model, record_id, options=options) if record_id <= MAX_ID else None
    if record is None:
        abort(404, description=_("Nothing found with id %(id)d.", id=record_id))
    return record


def not_found() -> None:
    """A 404 that says nothing about whether the record exists (used for what the caller may not see)."""
    abort(404, description=_("Nothing found here."))


def require(allowed: bool) -> None:
    """A JSON 403 unless `allowed` (the rule itself comes from kb.policy)."""
    if not allowed:
        abort(403, description=_("You are not allowed to do this."))


def page_body(page: Page[Any], serialize: Any) -> dict[str, Any]:
    return {"items": [serialize(x) for x in page.items], "page": page.number, "per_page": page.per_page,
            "total": page.total}


def created(body: dict[str, Any], location: str):  # type: ignore[no-untyped-def]
    """201 Created with the new record and its address."""
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = location
    return response
