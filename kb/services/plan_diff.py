"""Readable differences between plan revisions, and the per-field view of an edit conflict.

Lines are compared first; inside a changed block the characters are compared, because Chinese has no
spaces and a word-level diff would mark whole sentences. All user text is escaped before it is wrapped in
<ins>/<del>; nothing user-written reaches the page raw.

Both passes use diff-match-patch (Myers' O(ND) diff) under one time budget per page (`DIFF_BUDGET`):
difflib's matcher is cubic on texts with many repeated lines or characters (two revisions of a few
thousand short lines that differ every other line took over a minute). When the budget runs out, the part
not compared yet is shown as deleted and inserted whole: coarser, still correct, and the page says so.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from diff_match_patch import diff_match_patch
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import select

from models import (
    ANSWER_FIELDS, SECTION_KEYS, AccountPlan, GapKind, PlanStatus, Stakeholder, TargetMetric, User,
)

from .. import formatting
from ..db import session
from ..labels import ANSWER_LABELS, SECTION_LABELS, label
from .plans import RevisionNotFound, get_revision, parse_iso, plan_content

logger = logging.getLogger(__name__)

#: Labels of every field a revision holds (answers, sections, decision-makers, status).
FIELD_LABELS = {**ANSWER_LABELS, **SECTION_LABELS, "decision_maker_ids": _l("Decision-makers"), "status": _l("Status")}
FIELD_LABELS["targets"] = _l("Targets")

#: Seconds one diff page may spend comparing (all fields together); then the rest is compared coarsely.
DIFF_BUDGET = 0.25
#: Changed blocks longer than this are shown as whole-line delete + insert (not compared by character).
MAX_CHAR_DIFF = 5_000
#: Blocks sharing less than this share of characters are shown as rewritten (delete + insert).
MIN_RATIO = 0.3
#: Matches this short between two changes are folded into the change.
SHORT_MATCH = 1

_EQUAL, _DELETE = diff_match_patch.DIFF_EQUAL, diff_match_patch.DIFF_DELETE


class DiffBudget:
    """The time one diff page may spend; remembers whether it ran out (`hit`)."""

    def __init__(self, seconds: float = DIFF_BUDGET) -> None:
        self.deadline = time.time() + seconds  # diff-match-patch compares deadlines with time.time()
        self.hit = False

    @property
    def spent(self) -> bool:
        """True once the deadline has passed."""
        return time.time() > self.deadline

    def diff(self, old: str, new: str) -> list[tuple[int, str]]:
        """diff-match-patch's diff of two strings within the budget (a coarse diff once it is spent)."""
        engine = diff_match_patch()
        diffs = engine.diff_main(old, new, False, self.deadline)
        if self.spent:  # the bisection stopped early somewhere: part of the result is delete + insert
            self.hit = True
        return diffs


@dataclass(frozen=True)
class FieldDiff:
    """One field that differs between two revisions: `html` holds escaped text with <ins>/<del>;
    `coarse` says part of it is shown as whole blocks replaced because the time budget ran out."""

    key: str
    label: Any
    html: Markup
    coarse: bool = False


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


def _pieces(diffs: list[tuple[int, str]]) -> list[list[str]]:
    """diff-match-patch output as ["eq", text] / ["chg", old, new], deletions and insertions paired."""
    pieces: list[list[str]] = []
    for op, text in diffs:
        if op == _EQUAL:
            pieces.append(["eq", text])
        elif pieces and pieces[-1][0] == "chg":
            pieces[-1][1 if op == _DELETE else 2] += text
        else:
            pieces.append(["chg", text, ""] if op == _DELETE else ["chg", "", text])
    return pieces


def _segments(pieces: list[list[str]]) -> list[list[str]]:
    """Fold one-character matches between two changes into the change, so a rewritten Chinese phrase
    reads as one edit rather than confetti."""
    segments: list[list[str]] = []
    for index, piece in enumerate(pieces):
        between_changes = 0 < index < len(pieces) - 1 and bool(segments) and segments[-1][0] == "chg"
        if piece[0] == "eq" and not (between_changes and len(piece[1]) <= SHORT_MATCH):
            segments.append(piece)
        elif segments and segments[-1][0] == "chg":
            segments[-1][1] += piece[1]
            segments[-1][2] += piece[2] if piece[0] == "chg" else piece[1]
        else:
            segments.append(list(piece))
    return segments


def char_diff(old: str, new: str, *, budget: DiffBudget | None = None) -> Markup:
    """Character-level diff of two short texts as escaped HTML (delete + insert if long or unrelated)."""
    budget = budget or DiffBudget()
    if len(old) + len(new) > MAX_CHAR_DIFF:
        return _del(old) + _ins(new)
    if budget.spent:
        budget.hit = True
        return _del(old) + _ins(new)
    pieces = _pieces(budget.diff(old, new))
    shared = sum(len(p[1]) for p in pieces if p[0] == "eq")
    if 2 * shared < MIN_RATIO * (len(old) + len(new)):
        return _del(old) + _ins(new)
    out = Markup("")
    for segment in _segments(pieces):
        out += escape(segment[1]) if segment[0] == "eq" else _del(segment[1]) + _ins(segment[2])
    return out


