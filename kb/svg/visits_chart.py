"""Visits per month per account over the last 12 months, as a small server-rendered SVG (issue 8 §3).

A grid: one row per account, one column per month; each cell's shade grows with the number of visits and
the number is written in the cell, so the chart reads without colour and in black-and-white print. CSP-safe
(presentation attributes only), escaped text, <title>/<desc> for screen readers; the page shows the same
figures as a table too.
"""
from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup, escape

from . import truncate

#: Accounts drawn at most (the busiest first); the page's table lists them all.
MAX_ROWS = 15
CELL_W, CELL_H, LABEL_W, HEAD_H, PAD, FONT = 34, 22, 150, 30, 6, 11
#: Cell shades, light to dark; numbers are dark on the first three, white on the last two (contrast ≥ 4.5).
SHADES = ("#ffffff", "#dbeafe", "#93c5fd", "#1d4ed8", "#1e3a8a")


def _shade(n: int, peak: int) -> str:
    if n <= 0:
        return SHADES[0]
    return SHADES[min(len(SHADES) - 1, 1 + (n - 1) * (len(SHADES) - 1) // max(1, peak))]


def render(*, rows: list[tuple[str, list[int]]], months: list[date], id_prefix: str = "vc") -> Markup:
    """The chart as an <svg> element. `rows`: (account name, visits per month aligned with `months`), drawn
    busiest first, at most MAX_ROWS; `months`: first days of the months, oldest first."""
    shown = sorted(rows, key=lambda r: -sum(r[1]))[:MAX_ROWS]
    peak = max((n for _name, counts in shown for n in counts), default=0)
    width = PAD * 2 + LABEL_W + CELL_W * len(months)
    height = PAD * 2 + HEAD_H + CELL_H * max(1, len(shown))
    title = _("Visits per month, last 12 months")
    desc = _("One row per account, one column per month; the number in each cell is the visits that month.")
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="visits-chart-svg" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" '
           f'aria-labelledby="{id_prefix}-title {id_prefix}-desc" '
           f'font-family="sans-serif" font-size="{FONT}">',
           f'<title id="{id_prefix}-title">{escape(title)}</title>',
           f'<desc id="{id_prefix}-desc">{escape(desc)}</desc>']
    for i, month in enumerate(months):
        x = PAD + LABEL_W + i * CELL_W + CELL_W / 2
        label = format_date(month, "M") if i and month.month != 1 else format_date(month, "yy/M")
        out.append(f'<text x="{x:.0f}" y="{PAD + HEAD_H - 8}" text-anchor="middle" fill="#344054">'
                   f'{escape(label)}</text>')
    if not shown:
        out.append(f'<text x="{PAD}" y="{PAD + HEAD_H + 15}" fill="#667085">'
                   f'{escape(_("No visits yet."))}</text>')
    for r, (name, counts) in enumerate(shown):
        y = PAD + HEAD_H + r * CELL_H
        out.append(f'<text x="{PAD}" y="{y + CELL_H - 7}" class="account" fill="#101828">'
                   f'{escape(truncate(name, LABEL_W - 8, FONT))}</text>')
        for i, n in enumerate(counts):
            x = PAD + LABEL_W + i * CELL_W
            out.append(f'<rect x="{x}" y="{y}" width="{CELL_W - 2}" height="{CELL_H - 2}" '
                       f'fill="{_shade(n, peak)}" stroke="#d0d5dd" stroke-width="1"/>')
            if n:
                dark = _shade(n, peak) in SHADES[3:]
                out.append(f'<text x="{x + (CELL_W - 2) / 2:.0f}" y="{y + CELL_H - 7}" text-anchor="middle" '
                           f'class="n" fill="{"#ffffff" if dark else "#101828"}">{n}</text>')
    out.append("</svg>")
    return Markup("".join(out))
