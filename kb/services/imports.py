"""Importing accounts, stakeholders and interactions from a spreadsheet, with a dry run first.

`run_import` reads the file row by row (kb/exchange/reading.py), turns cells into values
(kb/exchange/rows.py) and hands each row to the importer of its kind (kb/exchange/importers.py), which
writes through the existing services, so every rule, access check, version and the search outbox apply.

- A dry run does all of that inside a savepoint that is rolled back, with search change capture
  suspended: the report is exactly what the import would do, and nothing is written.
- A confirmed import records an `ImportRun` and stamps the records it creates with it. If any row has a
  problem it raises `ImportRejected` (422) and the caller's transaction is not committed: nothing is
  half-imported. Otherwise the caller commits once, and the search index catches up from the outbox.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models import ImportRun, User

from .. import policy
from ..db import session
from ..exchange.columns import IMPORT_KINDS, KINDS, SHEET_TITLES, header_key, header_map
from ..exchange.context import ImportContext, Problem
from ..exchange.importers import IMPORTERS, InteractionImporter
from ..exchange.next_steps import StepSheet
from ..exchange.reading import Sheet, UnreadableFile, open_named_sheet, open_sheet
from ..group_names import ui_is_english
from ..exchange.rows import CellProblem, parse_cell
from ..search.capture import batched, suspended
from .errors import ValidationFailed

logger = logging.getLogger(__name__)

#: At most this many data rows per file (a bigger file is refused before any row is read).
MAX_ROWS = 50_000
#: `run_import` reports its progress every this many rows.
PROGRESS_EVERY = 200
#: A report keeps at most this many problems and row outcomes for display (the counts cover all).
MAX_LISTED = 1_000


@dataclass
class RowOutcome:
    row: int
    action: str  # create | update | unchanged | error
    label: str


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do). `problems` and `outcomes` are cut at MAX_LISTED;
    `problem_count` counts them all."""

    kind: str
    file_name: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problem_count: int = 0
    problems: list[Problem] = field(default_factory=list)
    outcomes: list[RowOutcome] = field(default_factory=list)
    import_run_id: int | None = None
    encoding: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def as_json(self) -> dict[str, Any]:
        """The API's answer: dry_run, counts and errors [{row, column, message}]."""
        return {"dry_run": self.dry_run, "kind": self.kind, "rows": self.rows, "created": self.created,
                "updated": self.updated, "unchanged": self.unchanged, "error_count": self.problem_count,
                "errors": [{"row": p.row, "column": p.column, "message": p.message} for p in self.problems]}


    def as_status(self) -> dict[str, Any]:
        """Everything the report pages show, as JSON (a background job's status file)."""
        return {**self.as_json(), "file_name": self.file_name, "encoding": self.encoding,
                "outcomes": [[o.row, o.action, o.label] for o in self.outcomes]}

    @classmethod
    def from_status(cls, body: dict[str, Any]) -> ImportReport:
        """The report `as_status` wrote."""
        return cls(kind=body["kind"], file_name=body.get("file_name", ""), dry_run=body["dry_run"],
                   rows=body["rows"], created=body["created"], updated=body["updated"],
                   unchanged=body["unchanged"], problem_count=body["error_count"],
                   problems=[Problem(**e) for e in body["errors"]], encoding=body.get("encoding"),
                   outcomes=[RowOutcome(*o) for o in body.get("outcomes", [])])


class ImportFileError(ValidationFailed):
    """The file itself cannot be imported (unreadable, wrong columns, too many rows); message on `file`."""

    def __init__(self, message: str) -> None:
        super().__init__(message, {"file": message})


class ImportRejected(ValidationFailed):
    """A confirmed import found problems: nothing may be written (the caller does not commit)."""

    code = "import_rejected"

    def __init__(self, report: ImportReport) -> None:
        super().__init__(_("%(n)d problem(s) found: nothing was imported.", n=report.problem_count))
        self.report = report


def _columns(sheet: Sheet, kind: str) -> tuple[dict[int, Any], dict[str, str]]:
    """(cell index → column, column key → header as written); raises ImportFileError for unknown,
    repeated or missing required columns."""
    known = header_map(kind)
    by_index: dict[int, Any] = {}
    headers: dict[str, str] = {}
    for index, text in enumerate(sheet.headers):
        if not text:
            continue
        column = known.get(header_key(text))
        if column is None:
            raise ImportFileError(
                _("Unknown column “%(name)s”: use the headers of the template.", name=text[:60]))
        if column.key in headers:
            raise ImportFileError(_("The column “%(name)s” appears twice.", name=text[:60]))
        by_index[index] = column
        headers[column.key] = text
    missing = [c.header_zh + " / " + c.header_en for c in KINDS[kind] if c.required and c.key not in headers]
    if missing:
        raise ImportFileError(_("Required column missing: %(names)s.", names=", ".join(missing)))
    return by_index, headers


def _process(ctx: ImportContext, sheet: Sheet, by_index: dict[int, Any], report: ImportReport,
             path: Path, progress: Callable[[int], None] | None = None) -> None:
    importer = IMPORTERS[ctx.kind](ctx)
    for number, cells in sheet.rows:
        report.rows += 1
        if progress is not None and report.rows % PROGRESS_EVERY == 0:
            progress(report.rows)
        if report.rows > MAX_ROWS:
            raise ImportFileError(_("The file has more than %(n)d rows; split it.", n=MAX_ROWS))
        values: dict[str, Any] = {}
        for index, column in by_index.items():
            raw = cells[index] if index < len(cells) else None
            try:
                values[column.key] = parse_cell(column, raw, ctx.lookups)
            except CellProblem as problem:
                ctx.problem(number, column.key, problem.message)
        importer.row(number, values)  # checks the rest of the row too; writes nothing if it has a problem
    importer.finish()
    if isinstance(importer, InteractionImporter):
        _next_steps(ctx, importer, path, report.file_name)


