"""What every answer model shares: `extra="forbid"`, the JSON types of dates, times and amounts, the audit
fields, and the JSON Schema generator that marks enumerations for views/api/openapi.py.

Why pydantic (v2): one declaration gives both the OpenAPI component (`model_json_schema(mode=
"serialization")`) and a validator the tests run on every answer (views/api/answers/check.py), so a name
a serializer adds without its model fails a test instead of drifting from the document.
"""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

#: An exact amount with two decimals as a string ("1250000.00"; views/api/serializers_ltc.money).
Money = Annotated[str, Field(pattern=r"^-?[0-9]+\.[0-9]{2}$",
                             description="Exact decimal with two places, e.g. \"1250000.00\".")]
Day = date
Instant = datetime


class Answer(BaseModel):
    """Base of every answer model: names the serializer does not give are refused (`extra="forbid"`)."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)


class Audited(Answer):
    """`created_at`, `updated_at` (ISO 8601) and who made and last changed the record (user ids)."""

    created_at: Instant
    updated_at: Instant
    created_by_id: int | None
    updated_by_id: int | None


class Page(Answer):
    """The paging names of a paged list."""

    page: int
    per_page: int
    total: int


class AnswerSchema(GenerateJsonSchema):
    """pydantic's generator, plus: every enumeration carries `x-enum` (its class name in `models`), which
    views/api/openapi.py replaces by the meaning of each value in the caller's language; no `title` on
    every property (the names say it)."""

    def enum_schema(self, schema: core_schema.EnumSchema) -> JsonSchemaValue:
        out = super().enum_schema(schema)
        cls: type[enum.Enum] = schema["cls"]
        out["x-enum"] = cls.__name__
        out.pop("description", None)
        return out

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        """A name with a None default is one the serializer may leave out: not required, no `default`."""
        out = super().default_schema(schema)
        if out.get("default", 0) is None:
            out.pop("default")
        return out


def without_titles(value: Any) -> Any:
    """`value` (a JSON Schema) without the `title` pydantic gives each model."""
    if isinstance(value, dict):
        return {k: without_titles(v) for k, v in value.items()
                if not (k == "title" and isinstance(v, str))}
    if isinstance(value, list):
        return [without_titles(v) for v in value]
    return value
