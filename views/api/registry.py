"""The API's operations, declared once next to their views: what each takes and what it answers.

Why our own thin registry rather than pydantic + spectree or flask-smorest: the API's input shapes were
already declared as `views.api.validation.Schema` objects whose checks give the translated, per-field 422
messages clients and tests rely on, and whose limits read the services' constants (kb.services.*: the
same numbers the forms use) — the one place they live. Each `Field` now also carries the JSON Schema of
what it accepts, so the declaration that validates a request is the one that produces
/api/v1/openapi.json; a second library would have meant a second copy of every limit, or rewriting every
message to match a library's wording. The registry only records, per view function: the body schema, the
query parameters (`views.api.query.Query`, which also validates), the 2xx answer (a component of
views/api/responses.py) and the error statuses. `load_body` refuses (500, caught by the tests) a body
schema other than the registered one, so what is documented is what is checked.

Adding an endpoint to the document is one decorator under the route::

    @bp.get("/tokens")
    @operation("List my tokens", response=items_of("Token"), tag="tokens")
    def list_tokens(): ...
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, TypeVar

from flask import current_app

from .query import Query
from .validation import Schema

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Operation:
    """One documented operation (see the module docstring)."""

    summary: str
    response: Any = None
    status: int = 200
    body: Schema | None = None
    partial: bool = False
    query: Query | None = None
    errors: tuple[int, ...] = ()
    tag: str = ""
    description: str = ""
    media: str = "application/json"
    multipart: bool = False
    example: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


ATTRIBUTE = "api_operation"


def operation(summary: str, **kwargs: Any) -> Callable[[F], F]:
    """Record the operation on the decorated view (put it right under the route decorator)."""
    def record(view: F) -> F:
        setattr(view, ATTRIBUTE, Operation(summary, **kwargs))
        return view
    return record


def operation_of(endpoint: str | None) -> Operation | None:
    """The operation declared for the app's `endpoint` (e.g. "api.create_account"), None if none."""
    view = current_app.view_functions.get(endpoint or "")
    return getattr(view, ATTRIBUTE, None)


def registered_body(endpoint: str | None) -> tuple[Schema | None, bool] | None:
    """The body schema and partial flag declared for `endpoint`, None if it has no operation."""
    op = operation_of(endpoint)
    return None if op is None else (op.body, op.partial)
