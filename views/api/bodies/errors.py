"""pydantic's ValidationError → the API's 422 `{"error": {"code", "message", "fields"}}`.

`field_errors` is the one place a validation error `type` (pydantic's own, or ours from
views/api/bodies/base.py) becomes a translated message; field keys are the body's names, a nested list
of objects is keyed by index (`{"next_steps": {"0": {"text": "Required."}}}`), one message per field.
"""
from __future__ import annotations

from typing import Any, get_args

from flask_babel import gettext as _
from pydantic import BaseModel, ValidationError


class InvalidInput(Exception):
    """Wrong types, missing required fields, bad enum values, too long: `fields` says which and why."""

    def __init__(self, fields: dict[str, Any]) -> None:
        super().__init__("invalid input")
        self.fields = fields


def _n(ctx: dict[str, Any], key: str) -> int:
    return int(ctx[key])


def _length(ctx: dict[str, Any]) -> str:
    return _("At most %(n)d characters.", n=_n(ctx, "max_length"))


def _composite(kind: str, inner: str, ctx: dict[str, Any]) -> str:
    """The message of a whole list / map / amount (base._one_error) from its first inner error."""
    if kind == "amount":
        return _("Must be a number or a decimal string, e.g. \"1250000.00\".")
    if inner == "too_long":
        return _("At most %(n)d items.", n=_n(ctx, "max_length"))
    if inner == "value_error":
        return str(ctx.get("error", "")).removeprefix("Value error, ")
    if kind == "id_list":
        if inner in ("list_type", "int_type"):
            return _("Must be a list of ids (whole numbers).")
        return _("Ids are positive whole numbers.")
    if kind == "string_list":
        if inner == "string_too_long":
            return _("Each item: %(message)s", message=_length(ctx))
        return _("Must be a list of strings.")
    if inner == "string_too_long":  # string_map
        return _("Each value: %(message)s", message=_length(ctx))
    if inner == "string_type":
        return _("Values must be strings.")
    return _("Must be an object.")


def message(error: Any, *, required: bool | None) -> str:
    """The translated message of one pydantic error (a dict of `ValidationError.errors()`); `required`:
    whether the named field it is about must be given (a null then reads "Required.", else "May not be
    null."); None when the error is about an item of a list (a null item is no object)."""
    kind: str = error["type"]
    ctx: dict[str, Any] = error.get("ctx") or {}
    if kind == "missing":
        return _("Required.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if error.get("input", ...) is None and required is not None:
        return _("Required.") if required else _("May not be null.")
    if kind in ("amount", "id_list", "string_list", "string_map"):
        return _composite(kind, ctx.get("inner", ""), ctx)
    if kind == "string_type":
        return _("Must be a string.")
    if kind == "string_too_long":
        return _length(ctx)
    if kind == "string_too_short":
        if _n(ctx, "min_length") == 1:
            return _("Required.")
        return _("At least %(n)d characters.", n=_n(ctx, "min_length"))
    if kind in ("int_type", "int_parsing", "int_from_float", "int_parsing_size"):
        return _("Must be a whole number.")
    if kind in ("string_unicode", "string_sub_type"):
        return _("Must be valid Unicode text.")
    if kind in ("float_type", "float_parsing", "finite_number", "decimal_type", "decimal_parsing"):
        return _("Must be a number.")
    if kind == "greater_than_equal":
        return _("Must be at least %(n)d.", n=_n(ctx, "ge"))
    if kind == "less_than_equal":
        return _("Must be at most %(n)d.", n=_n(ctx, "le"))
    if kind == "greater_than":
        return _("Must be more than %(n)s.", n=ctx.get("gt", ""))
    if kind == "less_than":
        return _("Must be less than %(n)s.", n=ctx.get("lt", ""))
    if kind == "multiple_of":
        return _("Must be a multiple of %(n)s.", n=ctx.get("multiple_of", ""))
    if kind == "too_short":
        return _("At least %(n)d items.", n=_n(ctx, "min_length"))
    if kind in ("bool_type", "bool_parsing"):
        return _("Must be true or false.")
    if kind in ("choice", "enum", "literal_error"):
        return _("Must be one of: %(values)s.", values=ctx.get("values") or ctx.get("expected", ""))
    if kind == "iso_date" or kind.startswith("date_"):
        return _("Must be a date written YYYY-MM-DD.")
    if kind == "list_type":
        return _("Must be a list of objects.")
    if kind == "too_long":
        return _("At most %(n)d items.", n=_n(ctx, "max_length"))
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("Must be an object.")
    if kind == "unknown_keys":
        return _("Unknown keys: %(keys)s. Allowed: %(allowed)s.", keys=ctx["keys"], allowed=ctx["allowed"])
    if kind == "expiry":
        return _("Choose when the token expires: 30, 90 or 365 days.")
    if kind == "seat_user":
        return _("Must be a user id or null.")
    if kind == "value_error":
        return str(ctx.get("error", ""))
    if kind in ("json_invalid", "json_type"):
        return _("Must be valid JSON.")
    # Any other pydantic type (its own `msg` is English only): a translated, general message.
    return _("Not a valid value.")


def inner_model(model: type[BaseModel] | None, name: Any) -> type[BaseModel] | None:
    """The model of the objects under `model`'s field `name` (a list of objects, an object), if any."""
    if model is None or not isinstance(name, str) or name not in model.model_fields:
        return None
    stack = [model.model_fields[name].annotation]
    while stack:
        candidate = stack.pop()
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
        stack.extend(get_args(candidate))
    return None


def field_errors(exc: ValidationError, model: type[BaseModel]) -> dict[str, Any]:
    """`{field: message}` for every bad field of a body `model` refused (the first error per field);
    errors inside a list of objects nest per index, an item that is no object under its index's `_`."""
    fields: dict[str, Any] = {}
    for error in exc.errors():
        loc = list(error["loc"])
        if not loc:
            loc = ["_"]
        item = isinstance(loc[-1], int)
        if item:  # an item of a list of objects that is no object
            loc.append("_")
        owner: type[BaseModel] | None = model
        for step in loc[:-1]:
            owner = inner_model(owner, step) if isinstance(step, str) else owner
        name = loc[-1]
        info = owner.model_fields.get(name) if owner is not None and isinstance(name, str) else None
        text = message(error, required=None if item else info is not None and info.is_required())
        place = fields
        for step in loc[:-1]:
            place = place.setdefault(str(step), {})
            if not isinstance(place, dict):
                break
        else:
            place.setdefault(str(name), text)
    return fields
