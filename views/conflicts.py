"""Edit conflicts on the pages: the field-by-field view shown when a form was saved from a stale version.

One mechanism for every versioned record (accounts, stakeholders, interactions, customer groups, users):
the form carries the version it was opened at (`VersionField`); when the service raises Conflict, the view
calls `conflict_page_rows` with the submitted form and a form filled from the stored record. The page keeps
what the user typed in the form, lists each field that differs (stored now / yours) and sets the version
to the stored one, so saving again deliberately replaces the stored record; reloading the edit page takes
the stored values instead.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import flash, render_template
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import Field, HiddenField
from wtforms.fields.choices import SelectChoice

from kb.services.versioning import parse_version

#: Fields that are not the record's content.
_SKIP = frozenset({"csrf_token", "submit_token", "version", "password", "confirm", "id"})


class VersionField(HiddenField):
    """The version of the record the form was opened at (hidden); empty on a new record."""

    def version(self) -> int | None:
        """The submitted version as a number; None when absent or not a number (then not checked)."""
        return parse_version(self.data)


@dataclass(frozen=True)
class ConflictRow:
    """One field whose stored value differs from what the user submitted."""

    key: str
    label: str
    stored: str
    mine: str


def _choice_labels(field: Field) -> dict[str, str]:
    pairs = [(c.value, c.label) if isinstance(c, SelectChoice) else (c[0], c[1])
             for c in (getattr(field, "choices", None) or [])]
    return {str(value): str(label) for value, label in pairs}


def _display(field: Field, like: Field) -> str:
    """The field's value as a reader sees it; select labels are taken from `like` (the prepared form)."""
    kind = field.type
    if kind == "FieldList":
        rows = [_display_row(entry, like.entries[0] if like.entries else entry) for entry in field.entries]
        return "\n".join(row for row in rows if row)
    if kind in ("SelectMultipleField", "MultiCheckboxField"):
        labels = _choice_labels(like)
        return "、".join(labels.get(str(v), str(v)) for v in (field.data or []))
    if kind == "SelectField":
        if field.data in (None, "", 0):
            return ""
        return _choice_labels(like).get(str(field.data), str(field.data))
    if kind == "BooleanField":
        return _("yes") if field.data else _("no")
    if isinstance(field.data, date):
        return field.data.isoformat()
    return str(field.data or "").replace("\r\n", "\n").strip()


def _display_row(entry: Field, like: Field) -> str:
    """One sub-form row (e.g. a next step) on one line; a blank row is ''."""
    parts = [(name, _display(sub, like.form[name])) for name, sub in entry.form._fields.items()
             if name not in _SKIP]
    if not any(value for name, value in parts if name != "done"):
        return ""
    return " · ".join(value for _name, value in parts if value)


def conflict_page_rows(form: FlaskForm, stored: FlaskForm, current_version: int) -> list[ConflictRow]:
    """The fields where `form` (submitted) differs from `stored`; readies `form` for a deliberate re-save.

    `form` keeps everything the user typed; its version becomes `current_version`, so submitting it again
    replaces the stored record on purpose.
    """
    rows = []
    for name, field in form._fields.items():
        if name in _SKIP or name not in stored._fields:
            continue
        mine, theirs = _display(field, field), _display(stored[name], field)
        if mine != theirs:
            rows.append(ConflictRow(key=name, label=str(field.label.text), stored=theirs, mine=mine))
    form["version"].data = str(current_version)
    form["version"].raw_data = None
    flash(_("Someone else saved this while you were editing it. What you typed is kept below; compare it "
            "with what is stored now, then save again to replace the stored version, or discard yours."),
          "error")
    return rows


def render_form_page(template: str, form: FlaskForm, *, conflict: list[ConflictRow] | None = None,
                     discard_url: str | None = None, **context: Any) -> tuple[str, int]:
    """An edit or create page: 409 while it shows a conflict, 422 after a refused submit, else 200."""
    status = 409 if conflict is not None else 422 if form.is_submitted() else 200
    return render_template(template, form=form, conflict=conflict, discard_url=discard_url, **context), status
