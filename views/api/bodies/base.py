"""The building blocks of the API's request bodies: a pydantic base model and reusable field types.

Every body is a `BodyModel` (pydantic v2): `extra="forbid"` (a typo is an "Unknown field."), `strict=True`
(no "1" → 1, no 1 → true). Read-only names a GET returns (`READ_ONLY`, or a model's own `ignored`) are
dropped before validation, at every level, so a client may send back what it read. The limits come from
the services' constants (kb.services.*, kb.inputs.MAX_ID), the same ones the forms use: a type here takes
the limit as an argument and never repeats a number.

Types (each also gives the JSON Schema the OpenAPI document shows):
- `Text(max, min=0, strip=True)`: a string, stripped, `min`..`max` characters, no control characters
  (kb.inputs.unstorable_reason, the forms' rule), only invisible characters counting as empty
  (kb.inputs.blank_if_invisible); `Int(min, max=MAX_ID)`, `Id` (1..MAX_ID), `Version`.
- `IsoDate`: JSON "YYYY-MM-DD" only → `datetime.date`; `Choice(Enum)`: an enum's value → the member;
  `OneOf(values)`: one of a service's strings.
- `Amount`: a JSON number or a decimal string of at most 40 characters (the service checks sign and scale).
- `IdList(n)`: at most n ids, duplicates dropped (order kept); `StringList(n, max)`: blanks dropped;
  `StringMap(keys, max)`: an object with some of `keys`, string values.
Messages: a failed check raises an error whose `type` views/api/bodies/errors.py turns into the
translated message (one function for all of them).
"""
from collections.abc import Iterable
from datetime import date
import enum
import re
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, ValidationError,
    ValidatorFunctionWrapHandler, WithJsonSchema, WrapValidator, model_validator,
)
from pydantic_core import PydanticCustomError

from kb.inputs import MAX_ID, blank_if_invisible, unstorable_reason

#: Names the API returns but never takes as input.
READ_ONLY = frozenset({"id", "created_at", "updated_at", "created_by_id", "updated_by_id", "account_id"})
#: The longest decimal string an amount may be.
AMOUNT_MAX = 40
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class BodyModel(BaseModel):
    """A request body (or an object inside one). `ignored`: echoed read-only names, dropped unread."""

    model_config = ConfigDict(extra="forbid", strict=True)
    ignored: ClassVar[frozenset[str]] = READ_ONLY

    @model_validator(mode="before")
    @classmethod
    def _drop_read_only(cls, data: Any) -> Any:
        if isinstance(data, dict):
            drop = cls.ignored - set(cls.model_fields)
            return {key: value for key, value in data.items() if key not in drop}
        return data


def _storable(value: str) -> str:
    """The forms' rule (kb.inputs.unstorable_reason): no control characters; → value_error with the reason."""
    reason = unstorable_reason(value)
    if reason:
        raise ValueError(reason)
    return value


def Text(max_length: int, *, min: int = 0, strip: bool = True) -> Any:  # noqa: A002, N802
    """A string of `min`..`max_length` characters, after stripping blanks (unless `strip=False`)."""
    extra: list[Any] = []
    if min and strip:
        extra.append(Field(json_schema_extra={"pattern": r"\S"}))
    return Annotated[str, StringConstraints(strip_whitespace=strip, max_length=max_length,
                                            min_length=min or None), AfterValidator(_storable), *extra,
                     BeforeValidator(blank_if_invisible)]  # runs first: "\u200b" is as empty as ""


