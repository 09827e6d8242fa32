"""`POST /api/v1/imports?kind=…&dry_run=1`: import a spreadsheet sent as multipart form data (field `file`).

Answers ``{"dry_run", "kind", "rows", "created", "updated", "unchanged", "error_count", "errors": [{"row",
"column", "message"}]}``: 200 when the file has no problems (written unless `dry_run`), 422 when it has
some (nothing written).
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from kb import policy
from kb.exchange.columns import IMPORT_KINDS
from kb.exchange.reading import ENCODINGS
from kb.services import imports as service
from kb.services.imports import ImportRejected

from . import bp
from .common import require
from .validation import InvalidInput


def _params() -> tuple[str, bool, str | None]:
    kind = request.args.get("kind", "")
    if kind not in IMPORT_KINDS:
        raise InvalidInput({"kind": _("Choose one of: %(kinds)s.", kinds=", ".join(IMPORT_KINDS))})
    dry_run = request.args.get("dry_run", "0")
    if dry_run not in ("0", "1", "true", "false"):
        raise InvalidInput({"dry_run": _("Use 1 (dry run) or 0 (import).")})
    encoding = request.args.get("encoding") or None
    if encoding is not None and encoding not in ENCODINGS:
        raise InvalidInput({"encoding": _("Choose one of: %(kinds)s.", kinds=", ".join(ENCODINGS))})
    return kind, dry_run in ("1", "true"), encoding


@bp.post("/imports")
def create_import():
    require(policy.may_import(current_user))
    kind, dry_run, encoding = _params()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise InvalidInput({"file": _("Send the spreadsheet as multipart form data in the field “file”.")})
    with tempfile.TemporaryDirectory(prefix="kb-import-") as folder:
        path = Path(folder) / "upload"
        upload.save(path)
        try:
            report = service.run_import(path=path, file_name=upload.filename, kind=kind, author=current_user,
                                        dry_run=dry_run, encoding=encoding)
        except ImportRejected as exc:
            report = exc.report
    return jsonify(report.as_json()), (200 if report.ok else 422)
