"""Helpers of the import tests: write spreadsheets in the forms people send them, run an import."""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from kb.exchange.columns import KINDS


def csv_bytes(rows: list[list[Any]], *, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[Any]], *, title: str = "Sheet1", number_formats: dict[int, str] | None = None) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            if number_formats and c in number_formats and r > 1:
                cell.number_format = number_formats[c]
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def headers(kind: str, keys: list[str], locale: str = "zh") -> list[str]:
    columns = {c.key: c for c in KINDS[kind]}
    return [columns[k].header(locale) for k in keys]


def run(app: Any, tmp_path: Path, data: bytes, *, kind: str, author: Any, name: str = "data.csv",
        dry_run: bool = False, encoding: str | None = None, commit: bool = True) -> Any:
    """Run an import as `author` (id or User) in a request context; commit unless it raises.

    Returns the report, or the exception it raised."""
    from kb.db import session
    from kb.services.errors import ServiceError
    from kb.services.imports import run_import
    from models import User

    path = tmp_path / f"upload-{name}"
    path.write_bytes(data)
    with app.test_request_context():
        user = session.get(User, author if isinstance(author, int) else author.id)
        try:
            report = run_import(path=path, file_name=name, kind=kind, author=user, dry_run=dry_run,
                                encoding=encoding)
        except ServiceError as exc:
            session.rollback()
            return exc
        if commit:
            session.commit()
        return report