def _whole(value: Any) -> Any:
    """A float with no fractional part (JSON 5383.0, which JSON Schema counts as an integer) → the int;
    true/false and 5383.5 stay as they are, to be refused."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def Int(minimum: int, maximum: int = MAX_ID) -> Any:  # noqa: N802
    """A whole number in `minimum`..`maximum`; 5383.0 is one (JSON Schema's "integer"), true/false and 1.5
    are not."""
    return Annotated[int, BeforeValidator(_whole), Field(ge=minimum, le=maximum)]


Id = Int(1)
#: The `version` a client read (kb/services/versioning.py); null or left out: no conflict check.
Version = Int(0) | None


def _iso_date(value: Any) -> Any:
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise PydanticCustomError("iso_date", "Must be a date written YYYY-MM-DD.")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("iso_date", "Must be a date written YYYY-MM-DD.") from None


IsoDate = Annotated[date, BeforeValidator(_iso_date), WithJsonSchema({"type": "string", "format": "date"})]


def Choice(enum_cls: type[enum.Enum]) -> Any:  # noqa: N802
    """One of `enum_cls`'s values (a model enumeration) → the member. The document lists the values and,
    through `x-enum` (views/api/openapi.py), what each means in the caller's language."""
    allowed = [member.value for member in enum_cls]
    values = ", ".join(map(str, allowed))

    def check(value: Any) -> Any:
        if isinstance(value, str) and value in allowed:
            return enum_cls(value)
        raise PydanticCustomError("choice", "Must be one of: {values}.", {"values": values})
    return Annotated[enum_cls, BeforeValidator(check), WithJsonSchema(
        {"type": "string", "enum": allowed, "x-enum": enum_cls.__name__})]


def OneOf(values: tuple[str, ...]) -> Any:  # noqa: N802
    """One of the strings `values` (a service's list, e.g. its currencies), exactly as listed; a bad value's
    message names them all."""
    allowed = list(values)

    def check(value: Any) -> Any:
        if isinstance(value, str) and value in allowed:
            return value
        raise PydanticCustomError("choice", "Must be one of: {values}.", {"values": ", ".join(allowed)})
    return Annotated[str, BeforeValidator(check), WithJsonSchema({"type": "string", "enum": allowed})]


def _one_error(kind: str, priority: Iterable[str] = ()) -> WrapValidator:
    """A composite value (list, map, number-or-string) that fails gives ONE error on its field, of type
    `kind`, naming the first inner error (`inner`, in `priority` order) — views/api/bodies/errors.py words it."""
    order = list(priority)

    def wrap(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        try:
            return handler(value)
        except ValidationError as exc:
            errors = exc.errors()
            errors.sort(key=lambda e: order.index(e["type"]) if e["type"] in order else len(order))
            first = errors[0]
            ctx = {key: str(val) for key, val in (first.get("ctx") or {}).items()}
            raise PydanticCustomError(kind, "{inner}", {**ctx, "inner": first["type"]}) from None
    return WrapValidator(wrap)


_AMOUNT_SCHEMA = {"anyOf": [{"type": "number"},
                            {"type": "string", "maxLength": AMOUNT_MAX, "examples": ["1250000.00"]}]}
#: An amount: a JSON number or a decimal string (the service checks sign and precision).
Amount = Annotated[int | float | Annotated[str, StringConstraints(max_length=AMOUNT_MAX)],
                   _one_error("amount"), WithJsonSchema(_AMOUNT_SCHEMA)]


def _distinct(values: list[int]) -> list[int]:
    return list(dict.fromkeys(values))


def IdList(max_items: int) -> Any:  # noqa: N802
    """At most `max_items` record ids; duplicates dropped, order kept."""
    return Annotated[list[Id], Field(max_length=max_items), AfterValidator(_distinct),
                     _one_error("id_list", ("list_type", "int_type", "too_long"))]


def _no_blanks(values: list[str]) -> list[str]:
    return [value for value in values if value]


def StringList(max_items: int, max_length: int) -> Any:  # noqa: N802
    """A list of strings, stripped, blanks dropped; at most `max_items` of at most `max_length` each."""
    item = Annotated[str, StringConstraints(strip_whitespace=True, max_length=max_length),
                     AfterValidator(_storable)]

    def count(values: list[str]) -> list[str]:
        if len(values) > max_items:
            raise PydanticCustomError("too_long", "", {"max_length": max_items})
        return values
    return Annotated[list[item], AfterValidator(_no_blanks), AfterValidator(count),
                     _one_error("string_list", ("list_type", "string_type", "too_long", "string_too_long")),
                     WithJsonSchema({"type": "array", "maxItems": max_items,
                                     "items": {"type": "string", "maxLength": max_length}})]


def StringMap(keys: tuple[str, ...], max_length: int) -> Any:  # noqa: N802
    """An object whose keys are among `keys`, each value a string of at most `max_length` (not stripped)."""
    allowed = ", ".join(keys)

    def known_keys(value: Any) -> Any:
        if isinstance(value, dict):
            unknown = sorted(set(value) - set(keys))
            if unknown:
                raise PydanticCustomError("unknown_keys", "", {"keys": ", ".join(map(str, unknown)),
                                                               "allowed": allowed})
        return value
    value_type = Annotated[str, StringConstraints(max_length=max_length), AfterValidator(_storable)]
    return Annotated[dict[str, value_type],
                     _one_error("string_map", ("dict_type", "string_type", "string_too_long")),
                     BeforeValidator(known_keys),
                     WithJsonSchema({"type": "object", "additionalProperties": False, "properties": {
                         key: {"type": "string", "maxLength": max_length} for key in keys}})]
