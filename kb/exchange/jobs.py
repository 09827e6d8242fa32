"""Confirmed imports run in a background thread of the web process: the request that confirms returns at
once (a 20,000-row file takes minutes; gunicorn's worker timeout is 30 s) and the page polls the job's
status, which the thread writes to a small JSON file beside the upload (kb/exchange/uploads.py), so any
worker of the machine can answer.

The thread has its own app and request context, hence its own session and its own single commit; the
search index catches up after that commit as after any other. If the process dies mid-import, the
transaction is rolled back by the database and the status, no longer updated, reads as interrupted.
"""
from __future__ import annotations

import json
import logging
import os
import threading
import time
from pathlib import Path
from typing import Any

from flask import Flask
from flask_babel import gettext as _

from . import uploads

logger = logging.getLogger(__name__)

#: A running job whose status was not updated for this long is reported as interrupted.
STALE_SECONDS = 600


def _path(instance_path: str, token: str) -> Path:
    return uploads.folder(instance_path) / f"{token}.status"


def write_status(instance_path: str, token: str, **data: Any) -> None:
    """Replace the job's status atomically (readers never see half a file)."""
    path = _path(instance_path, token)
    tmp = path.with_suffix(".status-tmp")
    tmp.write_text(json.dumps({**data, "updated_at": time.time()}, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def read_status(instance_path: str, token: str, *, user_id: int) -> dict[str, Any] | None:
    """The status of job `token` of `user_id` (None: unknown or someone else's); a running job whose
    status went stale reads as state "interrupted"."""
    if not uploads.valid_token(token):
        return None
    try:
        status = json.loads(_path(instance_path, token).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    if status.get("user_id") != user_id:
        return None
    if status.get("state") == "running" and time.time() - status.get("updated_at", 0) > STALE_SECONDS:
        status["state"] = "interrupted"
    return status


def start(app: Flask, *, token: str, user_id: int, kind: str, encoding: str | None, file_name: str,
          rows: int, locale: str, dry_run: bool) -> threading.Thread:
    """Start the dry run (`dry_run`) or the import of upload `token` as user `user_id`; returns the thread.

    States: running → checked (a dry run's report; the upload is kept for the confirm) | done (run_id) |
    rejected (problems found at import time: nothing written) | failed (message)."""
    base = {"user_id": user_id, "kind": kind, "file_name": file_name, "rows": rows, "dry_run": dry_run,
            "encoding": encoding}
    write_status(app.instance_path, token, state="running", rows_done=0, **base)
    thread = threading.Thread(target=_run, name=f"kb-import-{token[:8]}", daemon=True,
                              args=(app, token, base, encoding, locale))
    thread.start()
    return thread


def _run(app: Flask, token: str, base: dict[str, Any], encoding: str | None, locale: str) -> None:
    from models import User

    from ..db import session
    from ..services.errors import ServiceError
    from ..services.imports import ImportRejected, run_import

    instance = app.instance_path
    found = uploads.load(instance, token, user_id=base["user_id"])
    dry_run = base["dry_run"]
    with app.test_request_context(headers={"Accept-Language": locale}):
        try:
            if found is None:
                raise ServiceError(
                    _("This upload has expired or was already imported; upload the file again."))
            path, _meta = found

            def progress(done: int) -> None:
                write_status(instance, token, state="running", rows_done=done, **base)

            report = run_import(path=path, file_name=base["file_name"], kind=base["kind"],
                                author=session.get(User, base["user_id"]), dry_run=dry_run, encoding=encoding,
                                progress=progress)
            if dry_run:
                session.rollback()  # nothing to keep (the dry run's savepoint is rolled back already)
                write_status(instance, token, state="checked", report=report.as_status(), **base)
                return
            session.commit()
            write_status(instance, token, state="done", rows_done=report.rows, run_id=report.import_run_id,
                         **base)
        except ImportRejected as exc:
            session.rollback()
            write_status(instance, token, state="rejected", report=exc.report.as_status(), **base)
        except ServiceError as exc:
            session.rollback()
            write_status(instance, token, state="failed", message=exc.message, **base)
        except Exception:  # noqa: BLE001 — reported on the page; the transaction is rolled back
            logger.exception("import %s failed", token)
            session.rollback()
            write_status(instance, token, state="failed",
                         message=_("The import failed; nothing was written."), **base)
        finally:
            if not dry_run:
                uploads.discard(instance, token, keep_status=True)
