"""Reading a spreadsheet row by row: `.xlsx` (openpyxl, read-only, values not formulas) and `.csv` in UTF-8,
UTF-8 with BOM or GBK/GB18030 (detected with charset-normalizer unless the user names the encoding),
separated by commas, semicolons or tabs.

Rows are streamed (`Sheet.rows` is an iterator), so a file of tens of thousands of rows never sits in
memory as a whole. Errors a user can fix (not a spreadsheet, an unknown encoding, no header row) are
`UnreadableFile` with a translated message.
"""
from __future__ import annotations

import codecs
import csv
import io
import logging
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask_babel import gettext as _

from .columns import SHEET_TITLES, header_key

logger = logging.getLogger(__name__)

#: Bytes read to detect the encoding and the separator of a CSV file.
SAMPLE_BYTES = 64 * 1024
SEPARATORS = ",;\t"
#: First characters of a formula: exports write such text with a leading apostrophe in CSV.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Encodings a user may name (and detection may give); GBK files are read as GB18030, its superset.
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "gbk", "big5", "utf-16")
_CHINESE_LEGACY = {"gbk", "gb2312", "gb18030", "hz", "cp936"}
#: Cells longer than this are cut when read (every column's limit is far below it); bounds memory per row.
MAX_CELL = 50_000


class UnreadableFile(Exception):
    """The file cannot be read as a spreadsheet; `message` is translated and says what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Sheet:
    """A header row (`headers`, as written in the file) and an iterator of (row number, cells)."""

    headers: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    encoding: str | None = None
    separator: str | None = None
    close: Callable[[], None] = lambda: None  # releases the file (also when the rows are not all read)


def file_type(file_name: str) -> str:
    """`xlsx` or `csv` by the file name's extension; raises UnreadableFile for anything else."""
    suffix = Path(file_name or "").suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in (".csv", ".txt", ".tsv"):
        return "csv"
    raise UnreadableFile(_("Upload an .xlsx or .csv file."))


def open_sheet(path: Path, *, file_name: str, kind: str, encoding: str | None = None) -> Sheet:
    """Open the spreadsheet at `path` (uploaded as `file_name`) for `kind`.

    For a workbook, the sheet titled for `kind` (as an export names it) if there is one, else the first.
    `encoding` (CSV only): one of ENCODINGS, or None to detect. Raises UnreadableFile.
    """
    if file_type(file_name) == "xlsx":
        return _open_xlsx(path, kind)
    return _open_csv(path, encoding)


class UncalculatedFormula(str):
    """A workbook cell holding a formula with no calculated value saved (a file written by a program, not
    by Excel): the text is the formula. kb.exchange.rows.parse_cell reports it instead of reading it as
    empty."""


class _Both:
    """Closes the values workbook and the formulas workbook together."""

    def __init__(self, *books: Any) -> None:
        self.books = books

    def close(self) -> None:
        for book in self.books:
            book.close()


def _with_formulas(values: tuple[Any, ...], formulas: tuple[Any, ...]) -> tuple[Any, ...]:
    if all(v is not None for v in values):
        return values
    return tuple(UncalculatedFormula(f) if v is None and isinstance(f, str) and f.startswith("=") else v
                 for v, f in zip(values, formulas + (None,) * (len(values) - len(formulas))))


def _load_workbook(path: Path, *, data_only: bool = True) -> Any:
    """The workbook at `path`, read-only, cell values as last calculated. Opened from a file handle: uploads
    are stored without their extension, and openpyxl refuses a path by its extension. Closing the workbook
    (`workbook.close()`) closes the handle too. Raises UnreadableFile for anything that is not a workbook."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    handle = open(path, "rb")  # noqa: SIM115 — closed with the workbook
    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, InvalidFileException) as exc:
        handle.close()
        logger.info("unreadable workbook: %s", exc)
        raise UnreadableFile(_("This file is not an Excel workbook (.xlsx) that can be read.")) from None
    close = workbook.close

    def close_both() -> None:
        close()
        handle.close()

    workbook.close = close_both
    return workbook


def _open_xlsx(path: Path, kind: str) -> Sheet:
    workbook = _load_workbook(path)
    titles = {header_key(t) for t in SHEET_TITLES.get(kind, ())}
    sheet = next((ws for ws in workbook.worksheets if header_key(ws.title) in titles), workbook.worksheets[0])
    formulas = _load_workbook(path, data_only=False)  # read beside the values: formulas never calculated
    both = _Both(workbook, formulas)
    values = (_with_formulas(v, f) for v, f in zip(sheet.iter_rows(values_only=True),
                                                     formulas[sheet.title].iter_rows(values_only=True)))
    for number, row in enumerate(values, start=1):
        if any(_present(v) for v in row):
            headers = [_header_text(v) for v in row]
            return Sheet(headers, _numbered(values, number + 1, both), close=both.close)
    both.close()
    raise UnreadableFile(_("The file has no header row."))


def open_named_sheet(path: Path, *, file_name: str, kind: str) -> Sheet | None:
    """The sheet of a workbook titled for `kind` (e.g. 下一步 / next_steps), or None (a CSV file, or no such
    sheet, or no header row in it)."""
    if file_type(file_name) != "xlsx":
        return None
    workbook = _load_workbook(path)
    titles = {header_key(t) for t in SHEET_TITLES.get(kind, ())}
    sheet = next((ws for ws in workbook.worksheets if header_key(ws.title) in titles), None)
    values = sheet.iter_rows(values_only=True) if sheet is not None else iter(())
    for number, row in enumerate(values, start=1):
        if any(_present(v) for v in row):
            return Sheet([_header_text(v) for v in row], _numbered(values, number + 1, workbook),
                         close=workbook.close)
    workbook.close()
    return None


def _numbered(values: Iterator[tuple[Any, ...]], start: int,
              workbook: Any) -> Iterator[tuple[int, list[Any]]]:
    try:
        for number, row in enumerate(values, start=start):
            cells = [v[:MAX_CELL] if isinstance(v, str) and not isinstance(v, UncalculatedFormula) else v
                     for v in row]
            if any(_present(v) for v in cells):
                yield number, cells
    finally:
        workbook.close()


def _present(value: Any) -> bool:
    return value is not None and (not isinstance(value, str) or value.strip() != "")


def _header_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def detect_encoding(sample: bytes) -> str:
    """The encoding of a CSV file from its first bytes: a BOM decides; then UTF-8 if it decodes; then
    charset-normalizer's best guess (any Chinese legacy encoding is read as GB18030)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 3:  # the sample cut a character in two
            return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    name = (best.encoding if best is not None else "gb18030").lower().replace("-", "").replace("_", "")
    if name in _CHINESE_LEGACY or best is None or _reads_as_chinese(sample):
        return "gb18030"
    return codecs.lookup(best.encoding).name


