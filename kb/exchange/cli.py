"""`flask --app wsgi kb import FILE --kind accounts|stakeholders|interactions [--dry-run] [--encoding E]
[--as EMAIL]`: the same import as the page and the API, printing the same report."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from models import User, UserRole

from ..db import session
from .columns import IMPORT_KINDS
from .reading import ENCODINGS


def _acting_user(email: str | None) -> User:
    if email:
        user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
        if user is None:
            raise click.ClickException(f"No user with the e-mail address {email}.")
        return user
    first_admin = select(User).where(User.role == UserRole.ADMIN, User.active.is_(True)).order_by(User.id)
    user = session.scalar(first_admin)
    if user is None:
        raise click.ClickException("No active admin to import as; name a user with --as EMAIL.")
    return user


def print_report(report) -> None:  # type: ignore[no-untyped-def]
    """The report as the page shows it: counts, then each problem as `row N, column: message`."""
    verb = "would be" if report.dry_run else "were"
    click.echo(f"{report.file_name} ({report.kind}): {report.rows} rows; {report.created} {verb} created, "
               f"{report.updated} {verb} updated, {report.unchanged} unchanged, "
               f"{report.problem_count} problem(s).")
    for problem in report.problems:
        click.echo(f"row {problem.row}, {problem.column}: {problem.message}")


def register(group: AppGroup) -> None:
    """Add the `import` command to `flask kb`."""

    @group.command("import")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--kind", type=click.Choice(IMPORT_KINDS), required=True)
    @click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
    @click.option("--encoding", type=click.Choice(ENCODINGS), default=None, help="A CSV file's encoding.")
    @click.option("--as", "as_email", default=None, help="Import as this user (default: the first admin).")
    def import_command(file: Path, kind: str, dry_run: bool, encoding: str | None,
                       as_email: str | None) -> None:
        """Import accounts, stakeholders or interactions from an .xlsx or .csv FILE."""
        from ..services.errors import ServiceError
        from ..services.imports import ImportRejected, run_import

        with current_app.test_request_context():
            author = _acting_user(as_email)
            try:
                report = run_import(path=file, file_name=file.name, kind=kind, author=author, dry_run=dry_run,
                                    encoding=encoding)
            except ImportRejected as exc:
                session.rollback()
                print_report(exc.report)
                raise click.ClickException("Nothing was imported.") from None
            except ServiceError as exc:
                session.rollback()
                raise click.ClickException(exc.message) from None
            session.commit()
            print_report(report)
            if dry_run and not report.ok:
                raise click.ClickException("The file has problems; nothing would be imported.")
