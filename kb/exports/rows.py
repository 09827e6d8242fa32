"""One record → one row, in the column order of kb.exchange.columns, so that an export re-imports.

Values are what the import reads: names for links (group, parent, reports-to, stakeholders met), e-mail
addresses for our users, enumeration labels in the reader's UI language, lists joined with `LIST_JOIN`.
`external_key` is written when the model has one (the import branch adds it) and left empty otherwise.
"""
from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

from models import Account, Interaction, NextStep, Stakeholder

from ..exchange.columns import (
    ACCOUNT_COLUMNS, INTERACTION_COLUMNS, LIST_JOIN, NEXT_STEP_COLUMNS, STAKEHOLDER_COLUMNS,
    TEAM_ONLY_STAKEHOLDER_KEYS, Column, enum_labels,
)


class Labels:
    """Enumeration labels in one UI language, looked up once per enumeration (not once per cell)."""

    def __init__(self, locale: str) -> None:
        self.english = locale.startswith("en")
        self._cache: dict[type[enum.Enum], dict[enum.Enum, tuple[str, str]]] = {}

    def __call__(self, member: enum.Enum | None) -> str:
        if member is None:
            return ""
        cls = type(member)
        if cls not in self._cache:
            self._cache[cls] = enum_labels(cls)
        zh, en = self._cache[cls][member]
        return en if self.english else zh

    def yes_no(self, value: bool) -> str:
        """A flag as the import reads it: 是/否 (Chinese UI) or yes/no."""
        if self.english:
            return "yes" if value else "no"
        return "是" if value else "否"


def headers(columns: Sequence[Column], locale: str) -> list[str]:
    """The header row of `columns` in the UI language."""
    return [c.header(locale) for c in columns]


def _key(record: Any) -> str:
    return getattr(record, "external_key", None) or ""


def account_row(account: Account, labels: Labels) -> list[Any]:
    """ACCOUNT_COLUMNS of `account` (its group and parent loaded)."""
    group = account.customer_group.name if account.customer_group is not None else ""
    parent = account.parent.name if account.parent is not None else ""
    values = {
        "external_key": _key(account), "name": account.name, "name_en": account.name_en,
        "aliases": LIST_JOIN.join(account.aliases or []), "group": group, "parent": parent,
        "industry": account.industry, "region": account.region, "tier": labels(account.tier),
        "coverage": labels(account.coverage), "description": account.description,
    }
    return [values[c.key] for c in ACCOUNT_COLUMNS]


def stakeholder_columns(*, with_private: bool) -> tuple[Column, ...]:
    """STAKEHOLDER_COLUMNS; without the team-only columns (private notes, contact details) for a reader who
    may not see them (`with_private` False)."""
    return tuple(c for c in STAKEHOLDER_COLUMNS if with_private or c.key not in TEAM_ONLY_STAKEHOLDER_KEYS)


def stakeholder_row(stakeholder: Stakeholder, account_name: str, labels: Labels,
                    columns: Sequence[Column]) -> list[Any]:
    """`columns` (see stakeholder_columns) of `stakeholder` (owners with users and reports-to loaded)."""
    primary = stakeholder.primary_owner
    values = {
        "external_key": _key(stakeholder), "account": account_name, "name": stakeholder.name,
        "name_en": stakeholder.name_en, "title": stakeholder.title, "department": stakeholder.department,
        "reports_to": stakeholder.reports_to.name if stakeholder.reports_to is not None else "",
        "decision_role": labels(stakeholder.decision_role), "attitude": labels(stakeholder.attitude),
        "influence": labels(stakeholder.influence), "layer": labels(stakeholder.layer),
        "relationship_level": stakeholder.relationship_level,
        "primary_owner": primary.email if primary is not None else "",
        "backup_owners": LIST_JOIN.join(u.email for u in stakeholder.backup_owners),
        "notes": stakeholder.notes, "private_notes": stakeholder.private_notes,
        **{key: getattr(stakeholder, key) for key in TEAM_ONLY_STAKEHOLDER_KEYS if key != "private_notes"},
    }
    return [values[c.key] for c in columns]


def interaction_row(interaction: Interaction, account_name: str, labels: Labels) -> list[Any]:
    """INTERACTION_COLUMNS of `interaction` (stakeholders and attendees loaded)."""
    values = {
        "external_key": _key(interaction), "account": account_name, "occurred_on": interaction.occurred_on,
        "kind": labels(interaction.kind), "title": interaction.title, "summary": interaction.summary,
        "visibility": labels(interaction.visibility),
        "stakeholders": LIST_JOIN.join(s.name for s in interaction.stakeholders),
        "attendees": LIST_JOIN.join(u.email for u in interaction.attendees),
    }
    return [values[c.key] for c in INTERACTION_COLUMNS]


def next_step_row(step: NextStep, interaction: Interaction, account_name: str, labels: Labels,
                  interaction_row: int | None = None) -> list[Any]:
    """NEXT_STEP_COLUMNS of `step` of `interaction` (its owner loaded); `interaction_row`: the
    interaction's row in the interactions sheet of the same workbook, if it is there."""
    values = {
        "interaction_key": _key(interaction), "account": account_name,
        "occurred_on": interaction.occurred_on, "interaction_title": interaction.title, "text": step.text,
        "owner": step.owner.email if step.owner is not None else "", "due_on": step.due_on,
        "done": labels.yes_no(step.done), "interaction_row": interaction_row,
    }
    return [values[c.key] for c in NEXT_STEP_COLUMNS]
