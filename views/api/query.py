"""Query-string parameters declared once per operation: `Query.load()` cleans them (422 naming the
parameter, the same messages as before) and `Query.parameters()` describes them in /api/v1/openapi.json.
"""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import request
from flask_babel import gettext as _

from kb.inputs import MAX_ID
from kb.labels import label

from .bodies.errors import InvalidInput

MAX_PER_PAGE = 100
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Param:
    """One query parameter: `kind` is int, text, bool, date (YYYY-MM-DD → a date), enum (an Enum class),
    choice (plain strings) or choices (comma-separated choices, the parameter repeatable → a tuple)."""

    name: str
    kind: str
    description: str = ""
    default: Any = None
    minimum: int = 1
    maximum: int = MAX_ID
    max_length: int = 200
    enum_cls: type[enum.Enum] | None = None
    choices: tuple[str, ...] = ()
    #: A callable giving the (translated) message that replaces the generic one for a bad value.
    message: Any = None
    required: bool = False
    #: A text parameter's documented format (JSON Schema `pattern`); the service checks it (and the rest).
    pattern: str = ""
    #: A text parameter's own check: a callable giving the (translated) reason `raw` is refused, or None.
    check: Any = None

    def load(self, raw: str | None, *, labelled: bool = False) -> Any:
        """The clean value of `raw` (None when absent: the default); bad → InvalidInput for this name.

        `labelled`: a page (not the API) is asking, so a refused enum value is answered with the allowed
        values' translated labels; the API names the documented codes."""
        if self.kind == "text":
            if self.check is not None and (reason := self.check(raw or "")):
                self._fail(reason)
            return (raw or "").replace("\x00", "").strip()[:self.max_length]
        raw = (raw or "").strip()
        if raw == "":
            if self.required:
                self._fail(_("Required."))  # replaced by `message` when there is one
            return self.default
        if self.kind == "int":
            whole = raw.isascii() and raw.isdigit() and len(raw) <= 10
            if not whole or not self.minimum <= int(raw) <= self.maximum:
                self._fail(_("Must be a whole number from %(a)d to %(b)d.", a=self.minimum, b=self.maximum))
            return int(raw)
        if self.kind == "date":
            try:
                if not _ISO_DATE.match(raw):
                    raise ValueError(raw)
                return date.fromisoformat(raw)
            except ValueError:
                self._fail(_("Must be a date written YYYY-MM-DD."))
        if self.kind == "choices":
            items = tuple(dict.fromkeys(item.strip() for item in raw.split(",") if item.strip()))
            unknown = [item for item in items if item not in self.choices]
            if unknown:
                self._fail(_("Must be one of: %(values)s.", values=", ".join(self.choices)))
            return items
        if self.kind == "bool":
            value = {"true": True, "1": True, "false": False, "0": False}.get(raw.lower())
            if value is None:
                self._fail(_("Must be true or false."))
            return value
        allowed = [m.value for m in self.enum_cls] if self.enum_cls is not None else list(self.choices)
        if raw not in allowed:
            shown = ([str(label(m)) for m in self.enum_cls] if labelled and self.enum_cls is not None
                     else allowed)
            self._fail(_("Must be one of: %(values)s.", values=", ".join(shown)))
        return self.enum_cls(raw) if self.enum_cls is not None else raw

    def _fail(self, message: str) -> None:
        raise InvalidInput({self.name: self.message() if self.message is not None else message})

    def json_schema(self) -> dict[str, Any]:
        """The parameter's JSON Schema, with the same bounds `load` applies."""
        if self.kind == "int":
            return {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}
        if self.kind == "bool":
            return {"type": "string", "enum": ["true", "false", "1", "0"]}
        if self.kind == "text":
            return {"type": "string", "pattern": self.pattern} if self.pattern else {"type": "string"}
        if self.kind == "date":
            return {"type": "string", "format": "date"}
        if self.kind == "choices":
            return {"type": "string", "pattern": "^(%s)(,(%s))*$" % (("|".join(self.choices),) * 2)}
        allowed = [m.value for m in self.enum_cls] if self.enum_cls is not None else list(self.choices)
        out: dict[str, Any] = {"type": "string", "enum": allowed}
        if self.enum_cls is not None:
            out["x-enum"] = self.enum_cls.__name__
        return out


@dataclass(frozen=True)
class Query:
    """The query parameters of one operation."""

    params: tuple[Param, ...]

    def __add__(self, other: Query) -> Query:
        return Query(self.params + other.params)

    def load(self, *, labelled: bool = False) -> dict[str, Any]:
        """Every declared parameter's clean value by name; all bad parameters at once → 422.
        `labelled=True` for a page: refused enum values are answered with labels (see `Param.load`)."""
        values, errors = {}, {}
        for param in self.params:
            try:
                raw = (",".join(request.args.getlist(param.name)) if param.kind == "choices"
                       else request.args.get(param.name))
                values[param.name] = param.load(raw, labelled=labelled)
            except InvalidInput as exc:
                errors.update(exc.fields)
        if errors:
            raise InvalidInput(errors)
        return values


PAGING = Query((
    Param("page", "int", "Page number, from 1.", default=1, maximum=1_000_000),
    Param("per_page", "int", "Items per page, 1–100 (default 25).", default=25, maximum=MAX_PER_PAGE),
))
