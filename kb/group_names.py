"""A customer group's name in the reader's language: its English name in the English UI, else its name.

One place for the rule, so every page, select and facet shows the same name: templates use the
`group_name` filter (registered by kb.templating), views and services pass `english=ui_is_english()`.
"""
from __future__ import annotations

from typing import Any

from flask import has_request_context
from flask_babel import get_locale


def ui_is_english() -> bool:
    """True when the current request's interface language is English (Chinese is the default)."""
    if not has_request_context():
        return False
    locale = get_locale()
    return locale is not None and locale.language == "en"


def display_group_name(name: str | None, name_en: str | None, *, english: bool) -> str:
    """`name_en` when `english` and the group has one, else `name`."""
    if english and (name_en or "").strip():
        return (name_en or "").strip()
    return name or ""


def group_name(group: Any) -> str:
    """Template filter: the name of `group` (a CustomerGroup, or None → "") in the current UI language."""
    if group is None:
        return ""
    return display_group_name(group.name, getattr(group, "name_en", ""), english=ui_is_english())
