"""Helpers shared by the export tests (tests/test_exports_*.py): read a downloaded file back."""
from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import load_workbook

BOM = b"\xef\xbb\xbf"


def workbook(response: Any) -> Any:
    """The downloaded .xlsx, opened with openpyxl (cells as written: formulas are not evaluated)."""
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.data))


def sheet_rows(book: Any, title: str) -> list[list[Any]]:
    """Every row of sheet `title` as a list of values (header first)."""
    return [[c.value for c in row] for row in book[title].iter_rows()]


def sheet_text(book: Any) -> str:
    """Every cell of every sheet, as one string (for "appears nowhere" checks)."""
    return "\n".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row
                     if c.value is not None)


def csv_rows(response: Any) -> list[list[str]]:
    """The downloaded CSV's rows; checks it is UTF-8 with a BOM, as Excel needs for Chinese."""
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"].startswith("text/csv")
    data = response.data
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data[len(BOM):].decode("utf-8"))))
