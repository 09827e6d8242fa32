"""One account as an .xlsx workbook, holding exactly what its reader sees on the account's pages.

Sheets: the account, its current plan, stakeholders, interactions, next steps (the last three in the
import's columns, kb.exchange.columns, so the workbook re-imports), the Lead to Cash sheets (leads,
opportunities, risks, contracts: kb.exports.ltc_sheets, through kb.policy's LTC clauses) and "about this
export".

Access goes through the pages' own helpers: interactions through `interaction_visible_clause` (team-only
visits only for the account team and admins), private notes only when `policy.sees_team_content`. Every
sheet is capped at `SHEET_MAX_ROWS` rows, read in batches (`yield_per`), and a capped sheet says so.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload

from models import ANSWER_FIELDS, SECTION_KEYS, Account, AccountPlan, Interaction, NextStep

from .. import clock, policy
from ..db import session
from ..exchange.columns import ACCOUNT_COLUMNS, INTERACTION_COLUMNS, LIST_JOIN, NEXT_STEP_COLUMNS, SHEET_TITLES
from ..labels import ANSWER_LABELS, SECTION_LABELS
from ..services import bounded, interactions, plan_targets, plans
from .ltc_sheets import LTC_SHEETS, ltc_title
from .rows import Labels, account_row, headers, interaction_row, next_step_row, stakeholder_columns, stakeholder_row
from .writers import Sheet, xlsx_bytes

#: Most rows written to one sheet of an account workbook (the import reads 20,000-row files).
SHEET_MAX_ROWS = 20_000
_BATCH = 1_000


@dataclass
class Workbook:
    """The file and what it holds: `row_count` data rows over all sheets, `capped` sheet titles."""

    content: bytes
    row_count: int
    capped: list[str] = field(default_factory=list)


class _Cap:
    """Passes on at most `limit` rows of each iterable and remembers which sheets were cut."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.capped: list[str] = []
        self.written = 0

    def rows(self, title: str, source: Iterator[Any]) -> Iterator[Any]:
        try:
            for number, row in enumerate(source):
                if number == self.limit:
                    self.capped.append(title)
                    return
                self.written += 1
                yield row
        finally:
            close = getattr(source, "close", None)
            if close is not None:  # a generator over a (server-side) cursor: release it now, not at GC
                close()


def _each(stmt: Any) -> Iterator[Any]:
    """The rows of `stmt` in batches of _BATCH (a server-side cursor on PostgreSQL), closed when done."""
    result = session.scalars(stmt.execution_options(yield_per=_BATCH))
    try:
        yield from result
    finally:
        result.close()


def _title(kind: str, locale: str) -> str:
    zh, en = SHEET_TITLES[kind]
    return en if locale.startswith("en") else zh


def _plan_rows(plan: AccountPlan | None, labels: Labels) -> list[list[Any]]:
    """(heading, text) rows of the current plan: period, status, the five answers, the extra sections."""
    if plan is None:
        return [[_("Plan"), _("No plan yet.")]]
    linked = LIST_JOIN.join(s.name for s in plan.decision_maker_links)
    rows: list[list[Any]] = [[_("Period"), plan.period], [_("Status"), labels(plan.status)],
                             [_("Last reviewed"), plan.reviewed_on]]
    rows += [[str(ANSWER_LABELS[key]), getattr(plan, key) or ""] for key in ANSWER_FIELDS]
    rows.append([_("Linked decision-makers"), linked])
    rows += [[str(SECTION_LABELS[key]), (plan.sections or {}).get(key, "")] for key in SECTION_KEYS]
    return rows


def _target_rows(plan: AccountPlan | None, reader: Any, labels: Labels) -> list[list[Any]]:
    """The plan in numbers: one row per target — target, actual (computed from the won opportunities
    `reader` may see, or typed), gap, unit and the kind of gap — as the plan page shows them."""
    if plan is None:
        return []
    lines = plan_targets.targets_by_account([plan.account_id], plan.period, reader=reader).get(plan.account_id, [])
    rows: list[list[Any]] = []
    for line in lines:
        name = line.custom_name or labels(line.metric)
        shown = [f"{_('Target')} {line.target}", f"{_('Actual')} {'—' if line.actual is None else line.actual}",
                 f"{_('Gap')} {'—' if line.gap is None else line.gap}"]
        text = " · ".join(shown) + (f" {line.unit}" if line.unit else "")
        if line.gap_kind is not None:
            text += f" · {labels(line.gap_kind)}"
        rows.append([f"{_('The plan in numbers')}: {name}", text])
    return rows


def _stakeholders(account: Account, labels: Labels, columns: Any, limit: int) -> Iterator[list[Any]]:
    stmt = bounded.stakeholders_stmt(account_id=account.id).limit(limit + 1)
    for stakeholder in _each(stmt):
        yield stakeholder_row(stakeholder, account.name, labels, columns)


