"""`flask --app wsgi kb ...`: set up the database, load demo data, manage users and tokens."""
from __future__ import annotations

import logging
import sys

import click
from flask import current_app
from flask.cli import AppGroup, ScriptInfo
from sqlalchemy import Engine, func, make_url, select
from sqlalchemy.exc import OperationalError

from models import Account, User, UserRole

from . import migrate
from .config import write_secret_key
from .db import get_db, session

logger = logging.getLogger(__name__)

class KbGroup(AppGroup):
    """The `kb` command group: a database that cannot be reached (down, wrong URL, locked past the lock
    timeout) ends any command with one clear line and exit status 1, not a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except Exception as exc:  # noqa: BLE001 — re-raised unless a database error caused it
            cause = _database_cause(exc)
            if cause is None:
                raise
            logger.debug("kb command failed on the database", exc_info=True)
            reason = (str(getattr(cause, "orig", None) or cause).strip().splitlines() or ["?"])[0][:300]
            app = ctx.ensure_object(ScriptInfo).load_app()  # the command's app context has ended by now
            url = make_url(app.config["DATABASE_URL"]).render_as_string(hide_password=True)
            raise click.ClickException(f"cannot use the database {url}: {reason}") from exc


def _database_cause(exc: BaseException) -> OperationalError | None:
    """The OperationalError in `exc`'s chain of causes (e.g. an index rebuild that could not read), or None."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, OperationalError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


kb_cli = KbGroup("kb", help="Account KB administration.")


@kb_cli.command("init")
def init_command() -> None:
    """Create the instance folder and secret key, and migrate the database to the newest schema."""
    write_secret_key(current_app.instance_path)
    engine = get_db().engine
    assert engine is not None
    migrate.upgrade(engine)
    click.echo(f"Database ready: {engine.url.render_as_string(hide_password=True)}")


@kb_cli.command("demo")
@click.option("--force", is_flag=True, help="Load even if the database already has accounts.")
@click.option("--if-empty", is_flag=True, help="Do nothing (successfully) if the database has accounts.")
def demo_command(force: bool, if_empty: bool) -> None:
    """Load the bilingual demo data (refuses on a non-empty database unless --force)."""
    from .demo import load_demo

    has_data = session.scalar(select(func.count()).select_from(Account)) or 0
    if has_data and not force:
        if if_empty:
            click.echo("Database already has data; demo data not loaded.")
            return
        raise click.ClickException("The database already has accounts. Use --force to load the demo anyway.")
    summary = load_demo(session)
    session.commit()
    click.echo("Demo data loaded: " + ", ".join(f"{n} {what}" for what, n in summary.items()))


@kb_cli.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice([r.value for r in UserRole]), default=UserRole.MEMBER.value,
              show_default=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_user_command(email: str, name: str, role: str, password: str) -> None:
    """Create a user who signs in with EMAIL and PASSWORD."""
    from .services.users import UserError, create_user

    try:
        user = create_user(email=email, name=name, role=UserRole(role), password=password, author=None)
    except UserError as exc:
        raise click.ClickException(str(exc)) from exc
    session.commit()
    click.echo(f"Created {user.role.value} {user.email} (id {user.id})")


#: `--expires` of create-token: the page's choices (kb.services.tokens.EXPIRY_CHOICES) and "never".
NEVER_EXPIRES = "never"


@kb_cli.command("create-token")
@click.option("--email", required=True)
@click.option("--label", default="cli", show_default=True,
              help="What the token is for (at most 80 characters).")
@click.option("--expires", "expires", type=click.Choice(["30", "90", "365", NEVER_EXPIRES]), default=None,
              help="Days until it expires, as on the tokens page: 30, 90 or 365; 'never' (or no --expires) "
                   "only for an admin's token.")
@click.option("--read-only", is_flag=True, help="A read-only token: every write with it is refused (403).")
@click.option("--lang", type=click.Choice(["en", "zh_CN"]), default="en", show_default=True,
              help="The language of its error messages (as `kb import --lang`).")
def create_token_command(email: str, label: str, expires: str | None, read_only: bool, lang: str) -> None:
    """Print a new API token for the user with EMAIL (only its hash is stored). The rules are the page's
    (kb.services.tokens.create_token): a member's or viewer's token needs --expires; a deactivated user
    gets none. An error is one line in the language of --lang, exit status 1."""
    from flask_babel import gettext as _

    from .services.tokens import TokenError, create_token

    with current_app.test_request_context(headers={"Accept-Language": lang.replace("_", "-")}):
        user = session.scalar(select(User).where(User.email == email.strip().lower()))
        if user is None:
            raise click.ClickException(_("No user with email %(email)s.", email=email))
        expires_days = None if expires in (None, NEVER_EXPIRES) else int(expires)
        try:
            new = create_token(owner=user, author=None, label=label, expires_days=expires_days,
                               read_only=read_only)
        except TokenError as exc:
            session.rollback()
            if "expires_days" in exc.fields:
                raise click.ClickException(" ".join((
                    f"--expires: {exc.fields['expires_days']}",
                    _("Only an admin's token may never expire: give --expires 30, 90 or 365 for %(email)s.",
                      email=user.email)))) from None
            raise click.ClickException(exc.message) from None
        session.commit()
    click.echo(new.secret)
    if sys.stdout.isatty():
        click.echo("Keep it safe: it cannot be shown again.", err=True)


@kb_cli.command("backup")
@click.option("--to", "target", required=True, type=click.Path(dir_okay=False, writable=True),
              help="File to write (it appears only when complete).")
def backup_command(target: str) -> None:
    """Write a consistent snapshot of the database to FILE while the app keeps serving."""
    from pathlib import Path

    from .backup import BackupError, backup

    try:
        kind = backup(engine=_engine(), target=Path(target))
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backup written ({kind}): {target}")


@kb_cli.command("restore")
@click.option("--from", "source", required=True, type=click.Path(exists=True, dir_okay=False),
              help="A file written by `kb backup`.")
@click.option("--force", is_flag=True, help="Replace a database that already has data.")
def restore_command(source: str, force: bool) -> None:
    """Restore a backup into this (empty) instance, migrate it to the newest schema, rebuild the index."""
    from pathlib import Path

    from .backup import BackupError, restore
    from .search import get_index

    write_secret_key(current_app.instance_path)
    try:
        report = restore(engine=_engine(), source=Path(source), index=get_index(), force=force)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored {report.kind} backup {source}; search index rebuilt: {report.documents} documents")


def _engine() -> Engine:
    engine = get_db().engine
    assert engine is not None
    return engine


# The search commands (reindex, check-index) live with the search package.
from .search.cli import register as _register_search_commands  # noqa: E402

_register_search_commands(kb_cli)

# The import command lives with the import code.
from .exchange.cli import register as _register_import_commands  # noqa: E402

_register_import_commands(kb_cli)
