"""Snippets: the part of a document around the matched words, as (text, matched) segments.

Matching is done with the index's own analyzer, so stems and Chinese bigrams are marked exactly where the
query matched. Segments are plain text: the page escapes them and wraps matches in <mark>; the API joins
them with «» around matches (`marked_text`).

Work is linear in the text and capped: at most MAX_SCAN characters of a document and MAX_MATCHES matches
are looked at, and the densest window is found in one pass (it was quadratic in the number of matches:
four visits of "客户 " × 6,666 made every search for 客户 take seconds). The Markdown patterns cannot
backtrack across the text either.
"""
from __future__ import annotations

import re

from itertools import islice

from whoosh import query as wq

from ..textnorm import normalize_with_offsets
from .analysis import MixedTokenizer, is_cjk

SNIPPET_WIDTH = 160
#: Characters of a document a snippet looks at (a match further on is not highlighted).
MAX_SCAN = 20_000
#: Matches a snippet looks at: a window of SNIPPET_WIDTH characters shows far fewer.
MAX_MATCHES = 500
_SPACES = re.compile(r"\s+")
#: Markdown syntax that means nothing in a one-line plain-text snippet: links keep their text.
_MARKDOWN = [
    (re.compile(r"!?\[([^\[\]\n]{0,300})\]\([^)\n]{0,300}\)"), r"\1"),
    (re.compile(r"(\*\*|__|~~|`)"), ""),
    (re.compile(r"(^|\n)[ \t]*(#{1,6}|[-*+>]|\d{1,9}[.)])\s+"), r"\1"),
]


def plain_text(text: str) -> str:
    """`text` without Markdown markup, on one line."""
    for pattern, replacement in _MARKDOWN:
        text = pattern.sub(replacement, text)
    return _SPACES.sub(" ", text).strip()
_analyzer = MixedTokenizer()
Segments = list[tuple[str, bool]]


def query_needles(q: wq.Query, fields: tuple[str, ...] = ("title", "body", "chars")
                  ) -> tuple[set[str], set[str]]:
    """The (terms, prefixes) a query looks for in `fields`, leaving out negated parts. (A term of one
    Chinese character is matched inside the bigrams.)"""
    terms: set[str] = set()
    prefixes: set[str] = set()

    def walk(node: wq.Query) -> None:
        if isinstance(node, wq.Not):
            return
        if isinstance(node, wq.AndNot):
            walk(node.a)
            return
        if isinstance(node, wq.Prefix) and node.fieldname in fields:
            prefixes.add(node.text)
        elif isinstance(node, wq.Term) and node.fieldname in fields and isinstance(node.text, str):
            terms.add(node.text)
        elif isinstance(node, wq.Phrase) and node.fieldname in fields:
            terms.update(node.words)
        for child in node.children():
            walk(child)

    walk(q)
    return terms, prefixes


def _matches(text: str, terms: set[str], prefixes: set[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    chars = [t for t in terms if len(t) == 1 and is_cjk(t)]
    if chars:  # looked for in the normalised text (湾 marks 灣), marked in the original
        normal, offsets = normalize_with_offsets(text)
        for char in chars:
            for m in islice(re.finditer(re.escape(char), normal), MAX_MATCHES):
                at = m.start() if offsets is None else offsets[m.start()]
                spans.append((at, at + 1))
    found = 0
    for token in _analyzer(text, chars=True, mode="index"):
        t = token.text
        if t in terms or any(t.startswith(p) for p in prefixes):
            spans.append((token.startchar, token.endchar))
            found += 1
            if found >= MAX_MATCHES:
                break
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _window(spans: list[tuple[int, int]], length: int, width: int) -> tuple[int, int]:
    if not spans:
        return 0, min(length, width)
    # Spans are sorted and disjoint: the ones starting in [start, start + width) are spans[i:j], and j
    # only moves forward, so this is one pass.
    best, best_count, j = spans[0][0], 0, 0
    for i, (start, _end) in enumerate(spans):
        j = max(j, i)
        while j < len(spans) and spans[j][0] < start + width:
            j += 1
        if j - i > best_count:
            best, best_count = start, j - i
    begin = max(0, min(best - width // 5, length - width))
    return begin, min(length, begin + width)


def make_snippet(text: str, terms: set[str], prefixes: set[str], width: int = SNIPPET_WIDTH) -> Segments:
    """Up to `width` characters of `text` around the most matches, as (text, matched) segments."""
    text = text or ""
    cut = len(text) > MAX_SCAN
    text = plain_text(text[:MAX_SCAN])
    spans = _matches(text, terms, prefixes)
    begin, end = _window(spans, len(text), width)
    segments: Segments = []
    if begin > 0:
        segments.append(("…", False))
    cursor = begin
    for start, stop in spans:
        if stop <= begin or start >= end:
            continue
        start, stop = max(start, begin), min(stop, end)
        if start > cursor:
            segments.append((text[cursor:start], False))
        segments.append((text[start:stop], True))
        cursor = stop
    if cursor < end:
        segments.append((text[cursor:end], False))
    if end < len(text) or cut:
        segments.append(("…", False))
    return segments


def marked_text(segments: Segments, before: str = "«", after: str = "»") -> str:
    """Plain text with matched words between `before` and `after` (the API's snippet format)."""
    return "".join(f"{before}{text}{after}" if matched else text for text, matched in segments)
