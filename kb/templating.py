"""Jinja helpers shared by all templates: date formatting, labels, URL helpers."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask, request, url_for
from flask_babel import format_date, format_datetime

from . import clock, labels, policy


def fmt_date(value: date | datetime | None) -> str:
    """A date as ``yyyy-MM-dd``; a stored (UTC) timestamp as ``yyyy-MM-dd HH:mm`` in the configured zone."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(clock.local(value), "yyyy-MM-dd HH:mm", rebase=False)
    return format_date(value, "yyyy-MM-dd")


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


def init_app(app: Flask) -> None:
    app.add_template_filter(fmt_date, "date")
    app.add_template_global(labels.label, "label")
    app.add_template_global(labels.choices, "choices")
    app.add_template_global(url_with, "url_with")
    app.add_template_global(policy, "policy")
