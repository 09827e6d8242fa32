"""In the tests (config `API_CHECK_ANSWERS`): every JSON answer of a documented operation is validated
against its declared model (views/api/answers, extra="forbid", strict types) — a 2xx against the
operation's `response`, an error against `Error`. A serializer that adds, drops or retypes a name without
its model makes the request raise AnswerMismatch, so the test that made it fails.
"""
from __future__ import annotations

from flask import Flask, Response, request
from pydantic import ValidationError

from ..registry import operation_of
from . import _model_adapter, answer_adapter

CONFIG_KEY = "API_CHECK_ANSWERS"


class AnswerMismatch(AssertionError):
    """An answer that does not match its declared model (only raised with API_CHECK_ANSWERS)."""


def check_answer(response: Response) -> Response:
    """Validate `response` (after_request) when its endpoint declares an @operation; return it unchanged.

    Raises AnswerMismatch with the endpoint, status and pydantic's list of what differs.
    """
    op = operation_of(request.endpoint)
    if op is None or response.mimetype != "application/json" or response.direct_passthrough:
        return response
    status = response.status_code
    if 200 <= status < 300:
        adapter = answer_adapter(op.response)
    elif status >= 400:
        adapter = _model_adapter("Error")
    else:
        adapter = None
    if adapter is None:
        return response
    try:
        try:
            adapter.validate_json(response.get_data(), strict=True)
        except ValidationError:
            if status not in op.extra.get("report_on", ()):  # an error status that may answer the record
                raise
            answer_adapter(op.response).validate_json(response.get_data(), strict=True)  # type: ignore
    except ValidationError as exc:
        raise AnswerMismatch(f"{request.method} {request.path} ({request.endpoint}) answered {status} "
                             f"not matching its declared model:\n{exc}") from None
    return response


def install(app: Flask) -> None:
    """Check every answer of `app` from now on (the tests turn this on with API_CHECK_ANSWERS)."""
    app.after_request(check_answer)
