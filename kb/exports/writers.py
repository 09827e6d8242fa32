"""Rows → files: a write-only .xlsx workbook of several sheets, or a streamed UTF-8 (with BOM) .csv.

Both go through kb.exports.cells, so no cell is ever run as a formula. Callers bound the rows they pass
(the export services cap every list); the writers only stream them.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .cells import csv_cell, xlsx_text

#: What Excel needs to read a CSV file as UTF-8 (without it, Chinese shows as mojibake).
UTF8_BOM = "\ufeff"
_CSV_CHUNK = 500
_SHEET_TITLE_MAX = 31  # Excel's limit
_BOLD = Font(bold=True)


@dataclass
class Sheet:
    """One sheet: its title, its header row and its data rows (each a sequence of plain values:
    str, int, float, bool, date, datetime or None). `widths` are column widths in characters."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[int] = field(default_factory=tuple)


def _xlsx_cell(sheet: Any, value: Any, bold: bool = False) -> Any:
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=xlsx_text(value))
        cell.data_type = "s"  # openpyxl stores a str beginning with "=" as a formula; never do that
    elif isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=value.replace(tzinfo=None))  # xlsx has no time zones
    else:
        cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, date) and not isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd"
    if bold:
        cell.font = _BOLD
    return cell


def _safe_title(title: str) -> str:
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip() or "sheet"
    return cleaned[:_SHEET_TITLE_MAX]


def xlsx_bytes(sheets: Sequence[Sheet]) -> tuple[bytes, list[int]]:
    """The workbook (openpyxl write-only mode: rows go straight to disk, memory stays flat) and the
    number of data rows written to each sheet."""
    book = Workbook(write_only=True)
    counts: list[int] = []
    for spec in sheets:
        sheet = book.create_sheet(_safe_title(spec.title))
        for number, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[get_column_letter(number)].width = width
        sheet.freeze_panes = "A2"
        sheet.append([_xlsx_cell(sheet, str(h), bold=True) for h in spec.headers])
        count = 0
        for row in spec.rows:
            sheet.append([_xlsx_cell(sheet, value) for value in row])
            count += 1
        counts.append(count)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), counts


def csv_chunks(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """The CSV file in UTF-8 with a BOM, comma-separated, CRLF line ends (what Excel opens directly),
    yielded a few hundred rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(UTF8_BOM)
    writer.writerow([csv_cell(h) for h in headers])
    for number, row in enumerate(rows, start=1):
        writer.writerow([csv_cell(value) for value in row])
        if number % _CSV_CHUNK == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")
