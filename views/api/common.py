"""Small helpers shared by the API views: load-or-404, 403, query parameters, list bodies."""
from __future__ import annotations

from typing import Any, TypeVar

from flask import abort, jsonify, request
from flask_babel import gettext as _

from kb.db import session
from kb.pagination import Page

from .validation import MAX_ID, InvalidInput

T = TypeVar("T")

MAX_PER_PAGE = 100


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


def query_int(name: str, default: int | None, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """A whole-number query parameter; anything else → 422 naming the parameter."""
    raw = request.args.get(name, "").strip()
    if raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 10 or not minimum <= int(raw) <= maximum:
        raise InvalidInput({name: _("Must be a whole number from %(a)d to %(b)d.", a=minimum, b=maximum)})
    return int(raw)


def paging() -> tuple[int, int]:
    """`page` (≥ 1) and `per_page` (1–100, default 25) from the query string."""
    page = query_int("page", 1, maximum=1_000_000)
    per_page = query_int("per_page", 25, maximum=MAX_PER_PAGE)
    assert page is not None and per_page is not None
    return page, per_page


def page_body(page: Page[Any], serialize: Any) -> dict[str, Any]:
    return {"items": [serialize(x) for x in page.items], "page": page.number, "per_page": page.per_page,
            "total": page.total}


def created(body: dict[str, Any], location: str):  # type: ignore[no-untyped-def]
    """201 Created with the new record and its address."""
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = location
    return response


def query_text(name: str, max_length: int = 200) -> str:
    """A free-text query parameter, cut to `max_length`, without NUL characters."""
    return request.args.get(name, "").replace("\x00", "").strip()[:max_length]
