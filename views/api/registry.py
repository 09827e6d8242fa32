"""The API's operations, declared once next to their views: what each takes and what it answers.

Request bodies are pydantic v2 models (views/api/bodies/). Why pydantic: it is the most used validation
library in Python, validates in Rust (pydantic-core), and produces JSON Schema 2020-12 — the schema
dialect of OpenAPI 3.1 — directly (`model_json_schema`), so the model that validates a request is the one
that documents it in /api/v1/openapi.json; its `Annotated` constraints read the services' constants
(kb.services.*, kb.inputs.MAX_ID: the numbers the forms use), so every limit stays in one place. Its
errors are turned into our translated, per-field 422 messages in one function
(views/api/bodies/errors.py). The registry records, per view function: the body model, the query
parameters (`views.api.query.Query`, which also validates), the 2xx answer (a component of
views/api/responses.py) and the error statuses. `load_body` refuses (500, caught by the tests) a body
model other than the registered one, so what is documented is what is checked.

Adding an endpoint to the document is one decorator under the route::

    @bp.get("/tokens")
    @operation("List my tokens", response=items_of("Token"), tag="tokens")
    def list_tokens(): ...
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, TypeVar

from flask import current_app
from pydantic import BaseModel

from .query import Query

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Operation:
    """One documented operation (see the module docstring)."""

    summary: str
    response: Any = None
    status: int = 200
    body: type[BaseModel] | None = None
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


def registered_body(endpoint: str | None) -> tuple[type[BaseModel] | None, bool] | None:
    """The body model and partial flag declared for `endpoint`, None if it has no operation."""
    op = operation_of(endpoint)
    return None if op is None else (op.body, op.partial)