def _reads_as_chinese(sample: bytes) -> bool:
    """Whether `sample` decodes as GB18030 into mostly Chinese characters. A short Chinese file gives the
    detector little to go on (a few header cells were taken for Korean); in a product for Chinese account
    teams, text that reads as Chinese in GB18030 is GB18030."""
    try:
        text = sample.decode("gb18030")
    except UnicodeDecodeError:
        return False
    wide = [c for c in text if ord(c) > 0x7F]
    han = sum(1 for c in wide if "\u4e00" <= c <= "\u9fff")
    return bool(wide) and han >= 0.9 * len(wide)


def detect_separator(text: str) -> str:
    """`,`, `;` or tab: what csv.Sniffer finds in the first lines, else the most frequent in the header."""
    try:
        return csv.Sniffer().sniff(text, delimiters=SEPARATORS).delimiter
    except csv.Error:
        first = text.splitlines()[0] if text else ""
        return max(SEPARATORS, key=first.count)


def _open_csv(path: Path, encoding: str | None) -> Sheet:
    with path.open("rb") as raw:
        sample = raw.read(SAMPLE_BYTES)
    if not sample.strip():
        raise UnreadableFile(_("The file is empty."))
    chosen = encoding or detect_encoding(sample)
    if chosen == "utf-8" and sample.startswith(codecs.BOM_UTF8):
        chosen = "utf-8-sig"
    if chosen.lower() in ("gbk", "gb2312"):
        chosen = "gb18030"
    try:
        text_sample = sample.decode(chosen, errors="ignore")
        handle = io.TextIOWrapper(path.open("rb"), encoding=chosen, errors="strict", newline="")
    except LookupError:
        raise UnreadableFile(_("Unknown encoding %(name)s.", name=encoding)) from None
    separator = detect_separator(text_sample[:8192])
    reader = csv.reader(handle, delimiter=separator)
    try:
        headers = [_header_text(h) for h in next(reader)]
    except UnicodeDecodeError:
        handle.close()
        raise UnreadableFile(_("The file is not in %(name)s; choose its encoding.", name=chosen)) from None
    except StopIteration:
        handle.close()
        raise UnreadableFile(_("The file has no header row.")) from None
    return Sheet(headers, _csv_rows(reader, handle, chosen), encoding=chosen, separator=separator,
                 close=handle.close)


def _unguarded(cell: str) -> str:
    """A CSV cell without the apostrophe exports put before text a spreadsheet would run as a formula
    (also before typed apostrophes that precede such a start: ``''=1`` → ``'=1``; kb.exports.cells)."""
    return cell[1:] if cell[:1] == "'" and cell.lstrip("'")[:1] in FORMULA_STARTS else cell


def _csv_rows(reader: Any, handle: io.TextIOWrapper, encoding: str) -> Iterator[tuple[int, list[Any]]]:
    number = 1  # the header row; Excel shows a CSV record (line breaks inside quotes too) as one row
    try:
        while True:
            number += 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                message = _("The file is not in %(name)s; choose its encoding.", name=encoding)
                raise UnreadableFile(message) from None
            except csv.Error as exc:
                message = _("The file is not a valid CSV file: %(reason)s", reason=str(exc))
                raise UnreadableFile(message) from None
            if any(c.strip() for c in cells):
                yield number, [_unguarded(c[:MAX_CELL]) for c in cells]
    finally:
        handle.close()
