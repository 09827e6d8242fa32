"""From cells to typed values: one function per column type of kb/exchange/columns.py, each returning the
value or a translated problem (what is wrong and how to write it instead)."""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _

from ..textnorm import normalize
from .columns import FALSE_WORDS, LIST_SEPARATORS, TRUE_WORDS, Column, enum_lookup, header_key
from .reading import UncalculatedFormula

_ISO_DATE = re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})"
                       r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")  # a time after the date is ignored
_CHINESE_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
_LIST_SPLIT = re.compile(f"[{re.escape(LIST_SEPARATORS)}]")


class CellProblem(Exception):
    """A cell that cannot be used; `message` is translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a spurious `.0`, dates as ISO, everything trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def parse_date(value: Any) -> date | None:
    """An Excel date cell, or text as 2026-11-29, 2026/11/29, 2026.11.29 or 2026年11月29日; None if empty."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    if not text:
        return None
    match = _ISO_DATE.match(text) or _CHINESE_DATE.match(text)
    if match is None:
        raise CellProblem(_("“%(value)s” is not a date in a form we read: write 2026-11-29, 2026/11/29 or "
                            "2026年11月29日 (day/month forms such as 29/11/2026 are ambiguous).",
                            value=text[:40]))
    year, month, day = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise CellProblem(_("%(value)s is not a date that exists.", value=text[:40])) from None


def parse_int(value: Any) -> int | None:
    """A whole number (a number cell or digits); None if empty."""
    if isinstance(value, bool):
        raise CellProblem(_("Enter a whole number."))
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = normalize(cell_text(value))
    if not text:
        return None
    if not (text.isascii() and text.lstrip("-").isdigit()) or len(text) > 9:
        raise CellProblem(_("Enter a whole number."))
    return int(text)


def parse_bool(value: Any) -> bool:
    """是/否, yes/no, true/false, 1/0 (empty: no)."""
    key = header_key(cell_text(value))
    if key in TRUE_WORDS:
        return True
    if key in FALSE_WORDS:
        return False
    raise CellProblem(_("Write 是 or 否 (yes or no)."))


def parse_list(value: Any) -> list[str]:
    """Items separated by line breaks, semicolons, commas or 、, trimmed, empty ones dropped."""
    return [item.strip() for item in _LIST_SPLIT.split(cell_text(value)) if item.strip()]


def parse_cell(column: Column, value: Any, lookups: dict[str, dict[str, Any]]) -> Any:
    """The typed value of `value` in `column` (see kb/exchange/columns.py for the types).

    `lookups` caches enum spellings per enum name. Raises CellProblem with a translated message.
    """
    if isinstance(value, UncalculatedFormula):
        raise CellProblem(_("This cell holds a formula that was never calculated (%(formula)s): open the file "
                            "in Excel or WPS, save it, and import it again.", formula=str(value)[:100]))
    kind = column.type
    if kind == "date":
        return parse_date(value)
    if kind == "int":
        return parse_int(value)
    if kind == "bool":
        return parse_bool(value)
    if kind in ("list", "emails"):
        items = parse_list(value)
        if kind == "emails":
            items = [i.lower() for i in items]
        if column.max_length and any(len(i) > column.max_length for i in items):
            raise CellProblem(_("Each item may have at most %(n)d characters.", n=column.max_length))
        return items
    text = cell_text(value)
    if kind == "enum" and column.enum is not None:
        if not text:
            return None
        spellings = lookups.get(column.enum.__name__)
        if spellings is None:
            spellings = lookups[column.enum.__name__] = enum_lookup(column.enum)
        member = spellings.get(header_key(text))
        if member is None:
            raise CellProblem(_("Unknown value “%(value)s”: use one of the values of the template's list.",
                                value=text[:40]))
        return member
    if column.max_length and len(text) > column.max_length:
        raise CellProblem(_("Value too long: at most %(n)d characters (this one has %(m)d).",
                            n=column.max_length, m=len(text)))
    return text.lower() if kind == "email" else text
