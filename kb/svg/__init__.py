"""Server-rendered SVG pictures (decision chain, visit chart): no script, no CDN, CSP-safe, printable.

Only presentation attributes and classes are used (the CSP forbids style attributes); every text is escaped
with markupsafe. Text widths are estimated (CJK characters one em, others about 0.6 em) so long names are
cut with "…" inside their box rather than overflowing it.
"""
from __future__ import annotations

import unicodedata


def text_width(text: str, font_size: float) -> int:
    """Estimated width in px of `text` at `font_size` (wide East Asian characters count one em)."""
    em = sum(1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.6 for ch in text)
    return int(em * font_size + 0.5)


def truncate(text: str, max_px: float, font_size: float) -> str:
    """`text` cut with "…" so its estimated width fits `max_px`."""
    if text_width(text, font_size) <= max_px:
        return text
    out = ""
    for ch in text:
        if text_width(out + ch + "…", font_size) > max_px:
            break
        out += ch
    return out + "…"
