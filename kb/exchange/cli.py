"""`flask --app wsgi kb import FILE --kind accounts|stakeholders|interactions [--dry-run] [--encoding E]
[--as EMAIL] [--lang en|zh_CN]`: the same import as the page and the API, printing the same report, all of it
in one language (English by default, like every other `flask kb` command; `--lang zh_CN` for Chinese)."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _
from sqlalchemy import func, select

from models import User, UserRole

from ..db import session
from .columns import IMPORT_KINDS
from .reading import ENCODINGS


def _acting_user(email: str | None) -> User:
    if email:
        user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
        if user is None:
            raise click.ClickException(_("No user with the e-mail address %(email)s.", email=email))
        return user
    first_admin = select(User).where(User.role == UserRole.ADMIN, User.active.is_(True)).order_by(User.id)
    user = session.scalar(first_admin)
    if user is None:
        raise click.ClickException(_("No active admin to import as; name a user with --as EMAIL."))
    return user


def print_report(report) -> None:  # type: ignore[no-untyped-def]
    """The report as the page shows it: counts ("would be created" for a dry run; a run refused for its
    problems wrote nothing and claims no created rows), then each problem as `row N, column: message`, in
    the language of the current request context."""
    counts = dict(file=report.file_name, kind=report.kind, rows=report.rows, created=report.created,
                  updated=report.updated, unchanged=report.unchanged, problems=report.problem_count)
    if not report.dry_run and not report.ok:  # refused for its problems: it wrote nothing, claims nothing
        click.echo(_("%(file)s (%(kind)s): %(rows)d rows, %(problems)d problem(s); no row was written.",
                     **counts))
    elif report.dry_run:
        click.echo(_("%(file)s (%(kind)s): %(rows)d rows; %(created)d would be created, %(updated)d would be "
                     "updated, %(unchanged)d unchanged, %(problems)d problem(s).", **counts))
    else:
        click.echo(_("%(file)s (%(kind)s): %(rows)d rows; %(created)d were created, %(updated)d were "
                     "updated, %(unchanged)d unchanged, %(problems)d problem(s).", **counts))
    for problem in report.problems:
        click.echo(_("row %(row)d, %(column)s: %(message)s", row=problem.row, column=problem.column,
                     message=problem.message))


def register(group: AppGroup) -> None:
    """Add the `import` command to `flask kb`."""

    @group.command("import")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--kind", type=click.Choice(IMPORT_KINDS), required=True)
    @click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
    @click.option("--encoding", type=click.Choice(ENCODINGS), default=None, help="A CSV file's encoding.")
    @click.option("--as", "as_email", default=None, help="Import as this user (default: the first admin).")
    @click.option("--lang", type=click.Choice(["en", "zh_CN"]), default="en", show_default=True,
                  help="The language of the report and its messages.")
    def import_command(file: Path, kind: str, dry_run: bool, encoding: str | None,
                       as_email: str | None, lang: str) -> None:
        """Import accounts, stakeholders or interactions from an .xlsx or .csv FILE."""
        from ..services.errors import ServiceError
        from ..services.imports import ImportRejected, run_import

        with current_app.test_request_context(headers={"Accept-Language": lang.replace("_", "-")}):
            author = _acting_user(as_email)
            try:
                report = run_import(path=file, file_name=file.name, kind=kind, author=author, dry_run=dry_run,
                                    encoding=encoding)
            except ImportRejected as exc:
                session.rollback()
                print_report(exc.report)
                raise click.ClickException(_("Nothing was imported.")) from None
            except ServiceError as exc:
                session.rollback()
                raise click.ClickException(exc.message) from None
            session.commit()
            print_report(report)
            if dry_run and not report.ok:
                raise click.ClickException(_("The file has problems; nothing would be imported."))