def _interactions(account: Account, reader: Any, labels: Labels, limit: int,
                  rows: dict[int, int]) -> Iterator[list[Any]]:
    """Rows of the interactions sheet; `rows` gets interaction id → its sheet row (the header is row 1)."""
    stmt = interactions.visible_interactions_stmt(viewer=reader, account_id=account.id)
    stmt = stmt.options(selectinload(Interaction.stakeholders), selectinload(Interaction.attendees))
    for number, interaction in enumerate(_each(stmt.limit(limit + 1))):
        if number < limit:
            rows[interaction.id] = number + 2
        yield interaction_row(interaction, account.name, labels)


def _next_steps(account: Account, reader: Any, labels: Labels, limit: int,
                rows: dict[int, int]) -> Iterator[list[Any]]:
    """Every next step (open or done) of the interactions `reader` may see, newest visit first."""
    stmt = (
        select(NextStep).join(NextStep.interaction)
        .where(Interaction.account_id == account.id, Interaction.archived_at.is_(None),
               policy.interaction_visible_clause(reader))
        .options(contains_eager(NextStep.interaction), selectinload(NextStep.owner))
        .order_by(Interaction.occurred_on.desc(), Interaction.id.desc(), NextStep.position, NextStep.id)
        .limit(limit + 1)
    )
    for step in _each(stmt):
        yield next_step_row(step, step.interaction, account.name, labels, rows.get(step.interaction_id))


def _about(account: Account, reader: Any, plan: AccountPlan | None, cap: _Cap,
           sheet_titles: list[str]) -> Iterator[list[Any]]:
    """Rows of the last sheet; a generator, so it runs after the other sheets are written and counted."""
    yield from [
        [_("Account"), account.name],
        [_("Exported by"), f"{getattr(reader, 'name', '')} <{getattr(reader, 'email', '')}>"],
        [_("Exported at"), clock.now().strftime("%Y-%m-%d %H:%M")],
        [_("Plan period"), plan.period if plan is not None else _("No plan yet.")],
        [_("Sheets"), LIST_JOIN.join(sheet_titles)],
        [_("Lead to Cash sheets"), _("Leads, opportunities, risks and contracts you may see; the contracts "
                                     "sheet has one row per milestone, with its contract's number and amount.")],
    ]
    for title in cap.capped:
        yield [_("Only the first %(n)d rows of this sheet are exported.", n=cap.limit), title]
    yield [_("Records exported"), 1 + cap.written]  # the account row, then every capped sheet's rows


def account_workbook(*, account: Account, reader: Any, locale: str,
                     max_rows: int | None = None) -> Workbook:
    """The workbook of `account` as `reader` may see it; headers and labels in `locale` (``zh``/``en``).

    Each sheet holds at most `max_rows` rows (default SHEET_MAX_ROWS). Raises nothing of its own; the
    caller has loaded the account (404) and records the export.
    """
    max_rows = SHEET_MAX_ROWS if max_rows is None else max_rows
    labels = Labels(locale)
    cap = _Cap(max_rows)
    plan = plans.current_plan(account_id=account.id)
    columns = stakeholder_columns(with_private=policy.sees_team_content(reader, account))
    titles = {kind: _title(kind, locale) for kind in SHEET_TITLES}
    visit_rows: dict[int, int] = {}  # interaction id → its row, filled as the interactions sheet is written
    sheets = [
        Sheet(titles["accounts"], headers(ACCOUNT_COLUMNS, locale), [account_row(account, labels)], widths=(12, 24)),
        Sheet(_("Account plan"), [_("Item"), _("Content")],
              _plan_rows(plan, labels) + _target_rows(plan, reader, labels), widths=(36, 80)),
        Sheet(titles["stakeholders"], headers(columns, locale),
              cap.rows(titles["stakeholders"], _stakeholders(account, labels, columns, max_rows))),
        Sheet(titles["interactions"], headers(INTERACTION_COLUMNS, locale),
              cap.rows(titles["interactions"], _interactions(account, reader, labels, max_rows, visit_rows))),
        Sheet(titles["next_steps"], headers(NEXT_STEP_COLUMNS, locale),
              cap.rows(titles["next_steps"], _next_steps(account, reader, labels, max_rows, visit_rows))),
    ]
    for kind, ltc_columns, source in LTC_SHEETS:  # Lead to Cash (issue 10 §7), through kb.policy's clauses
        title = ltc_title(kind, locale)
        sheets.append(Sheet(title, headers(ltc_columns, locale),
                            cap.rows(title, source(account=account, reader=reader, labels=labels, limit=max_rows))))
    about = _("About this export")
    sheets.append(Sheet(about, [_("Item"), _("Value")],
                        _about(account, reader, plan, cap, [s.title for s in sheets] + [about]), widths=(40, 60)))
    content, _counts = xlsx_bytes(sheets)
    # the account row and every stakeholder, interaction, next step and LTC row (the plan sheet is one form)
    return Workbook(content=content, row_count=1 + cap.written, capped=list(cap.capped))
