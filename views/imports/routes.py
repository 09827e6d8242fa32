"""The import page: upload → dry-run report → confirm → result. Thin: kb.services.imports does the work."""
from __future__ import annotations

import io
import logging

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from kb import policy
from kb.exchange import jobs, uploads
from kb.exchange.columns import IMPORT_KINDS
from kb.exchange.templates import template_workbook
from kb.group_names import ui_is_english
from kb.services import imports as service
from kb.services.imports import ImportFileError
from views import once

from . import bp
from .forms import KIND_LABELS, ConfirmForm, UploadForm

logger = logging.getLogger(__name__)

#: Rows per second of a confirmed import, measured with bench/import_bench.py (20,000 stakeholders on
#: SQLite: 48 rows/s on a loaded 2-core machine, more on a quiet one): the page's "roughly how long" line.
ROWS_PER_SECOND = 50


@bp.before_request
def _gate() -> None:
    policy.require(policy.may_import(current_user))


def _page(form: UploadForm, status: int = 200):  # type: ignore[no-untyped-def]
    runs = service.recent_runs(viewer=current_user)
    return render_template("imports/index.html", form=form, runs=runs, kinds=KIND_LABELS,
                           max_mb=current_app.config["IMPORT_MAX_BYTES"] // (1024 * 1024)), status


@bp.get("/import")
def index():
    return _page(UploadForm())


@bp.post("/import")
def upload():
    form = UploadForm()
    if not form.validate_on_submit():
        return _page(form, 422)
    file, kind, encoding = form.file.data, form.kind.data, form.encoding.data or None
    instance = current_app.instance_path
    token = uploads.save(instance, file.stream, file_name=file.filename or "upload", user_id=current_user.id,
                         kind=kind, encoding=encoding)
    path, meta = uploads.load(instance, token, user_id=current_user.id)  # type: ignore[misc]
    try:
        service.check_file(path=path, file_name=str(meta["file_name"]), kind=kind, encoding=encoding)
    except ImportFileError as exc:
        uploads.discard(instance, token)
        form.file.errors = [exc.message]
        return _page(form, 422)
    _start(token, kind, encoding, str(meta["file_name"]), rows=0, dry_run=True)
    return redirect(url_for("imports.job", token=token))


def _start(token: str, kind: str, encoding: str | None, file_name: str, *, rows: int, dry_run: bool) -> None:
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the thread outlives the request
    jobs.start(app, token=token, user_id=current_user.id, kind=kind, encoding=encoding, file_name=file_name,
               rows=rows, locale=str(get_locale() or "zh_CN"), dry_run=dry_run)


def _report(report: service.ImportReport, confirm: ConfirmForm | None,
            status: int):  # type: ignore[no-untyped-def]
    seconds = max(1, round(report.rows / ROWS_PER_SECOND))
    return render_template("imports/report.html", report=report, confirm=confirm, kinds=KIND_LABELS,
                           seconds=seconds), status


@bp.post("/import/confirm")
def confirm():
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    if (done := once.already_submitted(form)) is not None:
        return done
    found = uploads.load(current_app.instance_path, form.token.data, user_id=current_user.id)
    if found is None:
        flash(_("This upload has expired or was already imported; upload the file again."), "error")
        return redirect(url_for("imports.index"))
    _path, meta = found
    _start(form.token.data, form.kind.data, form.encoding.data or None, str(meta["file_name"]),
           rows=form.rows.data or 0, dry_run=False)
    return redirect(once.remember(form, url_for("imports.job", token=form.token.data)))


@bp.get("/import/jobs/<token>")
def job(token: str):
    """A dry run's or an import's progress, then its report (dry run), result (import) or problems."""
    status = jobs.read_status(current_app.instance_path, token, user_id=current_user.id)
    if status is None:
        abort(404)
    state = status["state"]
    if state == "done":
        return redirect(url_for("imports.run", run_id=status["run_id"]))
    if state in ("checked", "rejected"):
        report = service.ImportReport.from_status(status["report"])
        confirm = None
        if state == "checked" and report.ok:
            confirm = ConfirmForm(formdata=None, token=token, kind=report.kind,
                                  encoding=status.get("encoding") or "", rows=report.rows)
        return _report(report, confirm, 200 if state == "checked" else 422)
    left = max(1, round((status["rows"] - status["rows_done"]) / ROWS_PER_SECOND)) if status["rows"] else None
    return render_template("imports/job.html", status=status, kinds=KIND_LABELS, seconds=left)


@bp.get("/import/runs/<int:run_id>")
def run(run_id: int):
    found = service.get_run(run_id=run_id, viewer=current_user)
    if found is None:
        abort(404)
    return render_template("imports/run.html", run=found, kinds=KIND_LABELS)


@bp.get("/import/template/<kind>.xlsx")
def template(kind: str):
    if kind not in IMPORT_KINDS:
        abort(404)
    data = template_workbook(kind, "en" if ui_is_english() else "zh")
    name = f"import-{kind}.xlsx"
    return send_file(io.BytesIO(data), as_attachment=True, download_name=name,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
