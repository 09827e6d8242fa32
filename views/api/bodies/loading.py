"""Reading a request body into clean values, and describing a body model in the OpenAPI document.

`load_body(Model, partial=...)` → the dict of clean values the services take (only the names the client
sent; enum members, `date`s, nested objects as dicts), or 400 / 413 / 422. PATCH (`partial=True`)
validates with `partial_model(Model)`: the same model, generated once and cached, whose fields are all
optional (a field left out is not touched); an explicit null is still refused where the field is not
nullable ("May not be null."). Nested objects (e.g. next steps) keep their required fields.

Read-only names (a model's `ignored`: id, account_id, created_at, …) on a PATCH / PUT of an existing record
are compared with `current`, the record as GET gives it: the same value is accepted and dropped (a client
sends back what it read); another value, or a name GET does not give, is a 422 "This field cannot be
changed." on that field, and nothing is saved. Nested objects (next steps, targets) still drop theirs.
"""
from __future__ import annotations

import copy
import json
from functools import cache
from collections.abc import Mapping
from typing import Any

from flask import abort, current_app, request
from flask_babel import gettext as _
from pydantic import BaseModel, ValidationError, create_model

from .errors import InvalidInput, field_errors, inner_model

REF_TEMPLATE = "#/components/schemas/{model}"


@cache
def partial_model(model: type[BaseModel]) -> type[BaseModel]:
    """`model` with every field optional (default: left out), for PATCH; built once per model."""
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        optional = copy.copy(info)
        optional.default = None
        optional.default_factory = None
        fields[name] = (info.annotation, optional)
    return create_model(f"{model.__name__}Partial", __base__=model, **fields)  # type: ignore[call-overload]


def json_body() -> Any:
    """The request's JSON body; a missing, non-JSON or malformed body → 400 (too large → 413)."""
    if not request.is_json:
        abort(400, description=_("Send a JSON body with 'Content-Type: application/json'."))
    raw = request.get_data(cache=True)
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        abort(400, description=_("The body is not valid JSON."))


def _canonical(value: Any) -> str:
    """`value` as JSON text with sorted keys, so 1 and true, or 1 and 1.0, are not the same value."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def read_only_errors(model: type[BaseModel], data: Mapping[str, Any],
                     current: Mapping[str, Any]) -> dict[str, str]:
    """`{name: "This field cannot be changed."}` for each read-only name of `model` (its `ignored` names
    that are no field) that `data` (the JSON body) gives with a value other than `current`'s (the record
    as GET serialises it; a name `current` lacks counts as different). Empty when all match."""
    names = getattr(model, "ignored", frozenset()) - set(model.model_fields)
    stored = json.loads(current_app.json.dumps(dict(current)))  # dates, decimals as GET writes them
    missing = object()
    return {name: _("This field cannot be changed.") for name in sorted(names & set(data))
            if stored.get(name, missing) is missing or _canonical(data[name]) != _canonical(stored[name])}


def clean(model: type[BaseModel], data: Any, *, partial: bool = False,
          current: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Validate `data` (a JSON object) with `model` → the values sent, cleaned; else InvalidInput (422).
    `current`: the record as GET gives it, to refuse read-only names sent with another value."""
    if not isinstance(data, dict):
        raise InvalidInput({"_": _("Must be an object.")})
    fixed = read_only_errors(model, data, current) if current is not None else {}
    try:
        body = (partial_model(model) if partial else model).model_validate(data)
    except ValidationError as exc:
        raise InvalidInput({**field_errors(exc, model), **fixed}) from None
    if fixed:
        raise InvalidInput(fixed)
    return body.model_dump(exclude_unset=True)


def load_body(model: type[BaseModel], *, partial: bool = False,
              current: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Read the JSON object of the request and clean it with `model` (400 / 413 / 422).

    `current`: the record being changed, as GET serialises it (required with `partial`, i.e. on every
    PATCH; a PUT of an existing record passes it too): a read-only name sent with another value → 422
    naming it. `model` must be the one the view's operation declares (views.api.registry), so the
    document describes what is checked; another one, or a PATCH without `current`, is a programming
    error (RuntimeError)."""
    from ..registry import registered_body  # late: the registry imports this package

    declared = registered_body(request.endpoint)
    if declared is not None and (declared[0] is not model or declared[1] != partial):
        raise RuntimeError(f"{request.endpoint}: load_body() model differs from the declared operation")
    if partial and current is None:
        raise RuntimeError(f"{request.endpoint}: a PATCH passes the record as GET gives it (current=...)")
    data = json_body()
    if not isinstance(data, dict):
        abort(400, description=_("The body must be a JSON object."))
    return clean(model, data, partial=partial, current=current)


def _tidy(schema: dict[str, Any]) -> dict[str, Any]:
    """An object schema as the document shows it: no pydantic titles nor `default: null` (a field left
    out is not null, and a default is never stored for it)."""
    out = {key: value for key, value in schema.items() if key != "title"}
    out["properties"] = {
        name: {key: value for key, value in prop.items() if key not in ("title", "default")}
        for name, prop in schema.get("properties", {}).items()}
    return out


#: The description of an echoed read-only name (translated with the rest of the document's prose).
READ_ONLY_NOTE = ("Read-only: on a change, the value GET gives is accepted and ignored; another value is "
                  "refused (422 \"This field cannot be changed.\").")


def _described(model: type[BaseModel], schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with the read-only names `model` accepts and ignores (a GET's echo sent back) declared as
    optional `readOnly` properties of any value, so `additionalProperties: false` and the server agree."""
    ignored = sorted(getattr(model, "ignored", frozenset()) - set(model.model_fields))
    # The model's docstring names its endpoint for readers of the code; the operation says it already.
    schema.pop("description", None)
    for name in ignored:
        schema["properties"][name] = {"readOnly": True, "description": READ_ONLY_NOTE}
    return schema


@cache
def _schemas(model: type[BaseModel]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the body's schema, the schemas of its nested objects by name), built once per model."""
    full = model.model_json_schema(ref_template=REF_TEMPLATE, mode="validation")
    defs = full.pop("$defs", {})
    models = {m.__name__: m for m in _nested_models(model)}
    return _described(model, _tidy(full)), {
        name: _described(models[name], _tidy(schema)) if name in models else schema
        for name, schema in defs.items()}


def _nested_models(model: type[BaseModel]) -> list[type[BaseModel]]:
    found, todo = [], [model]
    while todo:
        current = todo.pop()
        for name in current.model_fields:
            inner = inner_model(current, name)
            if inner is not None and inner not in found:
                found.append(inner)
                todo.append(inner)
    return found


def body_json_schema(model: type[BaseModel], *, partial: bool = False) -> dict[str, Any]:
    """The JSON Schema (OpenAPI 3.1) of a body `model` accepts; `partial`: nothing required (PATCH).
    Nested objects are `$ref`s to #/components/schemas (see `body_components`)."""
    schema = copy.deepcopy(_schemas(model)[0])
    if partial:
        schema.pop("required", None)
    return schema


def body_components(models: list[type[BaseModel]]) -> dict[str, Any]:
    """The component schemas the bodies of `models` refer to (their nested objects), by name."""
    out: dict[str, Any] = {}
    for model in models:
        out.update(copy.deepcopy(_schemas(model)[1]))
    return out
