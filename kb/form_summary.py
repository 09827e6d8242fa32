"""The error summary above a form that failed: one line per field in error, in the reader's language.

A FieldList of row sub-forms (a visit's next steps, a plan's targets) reports its errors as nested lists
and dicts; each row's field in error gets its own line ("Next steps, row 1, Due: Not a valid date value."),
linked to that row's input, instead of the list's bare name with no message.
"""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

#: Field types never listed: they have no visible input to link to.
_UNSEEN = ("HiddenField", "CSRFTokenField")


def _messages(field: Any) -> list[str]:
    return [str(e) for e in field.errors if not isinstance(e, (dict, list, tuple))]


def _seen(field: Any) -> bool:
    return field.type not in _UNSEEN and getattr(field.widget, "input_type", "") != "hidden"


def _row_lines(field_list: Any) -> list[tuple[str, str]]:
    """Lines for the rows of a FieldList in error (each row a FormField or a plain field)."""
    lines = []
    for n, entry in enumerate(field_list.entries, start=1):
        subfields = list(entry.form) if entry.type == "FormField" else [entry]
        for sub in subfields:
            messages = _messages(sub)
            if not messages or not _seen(sub):
                continue
            line = _("%(label)s, row %(n)d, %(field)s: %(message)s", label=field_list.label.text, n=n,
                     field=sub.label.text, message=messages[0])
            lines.append((sub.id, line))
    return lines


def error_summary(form: Any) -> list[tuple[str, str]]:
    """`[(input id, "Label: first message"), …]` for the fields of `form` in error, in form order.

    Rows of a FieldList are listed one line per row field (see the module docstring); a list-level message
    (too many rows) is listed under the list's own label.
    """
    lines: list[tuple[str, str]] = []
    for field in form:
        if not _seen(field):
            continue
        messages = _messages(field)
        if messages:
            lines.append((field.id, f"{field.label.text}: {messages[0]}"))
        if field.type == "FieldList":  # rows' own errors, also those a service put there (kb.form_errors)
            lines += _row_lines(field)
    return lines
