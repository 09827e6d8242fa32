"""A tiny schema helper for JSON input: the shape of what callers send (services check the meaning).

A `Schema` maps field names to `Field`s. `Schema.load(data, partial=...)` returns the clean values or raises
`InvalidInput` with one message per bad field (→ 422). Read-only names (ids, timestamps a GET returned) are
ignored so a client may send back what it read; any other unknown name is an error, which catches typos.
"""
from __future__ import annotations

import enum
import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Mapping

from flask import abort, request
from flask_babel import gettext as _

from kb.inputs import MAX_ID, unstorable_reason

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

#: Names the API returns but never takes as input.
READ_ONLY = frozenset({"id", "created_at", "updated_at", "created_by_id", "updated_by_id", "account_id"})


class InvalidInput(Exception):
    """Wrong types, missing required fields, bad enum values, too long: `fields` says which and why."""

    def __init__(self, fields: dict[str, Any]) -> None:
        super().__init__("invalid input")
        self.fields = fields


class Invalid(Exception):
    """Raised by a field's check with the message for that field."""


@dataclass(frozen=True)
class Field:
    """One input field: `check` turns the raw JSON value into a clean one or raises `Invalid`."""

    check: Callable[[Any], Any]
    required: bool = False
    nullable: bool = False
    #: The JSON Schema of an accepted value (for /api/v1/openapi.json): the same limits `check` applies.
    schema: Mapping[str, Any] = field(default_factory=dict)

    def json_schema(self) -> dict[str, Any]:
        """The field's JSON Schema (OpenAPI 3.1), `null` allowed when the field is nullable."""
        out = dict(self.schema)
        if not self.nullable:
            return out
        if "type" not in out:
            return {"anyOf": [out, {"type": "null"}]}
        types = [out["type"]] if isinstance(out["type"], str) else list(out["type"])
        return {**out, "type": [*types, "null"]}

    def nullable_copy(self) -> Field:
        """The same field, also accepting null."""
        return Field(self.check, self.required, True, self.schema)


def _message_length(max_length: int) -> str:
    return _("At most %(n)d characters.", n=max_length)


def _storable(value: str) -> str:
    """Refuse text no database should be asked to store (the forms' rule: kb.inputs.unstorable_reason)."""
    reason = unstorable_reason(value)
    if reason:
        raise Invalid(reason)
    return value


def string(max_length: int, *, min_length: int = 0, required: bool = False, nullable: bool = False,
           strip: bool = True) -> Field:
    """A text field of `min_length`..`max_length` characters (after stripping blanks, by default)."""
    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise Invalid(_("Must be a string."))
        value = _storable(value.strip() if strip else value)
        if len(value) > max_length:
            raise Invalid(_message_length(max_length))
        if len(value) < min_length:
            short = _("Required.") if min_length == 1 else _("At least %(n)d characters.", n=min_length)
            raise Invalid(short)
        return value
    schema = {"type": "string", "maxLength": max_length}
    if min_length:
        schema["minLength"] = min_length
        if strip:
            schema["pattern"] = r"\S"
    return Field(check, required, nullable, schema)


def integer(*, minimum: int | None = None, maximum: int | None = MAX_ID, required: bool = False,
            nullable: bool = False) -> Field:
    """A whole number (JSON booleans are not numbers here) within optional bounds."""
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(_("Must be a whole number."))
        if minimum is not None and value < minimum:
            raise Invalid(_("Must be at least %(n)d.", n=minimum))
        if maximum is not None and value > maximum:
            raise Invalid(_("Must be at most %(n)d.", n=maximum))
        return value
    schema: dict[str, Any] = {"type": "integer"}
    if minimum is not None:
        schema["minimum"] = minimum
    if maximum is not None:
        schema["maximum"] = maximum
    return Field(check, required, nullable, schema)


def boolean(*, required: bool = False) -> Field:
    def check(value: Any) -> bool:
        if not isinstance(value, bool):
            raise Invalid(_("Must be true or false."))
        return value
    return Field(check, required, schema={"type": "boolean"})


def iso_date(*, required: bool = False, nullable: bool = False) -> Field:
    """A calendar date written YYYY-MM-DD."""
    def check(value: Any) -> date:
        if not isinstance(value, str) or not ISO_DATE.match(value):
            raise Invalid(_("Must be a date written YYYY-MM-DD."))
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise Invalid(_("Must be a date written YYYY-MM-DD.")) from None
    return Field(check, required, nullable, {"type": "string", "format": "date"})


def choice(enum_cls: type[enum.Enum], *, required: bool = False) -> Field:
    """One of the values of `enum_cls`; returns the enum member."""
    allowed = [m.value for m in enum_cls]

    def check(value: Any) -> enum.Enum:
        if not isinstance(value, str) or value not in allowed:
            raise Invalid(_("Must be one of: %(values)s.", values=", ".join(map(str, allowed))))
        return enum_cls(value)
    return Field(check, required, schema={"type": "string", "enum": allowed,
                                          "x-enum": enum_cls.__name__})


def id_list(*, max_items: int = 100, required: bool = False) -> Field:
    """A list of distinct record ids (positive whole numbers), order kept."""
    def check(value: Any) -> list[int]:
        if not isinstance(value, list) or any(isinstance(v, bool) or not isinstance(v, int) for v in value):
            raise Invalid(_("Must be a list of ids (whole numbers)."))
        if len(value) > max_items:
            raise Invalid(_("At most %(n)d items.", n=max_items))
        if any(v < 1 or v > MAX_ID for v in value):
            raise Invalid(_("Ids are positive whole numbers."))
        return list(dict.fromkeys(value))
    return Field(check, required, schema={
        "type": "array", "maxItems": max_items,
        "items": {"type": "integer", "minimum": 1, "maximum": MAX_ID}})


