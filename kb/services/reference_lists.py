"""Managed lists — industry and region — and the one rule that maps what a user typed onto them.

An account stores the list's value (the Chinese name, e.g. 电信). Whatever the user types — 电信, 電信,
"telecommunications", " Telecommunications " — becomes that value when it matches an entry's value or
English label after `kb.textnorm.normalize` (width, case, traditional/simplified, spaces); anything else is
kept as typed ("other", free text). Pages show the English label in the English interface
(`label_for`); admins add, rename and deactivate values (`create_value`, `update_value`). Every path that
writes an account (page, API, import) goes through `canonical_value` via kb.services.accounts.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import g, has_app_context
from flask_babel import gettext as _
from sqlalchemy import func, select

from models import REFERENCE_KINDS, Account, ReferenceValue, User

from .. import policy
from ..db import session
from ..textnorm import normalize
from .errors import ValidationFailed
from .versioning import claim_version

#: Longest value and label (the account columns are 50 characters).
MAX_LENGTH = 50


@dataclass(frozen=True)
class ListEntry:
    """One value of a managed list as pages use it."""

    id: int
    kind: str
    value: str
    label_en: str
    active: bool

    def label(self, *, english: bool) -> str:
        """The English label in the English interface when there is one, else the value."""
        return self.label_en if english and self.label_en else self.value


def _check_kind(kind: str) -> None:
    if kind not in REFERENCE_KINDS:
        raise ValueError(f"unknown list {kind!r}; one of {REFERENCE_KINDS}")


def entries(kind: str, *, include_inactive: bool = False) -> list[ListEntry]:
    """The entries of list `kind` ("industry" or "region") in their order; cached for the request.

    Raises ValueError for another kind."""
    _check_kind(kind)
    cache: dict[str, list[ListEntry]] | None = g.setdefault("_reference_lists", {}) if has_app_context() else None
    if cache is None or kind not in cache:
        rows = session.scalars(select(ReferenceValue).where(ReferenceValue.kind == kind)
                               .order_by(ReferenceValue.position, ReferenceValue.id))
        loaded = [ListEntry(r.id, r.kind, r.value, r.label_en, r.active) for r in rows]
        if cache is None:
            return [e for e in loaded if include_inactive or e.active]
        cache[kind] = loaded
    return [e for e in cache[kind] if include_inactive or e.active]


def _forget() -> None:
    if has_app_context():
        g.pop("_reference_lists", None)


def canonical_value(kind: str, text: str | None) -> str:
    """What to store for `text` typed into field `kind`: the matching entry's value, else `text` stripped.

    Matches the value or the English label after normalisation, inactive entries included (an old value
    typed again keeps its one spelling). "" stays ""."""
    typed = (text or "").strip()
    if not typed:
        return ""
    key = normalize(typed)
    for entry in entries(kind, include_inactive=True):
        if key in (normalize(entry.value), normalize(entry.label_en)):
            return entry.value
    return typed


def label_for(kind: str, value: str | None, *, english: bool) -> str:
    """How to show a stored `value` of list `kind`: its English label in the English UI if the list has
    one; free text ("other") and the Chinese UI show the value itself."""
    if not value:
        return ""
    if english:
        for entry in entries(kind, include_inactive=True):
            if entry.value == value and entry.label_en:
                return entry.label_en
    return value


def _validated(kind: str, value: str, label_en: str, own_id: int | None) -> tuple[str, str]:
    value, label_en = (value or "").strip(), (label_en or "").strip()
    errors: dict[str, str] = {}
    if not value:
        errors["value"] = _("Enter the name in Chinese.")
    elif len(value) > MAX_LENGTH:
        errors["value"] = _("Enter at most %(n)d characters.", n=MAX_LENGTH)
    if len(label_en) > MAX_LENGTH:
        errors["label_en"] = _("Enter at most %(n)d characters.", n=MAX_LENGTH)
    if not errors:
        for entry in entries(kind, include_inactive=True):
            if entry.id == own_id:
                continue
            if normalize(entry.value) == normalize(value) or (label_en and normalize(entry.label_en) == normalize(label_en)):
                field = "value" if normalize(entry.value) == normalize(value) else "label_en"
                errors[field] = _("The list already has this value: %(value)s.", value=entry.value)
                break
    if errors:
        raise ValidationFailed(next(iter(errors.values())), errors)
    return value, label_en


def create_value(*, author: User, kind: str, value: str, label_en: str = "") -> ReferenceValue:
    """Add a value at the end of list `kind`. Raises PermissionDenied (not an admin) or ValidationFailed
    (empty, too long, or the same as an existing value or label after normalisation)."""
    policy.check_may_manage(author)
    _check_kind(kind)
    value, label_en = _validated(kind, value, label_en, None)
    position = session.scalar(select(func.coalesce(func.max(ReferenceValue.position), -1))
                              .where(ReferenceValue.kind == kind)) + 1
    record = ReferenceValue(kind=kind, value=value, label_en=label_en, position=position, active=True)
    session.add(record)
    session.flush()
    _forget()
    return record


def update_value(*, author: User, record: ReferenceValue, value: str, label_en: str, active: bool,
                 base_version: int | None) -> ReferenceValue:
    """Rename or (de)activate one entry; returns it. Renaming the value renames it on every account that
    stored the old one (their versions move on and the search index follows through the outbox), so no
    account is left with a value the list no longer has. A deactivated value is no longer offered, but
    accounts keep it and pages still show its label. Raises PermissionDenied, ValidationFailed or Conflict
    (stale `base_version`)."""
    policy.check_may_manage(author)
    value, label_en = _validated(record.kind, value, label_en, record.id)
    claim_version(record, base_version, _("Someone saved this list value while you were editing it."))
    old = record.value
    record.value, record.label_en, record.active = value, label_en, bool(active)
    if value != old:
        column = getattr(Account, record.kind)
        for account in session.scalars(select(Account).where(column == old)):
            setattr(account, record.kind, value)
            account.version += 1
            account.touch(author.id)
    session.flush()
    _forget()
    return record