def _next_steps(ctx: ImportContext, importer: InteractionImporter, path: Path, file_name: str) -> None:
    """The next-steps sheet of a workbook, if it has one (see kb/exchange/next_steps.py)."""
    sheet = open_named_sheet(path, file_name=file_name, kind="next_steps")
    if sheet is None:
        return
    try:
        steps = StepSheet(ctx, sheet, SHEET_TITLES["next_steps"][1 if ui_is_english() else 0])
        steps.read(importer.row_of)
        steps.apply(importer.row_of)
    finally:
        sheet.close()


def _tally(ctx: ImportContext, report: ImportReport) -> None:
    rows = sorted(set(ctx.actions) | ctx.problem_rows)
    for number in rows:
        action = "error" if number in ctx.problem_rows else ctx.actions[number]
        if action == "create":
            report.created += 1
        elif action == "update":
            report.updated += 1
        elif action == "unchanged":
            report.unchanged += 1
        if len(report.outcomes) < MAX_LISTED:
            report.outcomes.append(RowOutcome(number, action, ctx.labels.get(number, "")))
    report.problem_count = len(ctx.problems)
    report.problems = sorted(ctx.problems, key=lambda p: p.row)[:MAX_LISTED]


def check_file(*, path: Path, file_name: str, kind: str, encoding: str | None = None) -> None:
    """Raise ImportFileError if the file cannot be imported at all (unreadable, unknown or missing columns):
    the quick check made before a (long) dry run starts."""
    if kind not in IMPORT_KINDS:
        raise ImportFileError(_("Choose what the file holds: accounts, stakeholders or interactions."))
    try:
        sheet = open_sheet(path, file_name=file_name, kind=kind, encoding=encoding)
    except UnreadableFile as exc:
        raise ImportFileError(exc.message) from None
    try:
        _columns(sheet, kind)
    finally:
        sheet.close()


def run_import(*, path: Path, file_name: str, kind: str, author: User, dry_run: bool,
               encoding: str | None = None, progress: Callable[[int], None] | None = None) -> ImportReport:
    """Import (or with `dry_run`, try importing) the spreadsheet at `path`, uploaded as `file_name`.

    `kind`: accounts | stakeholders | interactions; `encoding`: a CSV's encoding (None: detected).
    Returns the ImportReport. Raises PermissionDenied (kb.policy.check_may_import: viewers; each row's
    writes go through their service's own gate too), ImportFileError (422: unreadable file, unknown or
    missing columns, too many rows) and, for a confirmed import with problems, ImportRejected (422,
    carrying the report) — the caller must then not commit. `progress(rows read)` is called every
    PROGRESS_EVERY rows.
    """
    policy.check_may_import(author)
    if kind not in IMPORT_KINDS:
        raise ImportFileError(_("Choose what the file holds: accounts, stakeholders or interactions."))
    try:
        sheet = open_sheet(path, file_name=file_name, kind=kind, encoding=encoding)
    except UnreadableFile as exc:
        raise ImportFileError(exc.message) from None
    try:
        by_index, headers = _columns(sheet, kind)
        report = ImportReport(kind=kind, file_name=file_name, dry_run=dry_run, encoding=sheet.encoding)
        ctx = ImportContext(author=author, kind=kind, columns={c.key: c for c in KINDS[kind]},
                            headers=headers)
        if dry_run:
            with suspended(session):
                savepoint = session.begin_nested()
                try:
                    _process(ctx, sheet, by_index, report, path, progress)
                finally:
                    savepoint.rollback()
        else:
            run = ImportRun(user_id=author.id, file_name=file_name[:255], kind=kind)
            session.add(run)
            session.flush()
            ctx.import_run_id = report.import_run_id = run.id
            with batched(session):  # the search outbox is written once, in batches, at the end
                _process(ctx, sheet, by_index, report, path, progress)
    except UnreadableFile as exc:
        raise ImportFileError(exc.message) from None
    finally:
        sheet.close()
    _tally(ctx, report)
    if not dry_run:
        if not report.ok:
            raise ImportRejected(report)
        run.rows, run.created, run.updated, run.unchanged = (report.rows, report.created, report.updated,
                                                             report.unchanged)
        session.flush()
        logger.info("import %s of %s rows of %s by user %s: %s created, %s updated", run.id, report.rows,
                    kind, author.id, report.created, report.updated)
    return report


def recent_runs(*, viewer: User, limit: int = 20) -> list[ImportRun]:
    """The latest confirmed imports `viewer` may see (kb.policy.import_runs_visible_clause), newest first."""
    stmt = (select(ImportRun).where(policy.import_runs_visible_clause(viewer))
            .options(selectinload(ImportRun.user)).order_by(ImportRun.id.desc()).limit(limit))
    return list(session.scalars(stmt))


def get_run(*, run_id: int, viewer: User) -> ImportRun | None:
    """One import run, if `viewer` may see it."""
    return session.scalar(select(ImportRun).where(ImportRun.id == run_id,
                                                  policy.import_runs_visible_clause(viewer)))
