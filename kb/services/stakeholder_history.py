"""Stakeholder history: changes of title, reports-to, decision role, attitude and influence are kept.

Domain source: DOMAIN.md "Procurement decision power moves upward (采购决策权逐层上缴): the decision chain
changes and must be kept current" — so a reader sees who moved where, and when. The stakeholder service
writes a row for every tracked field that changes (pages, the API and importers all go through it).
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models import TRACKED_FIELDS, Stakeholder, StakeholderChange, User

from ..db import session

HISTORY_LIMIT = 100


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value.value if isinstance(value, enum.Enum) else value)


def snapshot(stakeholder: Stakeholder) -> dict[str, str]:
    """The tracked fields of `stakeholder` as text (enums by value, reports-to as the boss's id)."""
    return {field: _text(getattr(stakeholder, field)) for field in TRACKED_FIELDS}


def record_changes(*, stakeholder: Stakeholder, before: dict[str, str],
                   author: User) -> list[StakeholderChange]:
    """Add one StakeholderChange per tracked field whose value differs from `before` (a `snapshot`).

    Adds, does not flush; returns the new rows (empty when nothing tracked changed). Raises nothing.
    """
    after = snapshot(stakeholder)
    rows = [StakeholderChange(stakeholder_id=stakeholder.id, field=field, old_value=before[field],
                              new_value=after[field], changed_by_id=author.id)
            for field in TRACKED_FIELDS if before.get(field, "") != after[field]]
    session.add_all(rows)
    return rows


@dataclass
class HistoryEntry:
    """One change as a page shows it: field, old and new (enum members, or for reports-to the boss
    Stakeholder, or text), who and when (UTC; templates show it in the user's zone)."""

    field: str
    old: Any
    new: Any
    changed_by: User | None
    changed_at: datetime


def _value(field: str, raw: str, bosses: dict[int, Stakeholder]) -> Any:
    if raw == "":
        return None
    if field == "reports_to_id":
        return bosses.get(int(raw)) if raw.isdigit() else None
    enum_cls = Stakeholder.__mapper__.columns[field].type.enum_class if field != "title" else None
    if enum_cls is not None:
        try:
            return enum_cls(raw)
        except ValueError:
            return raw
    return raw


def stakeholder_history(*, stakeholder_id: int, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The latest `limit` changes of a stakeholder, newest first, with bosses resolved to stakeholders.

    Three statements whatever the number of changes (changes with their users, then the bosses named).
    """
    rows = list(session.scalars(
        select(StakeholderChange).where(StakeholderChange.stakeholder_id == stakeholder_id)
        .options(selectinload(StakeholderChange.changed_by))
        .order_by(StakeholderChange.changed_at.desc(), StakeholderChange.id.desc()).limit(limit)
    ))
    boss_ids = {int(v) for r in rows if r.field == "reports_to_id"
                for v in (r.old_value, r.new_value) if v.isdigit()}
    bosses = ({s.id: s for s in session.scalars(select(Stakeholder).where(Stakeholder.id.in_(boss_ids)))}
              if boss_ids else {})
    return [HistoryEntry(field=r.field, old=_value(r.field, r.old_value, bosses),
                         new=_value(r.field, r.new_value, bosses), changed_by=r.changed_by,
                         changed_at=r.changed_at) for r in rows]


def history_rows(*, stakeholder_id: int) -> list[dict[str, Any]]:
    """Every stored change of a stakeholder as plain data (for the personal-data export), oldest first."""
    rows = session.scalars(select(StakeholderChange).where(StakeholderChange.stakeholder_id == stakeholder_id)
                           .order_by(StakeholderChange.changed_at, StakeholderChange.id).limit(10_000))
    return [{"field": r.field, "old": r.old_value, "new": r.new_value, "changed_by_id": r.changed_by_id,
             "changed_at": r.changed_at.isoformat()} for r in rows]
