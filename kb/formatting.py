"""Numbers as a Chinese finance reader expects them on pages (template filters `money`, `number`,
`percent`): thousands separated, two decimals for amounts, the record's currency (or unit) after the figure,
a percent sign on percentages, and "—" for a value not known. One place for every LTC and watches page.
"""
from __future__ import annotations

from decimal import Decimal

from flask import Flask

EMPTY = "—"


def money(value: Decimal | int | float | None, currency: str = "") -> str:
    """An amount: ``1,250,000.00 CNY`` (two decimals, thousands separated, the record's currency code);
    ``—`` when None."""
    if value is None:
        return EMPTY
    text = f"{Decimal(str(value)):,.2f}"
    return f"{text} {currency}" if currency else text


def number(value: Decimal | int | float | None, unit: str = "") -> str:
    """A figure in a unit (a plan target: ``5,000 万元``, ``35%``): thousands separated, decimals only when
    it has some (at most two); in a currency code (``CNY``) as `money`; ``—`` when None."""
    if value is None:
        return EMPTY
    if len(unit) == 3 and unit.isascii() and unit.isalpha() and unit.isupper():
        return money(value, unit)  # a currency code (revenue, orders): an amount
    figure = Decimal(str(value))
    text = f"{figure:,.0f}" if figure == figure.to_integral_value() else f"{figure.quantize(Decimal('0.01')):,}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def percent(value: Decimal | int | float | None) -> str:
    """A percentage given as 0–100 (a win probability): ``60%``; ``—`` when None."""
    if value is None:
        return EMPTY
    return f"{Decimal(str(value)).quantize(Decimal('1')):,}%"


def init_app(app: Flask) -> None:
    """Register the filters."""
    app.add_template_filter(money, "money")
    app.add_template_filter(number, "number")
    app.add_template_filter(percent, "percent")
