"""Readable differences between plan revisions, and the per-field view of an edit conflict.

Lines are compared first (difflib); inside a changed block the characters are compared, because Chinese
has no spaces and a word-level diff would mark whole sentences. All user text is escaped before it is
wrapped in <ins>/<del>; nothing user-written reaches the page raw.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher
from typing import Any

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import select

from models import ANSWER_FIELDS, SECTION_KEYS, AccountPlan, PlanStatus, Stakeholder, User

from ..db import session
from ..labels import ANSWER_LABELS, SECTION_LABELS, label
from .plans import RevisionNotFound, get_revision, parse_iso, plan_content

logger = logging.getLogger(__name__)

#: Labels of every field a revision holds (answers, sections, decision-makers, status).
FIELD_LABELS = {**ANSWER_LABELS, **SECTION_LABELS, "decision_maker_ids": _l("Decision-makers"), "status": _l("Status")}

#: Changed blocks longer than this are shown as whole-line delete + insert (character diffs get slow).
MAX_CHAR_DIFF = 5_000
#: Blocks sharing less than this share of characters are shown as rewritten (delete + insert).
MIN_RATIO = 0.3
#: Matches this short between two changes are folded into the change.
SHORT_MATCH = 1


@dataclass(frozen=True)
class FieldDiff:
    """One field that differs between two revisions: `html` holds escaped text with <ins>/<del>."""

    key: str
    label: Any
    html: Markup


@dataclass(frozen=True)
class FieldConflict:
    """A text field of a conflicting edit: what is stored now, what the user sent, and what to pre-fill."""

    key: str
    label: Any
    stored: str
    mine: str
    prefill: str
    they_changed: bool
    i_changed: bool
    changed_by: User | None
    changed_at: datetime | None

    @property
    def clash(self) -> bool:
        """Both sides changed this field differently: the user has to decide."""
        return self.they_changed and self.i_changed and self.stored != self.mine


def _ins(text: str) -> Markup:
    return Markup("<ins>%s</ins>") % text if text else Markup("")


def _del(text: str) -> Markup:
    return Markup("<del>%s</del>") % text if text else Markup("")


def _segments(old: str, new: str) -> list[list[str]]:
    """Opcodes as ["eq", text] / ["chg", old, new]; one-character matches between two changes are folded
    into the change, so a rewritten Chinese phrase reads as one edit rather than confetti."""
    segments: list[list[str]] = []
    opcodes = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        between_changes = 0 < index < len(opcodes) - 1 and opcodes[index + 1][0] != "equal"
        if op == "equal" and not (between_changes and i2 - i1 <= SHORT_MATCH and segments[-1][0] == "chg"):
            segments.append(["eq", old[i1:i2]])
        elif segments and segments[-1][0] == "chg":
            segments[-1][1] += old[i1:i2]
            segments[-1][2] += new[j1:j2] if op != "equal" else old[i1:i2]
        else:
            segments.append(["chg", old[i1:i2], new[j1:j2]])
    return segments


def char_diff(old: str, new: str) -> Markup:
    """Character-level diff of two short texts as escaped HTML."""
    if len(old) + len(new) > MAX_CHAR_DIFF or SequenceMatcher(None, old, new, autojunk=False).ratio() < MIN_RATIO:
        return _del(old) + _ins(new)
    out = Markup("")
    for segment in _segments(old, new):
        out += escape(segment[1]) if segment[0] == "eq" else _del(segment[1]) + _ins(segment[2])
    return out


def text_diff(old: str, new: str) -> Markup:
    """Line diff of two texts; replaced blocks are refined character by character."""
    old_lines, new_lines = old.split("\n"), new.split("\n")
    parts: list[Markup] = []
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.extend(escape(line) for line in old_lines[i1:i2])
        elif op == "delete":
            parts.extend(_del(line) for line in old_lines[i1:i2])
        elif op == "insert":
            parts.extend(_ins(line) for line in new_lines[j1:j2])
        else:
            parts.append(char_diff("\n".join(old_lines[i1:i2]), "\n".join(new_lines[j1:j2])))
    return Markup("\n").join(parts)


def _names(ids: list[int], names: dict[int, str]) -> str:
    return "\n".join(names.get(i, f"#{i}") for i in ids)


def _status_label(value: Any) -> str:
    try:
        return str(label(PlanStatus(value)))
    except ValueError:
        return str(value or "")


def _comparable(content: dict[str, Any], names: dict[int, str]) -> list[tuple[str, Any, str]]:
    sections = content.get("sections") or {}
    rows: list[tuple[str, Any, str]] = [(k, ANSWER_LABELS[k], str(content.get(k) or "")) for k in ANSWER_FIELDS]
    rows += [(k, SECTION_LABELS[k], str(sections.get(k) or "")) for k in SECTION_KEYS]
    ids = [i for i in content.get("decision_maker_ids") or [] if isinstance(i, int)]
    rows.append(("decision_maker_ids", FIELD_LABELS["decision_maker_ids"], _names(ids, names)))
    rows.append(("status", FIELD_LABELS["status"], _status_label(content.get("status"))))
    return rows


def _stakeholder_names(*contents: dict[str, Any]) -> dict[int, str]:
    ids = {i for c in contents for i in c.get("decision_maker_ids") or [] if isinstance(i, int)}
    if not ids:
        return {}
    return dict(session.execute(select(Stakeholder.id, Stakeholder.name).where(Stakeholder.id.in_(ids))).all())


def diff_contents(old: dict[str, Any], new: dict[str, Any]) -> list[FieldDiff]:
    """The fields that differ between two revision contents, in plan order."""
    names = _stakeholder_names(old, new)
    diffs = []
    for (key, field_label, a), (_key, _label, b) in zip(_comparable(old, names), _comparable(new, names)):
        if a != b:
            diffs.append(FieldDiff(key=key, label=field_label, html=text_diff(a, b)))
    return diffs


def changed_keys(older: dict[str, Any] | None, newer: dict[str, Any]) -> list[str]:
    """Keys whose value differs between two contents (all non-empty keys when `older` is None)."""
    older = older or {}
    keys = []
    for key in ANSWER_FIELDS:
        if (older.get(key) or "") != (newer.get(key) or ""):
            keys.append(key)
    old_sections, new_sections = older.get("sections") or {}, newer.get("sections") or {}
    keys += [k for k in SECTION_KEYS if (old_sections.get(k) or "") != (new_sections.get(k) or "")]
    if sorted(older.get("decision_maker_ids") or []) != sorted(newer.get("decision_maker_ids") or []):
        keys.append("decision_maker_ids")
    if older and older.get("status") != newer.get("status"):
        keys.append("status")
    return keys


def _base_content(plan: AccountPlan, base_version: int | None) -> dict[str, Any] | None:
    if not base_version:
        return None
    try:
        return get_revision(plan, base_version).content or {}
    except RevisionNotFound:  # a missing base means we cannot tell who changed what
        return None


def merged_choices(plan: AccountPlan, base_version: int | None, decision_maker_ids: list[int],
                   status: str) -> tuple[list[int], str]:
    """Decision-makers and status to pre-fill after a conflict: the stored ones where the user kept what
    they started from, the user's own where they changed them."""
    stored, base = plan_content(plan), _base_content(plan, base_version)
    if base is None:
        return decision_maker_ids, status
    if sorted(decision_maker_ids) == sorted(base.get("decision_maker_ids") or []):
        decision_maker_ids = stored["decision_maker_ids"]
    if status == base.get("status"):
        status = stored["status"]
    return decision_maker_ids, status


