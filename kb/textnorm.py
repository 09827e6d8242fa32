"""Text normalisation shared by search, filters and duplicate detection.

MINIMAL placeholder (h/searchquality): NFKC + Unicode case folding only. The full version (traditional →
simplified Chinese, name separators) comes from h/searchnorm and replaces this file at merge.
"""
from __future__ import annotations

import unicodedata


def normalize(text: str) -> str:
    """`text` in NFKC (full-width and compatibility forms folded) and Unicode case-folded."""
    return unicodedata.normalize("NFKC", text or "").casefold()
