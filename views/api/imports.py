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
from .registry import operation
from .responses import ref
from .common import require
from .query import Param, Query
from .bodies import InvalidInput

IMPORT_QUERY = Query((
    Param("kind", "choice", "What the file holds.", choices=tuple(IMPORT_KINDS), required=True,
          message=lambda: _("Choose one of: %(kinds)s.", kinds=", ".join(IMPORT_KINDS))),
    Param("dry_run", "choice", "1: check only, write nothing.", choices=("0", "1", "true", "false"),
          default="0", message=lambda: _("Use 1 (dry run) or 0 (import).")),
    Param("encoding", "choice", "The CSV file's encoding (default: detected).", choices=tuple(ENCODINGS),
          message=lambda: _("Choose one of: %(kinds)s.", kinds=", ".join(ENCODINGS))),
))


def _params() -> tuple[str, bool, str | None]:
    args = IMPORT_QUERY.load()
    return args["kind"], args["dry_run"] in ("1", "true"), args["encoding"]


@bp.post("/imports")
@operation("Import a spreadsheet", query=IMPORT_QUERY, multipart=True, response=ref("ImportReport"),
           tag="imports", errors=(403, 422), extra={"report_on": (422,)})
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