def conflict_fields(plan: AccountPlan, base_version: int | None, mine: dict[str, str]) -> list[FieldConflict]:
    """Compare the user's texts with what is stored now and with the version they started from.

    A field only the other person changed is pre-filled with the stored text, so submitting again does not
    silently undo their work; a field the user changed keeps the user's text.
    """
    stored = plan_content(plan)
    base = _base_content(plan, base_version)
    users = _users(plan)
    rows = []
    for key in [*ANSWER_FIELDS, *SECTION_KEYS]:
        in_sections = key in SECTION_KEYS
        now = str((stored["sections"] if in_sections else stored).get(key) or "")
        was = None if base is None else str(((base.get("sections") or {}) if in_sections else base).get(key) or "")
        my_text = mine.get(key, now)
        they = was is None or now != was
        me = was is None or my_text != was
        prefill = now if (they and not me) else my_text
        change = (plan.field_changes or {}).get(key) or {}
        rows.append(FieldConflict(
            key=key, label=(SECTION_LABELS if in_sections else ANSWER_LABELS)[key], stored=now, mine=my_text,
            prefill=prefill, they_changed=they and now != my_text, i_changed=me, changed_by=users.get(change.get("by")),
            changed_at=parse_iso(change.get("at")),
        ))
    return rows


def _users(plan: AccountPlan) -> dict[int, User]:
    ids = {c.get("by") for c in (plan.field_changes or {}).values() if isinstance(c, dict) and c.get("by")}
    return {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
