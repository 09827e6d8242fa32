"""What the API answers, declared once as pydantic models (extra="forbid"): the components of
/api/v1/openapi.json come from `model_json_schema(mode="serialization")`, and views/api/answers/check.py
validates real answers against the same models in the tests.

A view names its answer in `@operation(response=...)` with `ref("Account")` (one record),
`items_of("Lead", paged=True)` (a list) or a plain JSON Schema (files, this document).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic import BaseModel, TypeAdapter, create_model
from pydantic.json_schema import models_json_schema

from . import ltc, other, records
from .base import Answer, AnswerSchema, Page, without_titles

#: Every answer model by its component name (`#/components/schemas/<name>`).
MODELS: dict[str, type[BaseModel]] = {
    model.__name__: model for model in (
        other.Error, records.User, records.Token, records.NewToken, records.Account, records.AccountPage,
        records.Plan,
        records.PlanRevision, records.Stakeholder, records.NextStep, records.Interaction,
        records.TriangleSeat, records.CustomerGroup, ltc.Lead, ltc.Opportunity, ltc.OpportunitySeat,
        ltc.Risk, ltc.Milestone, ltc.Contract, ltc.Conversion, other.Handover, other.AccountCoverage,
        other.PersonalData, other.Erasure, other.ImportReport, other.Watches, other.SearchResults,
    )
}
PREFIX = "#/components/schemas/"


def ref(name: str) -> dict[str, str]:
    """The JSON Schema reference to the component `name` (a key of MODELS, or of _LISTS)."""
    if name not in MODELS and name not in _LISTS:
        raise KeyError(f"no answer model {name!r}")
    return {"$ref": PREFIX + name}


def items_of(name: str, *, paged: bool = False) -> dict[str, Any]:
    """`{"items": [...]}` of the component `name` (+ `page`, `per_page`, `total` when the list is paged)."""
    item = {"type": "array", "items": ref(name)}
    if not paged:
        return {"type": "object", "required": ["items"], "properties": {"items": item},
                "additionalProperties": False}
    return {"type": "object", "required": ["items", "page", "per_page", "total"],
            "properties": {"items": item, "page": {"type": "integer"}, "per_page": {"type": "integer"},
                           "total": {"type": "integer"}},
            "additionalProperties": False}


#: Named list components.
_LISTS: dict[str, tuple[str, bool]] = {}


def _components() -> dict[str, Any]:
    _refs, top = models_json_schema([(model, "serialization") for model in MODELS.values()],
                                    ref_template=PREFIX + "{model}", schema_generator=AnswerSchema)
    schemas = without_titles(top.get("$defs", {}))
    missing = set(MODELS) - set(schemas)
    if missing:  # a name pydantic had to qualify (two classes of one name): keep component names stable
        raise RuntimeError(f"answer models named twice: {sorted(missing)}")
    for name, (item, paged) in _LISTS.items():
        schemas[name] = items_of(item, paged=paged)
    return schemas


#: The `components.schemas` of the OpenAPI document (enumerations still marked `x-enum`: openapi.py
#: turns each into a description of every value's meaning in the caller's language).
SCHEMAS: dict[str, Any] = _components()
SEARCH_RESULTS = ref("SearchResults")


@lru_cache(maxsize=None)
def _list_model(name: str, paged: bool) -> type[BaseModel]:
    model = MODELS[name]
    return create_model(f"{name}{'Page' if paged else 'List'}", __base__=Page if paged else Answer,
                        items=(list[model], ...))  # type: ignore[valid-type]


def answer_adapter(schema: Any) -> TypeAdapter[Any] | None:
    """The validator of an `@operation(response=...)` declaration: its model for `ref(...)`, a list model
    for `items_of(...)`, None for a plain JSON Schema (not a model: files, the document itself)."""
    if not isinstance(schema, dict):
        return None
    target = schema.get("$ref", "")
    if target.startswith(PREFIX):
        name = target[len(PREFIX):]
        if name in _LISTS:
            return _adapter(*_LISTS[name])
        return _model_adapter(name)
    items = schema.get("properties", {}).get("items", {}).get("items", {}).get("$ref", "")
    if items.startswith(PREFIX) and items[len(PREFIX):] in MODELS:
        return _adapter(items[len(PREFIX):], "page" in schema["properties"])
    return None


@lru_cache(maxsize=None)
def _model_adapter(name: str) -> TypeAdapter[Any]:
    return TypeAdapter(MODELS[name])


@lru_cache(maxsize=None)
def _adapter(name: str, paged: bool) -> TypeAdapter[Any]:
    return TypeAdapter(_list_model(name, paged))


__all__ = ["MODELS", "SCHEMAS", "SEARCH_RESULTS", "AnswerSchema", "answer_adapter", "items_of", "ref"]