def _line_blocks(old_lines: list[str], new_lines: list[str], budget: DiffBudget) -> list[list[list[str]]]:
    """Line-level diff as ["eq", lines] / ["chg", old lines, new lines] (each line one symbol)."""
    table: dict[str, str] = {}

    def encode(lines: list[str]) -> str:
        return "".join(table.setdefault(line, chr(len(table))) for line in lines)
    symbols = encode(old_lines), encode(new_lines)
    lines_of = {symbol: line for line, symbol in table.items()}
    return [[p[0], *([lines_of[c] for c in part] for part in p[1:])]
            for p in _pieces(budget.diff(*symbols))]


def text_diff(old: str, new: str, *, budget: DiffBudget | None = None) -> Markup:
    """Line diff of two texts; replaced blocks are refined character by character within the budget."""
    budget = budget or DiffBudget()
    parts: list[Markup] = []
    for block in _line_blocks(old.split("\n"), new.split("\n"), budget):
        if block[0] == "eq":
            parts.extend(escape(line) for line in block[1])
        elif not block[1]:
            parts.extend(_ins(line) for line in block[2])
        elif not block[2]:
            parts.extend(_del(line) for line in block[1])
        else:
            parts.append(char_diff("\n".join(block[1]), "\n".join(block[2]), budget=budget))
    return Markup("\n").join(parts)


def _names(ids: list[int], names: dict[int, str]) -> str:
    return "\n".join(names.get(i, f"#{i}") for i in ids)


def _status_label(value: Any) -> str:
    try:
        return str(label(PlanStatus(value)))
    except ValueError:
        return str(value or "")


def _enum_label(enum_cls: Any, value: Any) -> str:
    try:
        return str(label(enum_cls(value)))
    except ValueError:
        return str(value or "")


def _figure(value: Any, unit: str) -> str:
    """A stored target figure as pages show it (kb.formatting.number: ``5,000 万元``, ``88 分``); text that
    is not a number is shown as stored."""
    try:
        return formatting.number(Decimal(str(value)), unit)
    except (ArithmeticError, ValueError):
        return f"{value} {unit}".strip()


def targets_text(rows: Any) -> str:
    """A revision's targets as one line each (metric · target · baseline · typed actual · gap kind), in the
    reader's language, so the diff shows which line changed."""
    lines = []
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict):
            continue
        metric = row.get("custom_name") or _enum_label(TargetMetric, row.get("metric"))
        unit = str(row.get("unit") or "")
        parts = [str(metric), f"{_l('Target')} {_figure(row.get('target'), unit)}"]
        if row.get("baseline") is not None:
            parts.append(f"{_l('Baseline')} {_figure(row.get('baseline'), unit)}")
        if row.get("actual") is not None:
            parts.append(f"{_l('Actual')} {_figure(row.get('actual'), unit)}")
        if row.get("gap_kind"):
            parts.append(_enum_label(GapKind, row.get("gap_kind")))
        lines.append(" · ".join(parts))
    return "\n".join(lines)


def _comparable(content: dict[str, Any], names: dict[int, str]) -> list[tuple[str, Any, str]]:
    sections = content.get("sections") or {}
    rows: list[tuple[str, Any, str]] = [(k, ANSWER_LABELS[k], str(content.get(k) or "")) for k in ANSWER_FIELDS]
    rows += [(k, SECTION_LABELS[k], str(sections.get(k) or "")) for k in SECTION_KEYS]
    ids = [i for i in content.get("decision_maker_ids") or [] if isinstance(i, int)]
    rows.append(("decision_maker_ids", FIELD_LABELS["decision_maker_ids"], _names(ids, names)))
    rows.append(("status", FIELD_LABELS["status"], _status_label(content.get("status"))))
    rows.append(("targets", FIELD_LABELS["targets"], targets_text(content.get("targets"))))
    return rows


def _stakeholder_names(*contents: dict[str, Any]) -> dict[int, str]:
    ids = {i for c in contents for i in c.get("decision_maker_ids") or [] if isinstance(i, int)}
    if not ids:
        return {}
    return dict(session.execute(select(Stakeholder.id, Stakeholder.name).where(Stakeholder.id.in_(ids))).all())


def diff_contents(old: dict[str, Any], new: dict[str, Any], *, budget_seconds: float = DIFF_BUDGET
                  ) -> list[FieldDiff]:
    """The fields that differ between two revision contents, in plan order, compared within
    `budget_seconds` in all (past it, the rest is shown as whole blocks replaced: `FieldDiff.coarse`)."""
    names = _stakeholder_names(old, new)
    budget = DiffBudget(budget_seconds)
    diffs = []
    for (key, field_label, a), (_key, _label, b) in zip(_comparable(old, names), _comparable(new, names)):
        if a != b:
            hit_before = budget.hit
            budget.hit = False
            html = text_diff(a, b, budget=budget)
            diffs.append(FieldDiff(key=key, label=field_label, html=html, coarse=budget.hit))
            budget.hit = budget.hit or hit_before
    if budget.hit:
        logger.info("plan diff hit its %.2f s budget; part of it is shown coarsely", budget_seconds)
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
    if (older.get("targets") or []) != (newer.get("targets") or []):
        keys.append("targets")
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


def merged_targets(plan: AccountPlan, base_version: int | None, mine: list[dict[str, Any]]
                   ) -> list[dict[str, Any]]:
    """Targets to pre-fill after a conflict: the stored ones if the user left the targets as they found
    them, else the user's rows as typed."""
    from .plan_targets import check_targets

    base = _base_content(plan, base_version)
    if base is not None and check_targets(mine, {}) == (base.get("targets") or []):
        return plan_content(plan)["targets"]
    return mine


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
