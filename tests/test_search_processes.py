"""Several processes on one database and one index folder: concurrent edits are all findable, and a
rebuild killed with SIGKILL leaves a working index and a next rebuild that succeeds."""
from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from models import Account, Interaction, InteractionKind, UserRole

from .search_support import find, keys

ROOT = Path(__file__).resolve().parent.parent
WORKERS, EDITS = 4, 12


def _edit_in_own_process(config: dict[str, Any], worker: int, account_ids: list[int]) -> None:
    """One worker: its own app; new interactions on shared accounts, and rewrites of its own account."""
    from kb import create_app

    app = create_app(config)
    for i in range(EDITS):
        with app.app_context():
            from kb.db import session

            account_id = account_ids[i % len(account_ids)]
            session.add(Interaction(account_id=account_id, occurred_on=date(2026, 1, 1 + i),
                                    kind=InteractionKind.VISIT, title=f"visit {worker}/{i}",
                                    summary=f"note kw{worker}x{i}"))
            session.get(Account, account_ids[worker]).description = f"latest dw{worker}x{i}"
            session.commit()
    app.extensions["kb.db"].engine.dispose()


@pytest.mark.slow
def test_four_processes_editing_at_once_lose_no_edit(app, app_config, create_user, create_account):
    admin = create_user(role=UserRole.ADMIN)
    accounts = [create_account().id for _ in range(WORKERS)]
    context = multiprocessing.get_context("spawn")
    procs = [context.Process(target=_edit_in_own_process, args=(dict(app_config), w, accounts))
             for w in range(WORKERS)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=300)
    assert [p.exitcode for p in procs] == [0] * WORKERS
    for w in range(WORKERS):
        for i in range(EDITS):
            found = find(app, f"kw{w}x{i}", admin)
            assert [h.title for h in found.hits] == [f"visit {w}/{i}"], (w, i)
        assert keys(find(app, f"dw{w}x{EDITS - 1}", admin)) == {f"account:{accounts[w]}"}
        assert find(app, f"dw{w}x{EDITS - 2}", admin).total == 0
    with app.app_context():
        from kb.db import session

        assert len(session.scalars(select(Interaction.id)).all()) == WORKERS * EDITS


_STALLED_REINDEX = """
import sys
import kb.search.maintenance as maintenance
real = maintenance.iter_all_documents
def stalled(session, batch=1000):
    for n, doc in enumerate(real(session, batch)):
        yield doc
        if n == 2:
            print("indexing", flush=True)
            sys.stdin.read()  # wait here until killed
maintenance.iter_all_documents = stalled
from flask.cli import main
sys.argv = ["flask", "--app", "wsgi", "kb", "reindex"]
main()
"""


@pytest.mark.slow
def test_kill_9_during_reindex_leaves_search_working(app, app_config, runner, create_user, create_account):
    admin = create_user(role=UserRole.ADMIN)
    ids = {create_account(name=f"重庆客户{n}").id for n in range(6)}
    assert {h.id for h in find(app, "重庆", admin).hits} == ids
    root = Path(app_config["SEARCH_INDEX_DIR"])
    live = os.readlink(root / "current")
    env = {**os.environ, "KB_DATABASE_URL": app_config["DATABASE_URL"], "KB_SECRET_KEY": "test",
           "KB_SEARCH_INDEX_DIR": str(root)}
    child = subprocess.Popen([sys.executable, "-c", _STALLED_REINDEX], cwd=ROOT, env=env,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "indexing"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=60)
        child.stdin.close()
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    assert len(list(root.glob("gen-*"))) == 2  # the live index and the half-built one
    assert os.readlink(root / "current") == live
    assert {h.id for h in find(app, "重庆", admin).hits} == ids  # still answering from the old index

    result = runner.invoke(args=["kb", "reindex"])
    assert result.exit_code == 0, result.output
    assert "6 documents" in result.output
    assert os.readlink(root / "current") != live
    assert {h.id for h in find(app, "重庆", admin).hits} == ids
