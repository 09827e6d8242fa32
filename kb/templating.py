"""Jinja helpers shared by all templates: date formatting, labels, URL helpers."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask, request, url_for
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

from . import clock, formatting, labels, policy
from .form_summary import error_summary
from .group_names import group_name, ui_is_english
from .urls import id_url


def fmt_date(value: date | datetime | None) -> str:
    """A date as ``yyyy-MM-dd``; a stored (UTC) timestamp as ``yyyy-MM-dd HH:mm`` in the configured zone."""
    if value is None:
        return ""
    # The same digits as Babel's "yyyy-MM-dd HH:mm" / "yyyy-MM-dd" patterns in every UI language, written
    # directly (issue 9: Babel's pattern formatting was a visible part of pages with many dated rows).
    if isinstance(value, datetime):
        t = clock.local(value)
        return f"{t.year:04d}-{t.month:02d}-{t.day:02d} {t.hour:02d}:{t.minute:02d}"
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def url_with(**changes: Any) -> str:
    """The current URL with some query arguments changed (for filters and pagination)."""
    args = request.args.to_dict()
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    assert request.endpoint is not None
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def field_messages(field: Any) -> list[str]:
    """The error messages of a form field as text (lazy strings resolved; a FieldList's nested errors skipped)."""
    return [str(e) for e in field.errors if not isinstance(e, (dict, list, tuple))]


def field_a11y_attrs(field: Any, attrs: dict[str, Any], hint: Any = None) -> dict[str, Any]:
    """`attrs` for rendering a form field, plus what ties its hint and errors to it for assistive technology.

    ``aria-describedby`` names the hint (``<id>-hint``) and each error (``<id>-error-<n>``, as rendered by
    the ``field_errors`` macro); a field with errors is ``aria-invalid``.
    """
    described = [attrs["aria_describedby"]] if attrs.get("aria_describedby") else []
    if hint:
        described.append(f"{field.id}-hint")
    errors = field_messages(field)
    described += [f"{field.id}-error-{n}" for n in range(1, len(errors) + 1)]
    result = {**attrs}
    if described:
        result["aria_describedby"] = " ".join(described)
    if errors:
        result["aria_invalid"] = "true"
    return result


def list_label(value: str | None, kind: str) -> str:
    """Template filter: a stored industry or region (`kind`) as the reader's language shows it."""
    from .services.reference_lists import label_for  # services import templating helpers, not the reverse

    return label_for(kind, value, english=ui_is_english())


class _ProcessBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory for every app of this process.

    Jinja compiles a template once per environment, and each app has its own: the test suite, which builds
    thousands of apps in one process, compiled the same templates again in every test. A bucket is keyed by
    the template's name and file and checked against its source's checksum, so an edited template is
    compiled afresh. Every app of this process has the same extensions and options (`create_app`)."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_TEMPLATE_CODE = _ProcessBytecodeCache()


def use_shared_bytecode(app: Flask) -> None:
    """Have `app`'s Jinja environment, not yet created, share this process's compiled templates."""
    app.jinja_options = {**app.jinja_options, "bytecode_cache": _TEMPLATE_CODE}


def init_app(app: Flask) -> None:
    app.add_template_filter(fmt_date, "date")
    app.add_template_filter(list_label, "list_label")
    app.add_template_filter(group_name, "group_name")
    formatting.init_app(app)  # money, number, percent
    app.add_template_global(labels.label, "label")
    app.add_template_global(labels.choices, "choices")
    app.add_template_global(url_with, "url_with")
    app.add_template_global(id_url, "id_url")  # kb.urls: url_for once for a list's rows
    app.add_template_global(field_a11y_attrs, "field_a11y_attrs")
    app.add_template_global(field_messages, "field_messages")
    app.add_template_global(error_summary, "error_summary")
    app.add_template_global(policy, "policy")
