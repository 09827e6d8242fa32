"""Server-rendered SVG bar charts of the four watches (pipeline by stage; target vs won vs pipeline per
account). No script, no inline style (the CSP forbids both): bars carry classes `chart-s0`, `chart-s1`,
`chart-s2` coloured by static/css/watches.css. Every text is XML-escaped. Each chart is for ONE currency:
amounts in different currencies are never drawn on one scale. Pages show a table beside each chart.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

ROW_HEIGHT = 22
BAR_GAP = 2
LABEL_WIDTH = 180
BAR_WIDTH = 360
VALUE_WIDTH = 120
#: At most this many rows are drawn (the table beside the chart has them all).
MAX_ROWS = 30
LABEL_CHARS = 16


@dataclass(frozen=True)
class Series:
    """One kind of bar (e.g. "won"): its translated name; its index picks its colour class."""

    name: str


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[:LABEL_CHARS - 1] + "…"


def amount_text(value: Decimal) -> str:
    """An amount as charts and tables show it: thousands separated, no decimals (1,234,568)."""
    return f"{value.quantize(Decimal('1')):,}"


def bar_chart(*, title: str, currency: str, series: list[Series],
              rows: list[tuple[str, list[Decimal | None]]]) -> Markup:
    """A horizontal grouped bar chart as an inline <svg> (role="img", its title as accessible name).

    `rows`: (label, one value per series; None = no bar); values share one scale (one currency). At most
    MAX_ROWS rows are drawn. Returns Markup built only from escaped text and numbers.
    """
    rows = rows[:MAX_ROWS]
    top = max([v for _label, values in rows for v in values if v is not None] + [Decimal("0")])
    group_height = ROW_HEIGHT * len(series) + 8
    legend_height = 24
    height = legend_height + max(len(rows), 1) * group_height + 10
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    label = f"{title} ({currency})"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
             f'viewBox="0 0 {width} {height}"'
             f' width="{width}" height="{height}" aria-label={quoteattr(label)}>',
             f"<title>{escape(label)}</title>"]
    for i, s in enumerate(series):
        x = LABEL_WIDTH + i * 120
        parts.append(f'<rect class="chart-s{i}" x="{x}" y="4" width="12" height="12"/>'
                     f'<text class="chart-legend" x="{x + 16}" y="14">{escape(s.name)}</text>')
    for r, (row_label, values) in enumerate(rows):
        y0 = legend_height + r * group_height
        parts.append(f'<text class="chart-label" x="{LABEL_WIDTH - 6}" y="{y0 + group_height // 2}" '
                     f'text-anchor="end"><title>{escape(row_label)}</title>'
                     f'{escape(_short(row_label))}</text>')
        for i, value in enumerate(values):
            if value is None:
                continue
            y = y0 + i * ROW_HEIGHT
            w = 0 if top <= 0 else round(float(value / top) * BAR_WIDTH, 1)
            parts.append(f'<rect class="chart-s{i}" x="{LABEL_WIDTH}" y="{y}" width="{w}" '
                         f'height="{ROW_HEIGHT - BAR_GAP}"><title>{escape(series[i].name)}: '
                         f'{amount_text(value)}</title></rect>'
                         f'<text class="chart-value" x="{LABEL_WIDTH + w + 4}" y="{y + ROW_HEIGHT - 8}">'
                         f'{amount_text(value)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 — every piece above is escaped text or a number
