"""`flask --app wsgi kb reindex` and `flask --app wsgi kb check-index [--repair]`."""
from __future__ import annotations

import logging
import time

import click
from flask.cli import AppGroup, with_appcontext

from . import get_index
from .maintenance import REBUILD_LIMITMB, check

logger = logging.getLogger(__name__)


@click.command("reindex")
@click.option("--procs", type=click.IntRange(1, 16), default=1, show_default=True,
              help="Worker processes for indexing (helps on big databases).")
@click.option("--limitmb", type=click.IntRange(64, 65536), default=REBUILD_LIMITMB, show_default=True,
              help="Postings (MB, as Whoosh estimates them) each indexing process holds before it starts a "
                   "new segment: peak memory ≈ procs × 0.9 × MB + 300 MB; less means more segments.")
@with_appcontext
def reindex_command(procs: int, limitmb: int) -> None:
    """Rebuild the search index beside the live one and swap it in; searches keep working meanwhile."""
    started = time.perf_counter()
    count = get_index().rebuild(procs=procs, limitmb=limitmb)
    click.echo(f"Search index rebuilt: {count} documents in {time.perf_counter() - started:.1f} s")


@click.command("check-index")
@click.option("--repair", is_flag=True, help="Rewrite missing and outdated documents, delete extra ones.")
@click.option("--procs", type=click.IntRange(1, 2), default=2, show_default=True,
              help="Processes reading the database (2: one more, for the visits).")
@with_appcontext
def check_index_command(repair: bool, procs: int) -> None:
    """Compare the search index with the database: documents missing, extra or outdated."""
    report = check(get_index(), repair=repair, procs=procs)
    for label, keys in (("missing", report.missing), ("extra", report.extra), ("outdated", report.outdated)):
        shown = ", ".join(keys[:20]) + (" …" if len(keys) > 20 else "")
        click.echo(f"{label}: {len(keys)}" + (f" ({shown})" if keys else ""))
    if report.ok:
        click.echo("Search index is in step with the database.")
    elif report.repaired:
        click.echo("Repaired.")
    else:
        raise click.ClickException("Search index differs from the database; run with --repair to fix it.")


def register(group: AppGroup) -> None:
    """Add the search commands to the `flask kb` group."""
    group.add_command(reindex_command)
    group.add_command(check_index_command)