def string_list(*, max_items: int, max_length: int, required: bool = False) -> Field:
    """A list of non-empty strings (blank entries are dropped)."""
    def check(value: Any) -> list[str]:
        if not isinstance(value, list) or any(not isinstance(v, str) for v in value):
            raise Invalid(_("Must be a list of strings."))
        items = [_storable(v.strip()) for v in value if v.strip()]
        if len(items) > max_items:
            raise Invalid(_("At most %(n)d items.", n=max_items))
        if any(len(v) > max_length for v in items):
            raise Invalid(_("Each item: %(message)s", message=_message_length(max_length)))
        return items
    return Field(check, required, schema={
        "type": "array", "maxItems": max_items, "items": {"type": "string", "maxLength": max_length}})


def string_map(keys: tuple[str, ...], *, max_length: int, required: bool = False) -> Field:
    """An object whose keys are among `keys` and whose values are strings of at most `max_length`."""
    def check(value: Any) -> dict[str, str]:
        if not isinstance(value, dict):
            raise Invalid(_("Must be an object."))
        unknown = sorted(set(value) - set(keys))
        if unknown:
            raise Invalid(_("Unknown keys: %(keys)s. Allowed: %(allowed)s.", keys=", ".join(unknown),
                            allowed=", ".join(keys)))
        if any(not isinstance(v, str) for v in value.values()):
            raise Invalid(_("Values must be strings."))
        if any(len(v) > max_length for v in value.values()):
            raise Invalid(_("Each value: %(message)s", message=_message_length(max_length)))
        return {k: _storable(v) for k, v in value.items()}
    return Field(check, required, schema={
        "type": "object", "additionalProperties": False,
        "properties": {k: {"type": "string", "maxLength": max_length} for k in keys}})


def object_list(schema: Schema, *, max_items: int, required: bool = False) -> Field:
    """A list of objects, each checked by `schema`; errors come back per index."""
    def check(value: Any) -> list[dict[str, Any]]:
        if not isinstance(value, list):
            raise Invalid(_("Must be a list of objects."))
        if len(value) > max_items:
            raise Invalid(_("At most %(n)d items.", n=max_items))
        items, errors = [], {}
        for index, item in enumerate(value):
            try:
                items.append(schema.load(item))
            except InvalidInput as exc:
                errors[str(index)] = exc.fields
        if errors:
            raise Invalid(errors)
        return items
    return Field(check, required,
                 schema={"type": "array", "maxItems": max_items, "items": schema.json_schema()})


@dataclass(frozen=True)
class Schema:
    """Named fields, plus names to ignore (read-only values a client may echo back)."""

    fields: Mapping[str, Field]
    ignore: frozenset[str] = field(default=READ_ONLY)

    def load(self, data: Any, *, partial: bool = False) -> dict[str, Any]:
        """Clean `data` (a JSON object); with `partial`, required fields may be left out (PATCH)."""
        if not isinstance(data, dict):
            raise InvalidInput({"_": _("Must be an object.")})
        clean: dict[str, Any] = {}
        errors: dict[str, Any] = {}
        for name in data:
            if name not in self.fields and name not in self.ignore:
                errors[name] = _("Unknown field.")
        for name, spec in self.fields.items():
            if name not in data:
                if spec.required and not partial:
                    errors[name] = _("Required.")
                continue
            value = data[name]
            if value is None:
                if spec.nullable:
                    clean[name] = None
                else:
                    errors[name] = _("Required.") if spec.required else _("May not be null.")
                continue
            try:
                clean[name] = spec.check(value)
            except Invalid as exc:
                errors[name] = exc.args[0]
        if errors:
            raise InvalidInput(errors)
        return clean

    def json_schema(self, *, partial: bool = False) -> dict[str, Any]:
        """The JSON Schema of a body this schema accepts (`partial`: nothing required, as PATCH takes it).

        Echoed read-only names are accepted (and ignored): the description lists them."""
        properties: dict[str, Any] = {name: spec.json_schema() for name, spec in self.fields.items()}
        out: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
        ignored = sorted(self.ignore - set(self.fields))
        if ignored:
            out["description"] = ("Also accepted and ignored (read-only, as GET gives them): "
                                  + ", ".join(ignored))
        required = [name for name, spec in self.fields.items() if spec.required and not partial]
        if required:
            out["required"] = required
        return out


def json_body() -> Any:
    """The request's JSON body; a missing, non-JSON or malformed body → 400 (too large → 413)."""
    if not request.is_json:
        abort(400, description=_("Send a JSON body with 'Content-Type: application/json'."))
    raw = request.get_data(cache=True)
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        abort(400, description=_("The body is not valid JSON."))


def load_body(schema: Schema, *, partial: bool = False) -> dict[str, Any]:
    """Read the JSON object of the request and clean it with `schema` (400 / 413 / 422).

    `schema` must be the one the view's operation declares (views.api.registry), so the document
    describes what is checked; another one is a programming error (RuntimeError)."""
    from .registry import registered_body  # late: the registry imports this module

    declared = registered_body(request.endpoint)
    if declared is not None and (declared[0] is not schema or declared[1] != partial):
        raise RuntimeError(f"{request.endpoint}: load_body() schema differs from the declared operation")
    data = json_body()
    if not isinstance(data, dict):
        abort(400, description=_("The body must be a JSON object."))
    return schema.load(data, partial=partial)
