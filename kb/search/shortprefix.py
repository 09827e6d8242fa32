"""Prefixes too short to search (`E*`, `5*`, `S/*`: a `*` or `?` after fewer than MIN_LITERAL_PREFIX
letters would expand to most of the index), and what search and the account list filter say about them:
one sentence naming every such word (`E* M*` → "E*, M* each need at least two letters …"), whether they
were left out beside other words (kb.search.querytidy.short_glued_prefixes) or the query was refused.
"""
from __future__ import annotations

import re

from flask_babel import gettext as _

from .analysis import is_cjk

#: A prefix or wildcard needs this many letters before its first `*` or `?` (a Chinese character counts
#: twice): `*`, `**`, `?*` or `a*` would expand to most of the index and hold a worker for seconds.
MIN_LITERAL_PREFIX = 2


def literal_weight(text: str) -> int:
    """How specific the part of a pattern before its first wildcard is: its letters and digits (a CJK
    character counts 2; the account list filter's `*` uses the same rule, kb.account_keys)."""
    head = re.split(r"[*?]", text, maxsplit=1)[0]  # (a mark counts nothing: `s/*` is one letter, as `s*`)
    return sum(2 if is_cjk(ch) else 1 if ch.isalnum() else 0 for ch in head)


def left_out_message(short: list[str]) -> str | None:
    """The message saying the one-character prefixes `short` (querytidy.short_glued_prefixes: `E*` of
    `华东移动 E*`) were left out of the search (translated), or None when there are none; the account list
    filter says the same (kb.account_keys.query_notice)."""
    if not short:
        return None
    parts, digits = ", ".join(short), any(p[0].isdigit() for p in short)
    if len(short) > 1 and not digits:  # 华东 E* M*: one sentence naming them all
        return _("%(parts)s were left out of the search: a prefix needs at least two letters (or one Chinese "
                 "character) before * or ?.", parts=parts)
    if len(short) > 1:
        return _("%(parts)s were left out of the search: a prefix needs at least two letters or digits (or one "
                 "Chinese character) before * or ?.", parts=parts)
    if not digits:  # 华东移动E*: the Chinese part is searched (querytidy)
        return _("%(parts)s was left out of the search: a prefix needs at least two letters (or one "
                 "Chinese character) before * or ?.", parts=parts)
    return _("%(parts)s was left out of the search: a prefix needs at least two letters or "  # 同城5*, Wi-Fi 6*
             "digits (or one Chinese character) before * or ?.", parts=parts)


#: A word with a wildcard, as typed (with its field prefix, without the parentheses around it).
_WILDCARD_WORD = re.compile(r'[^\s()"]*[*?][^\s()"]*')


def too_short_prefixes(text: str) -> list[str]:
    """The words of `text` (as typed, after NFKC; outside quotes) with a `*` or `?` after fewer than
    MIN_LITERAL_PREFIX letters (`literal_weight`; a field prefix does not count: `title:e*`), in order,
    once each: `E* M*` → [E*, M*]; `华东 y*`, `S/*` → [y*], [S/*]."""
    words = [m.group() for part in text.split('"')[::2] for m in _WILDCARD_WORD.finditer(part)]
    return list(dict.fromkeys(w for w in words if literal_weight(w.rsplit(":", 1)[-1]) < MIN_LITERAL_PREFIX))


def too_short_message(parts: list[str], *, list_filter: bool = False) -> str:
    """One sentence naming the too-short prefixes `parts` (`too_short_prefixes`, two or more) of a query
    refused as too broad (translated): `E* M*` → "This search is too broad: E*, M* each need at least two
    letters …"; with `list_filter`, the account list filter's wording (it has `*` only, no dates)."""
    named, digits = ", ".join(parts), any(ch.isdigit() for p in parts for ch in re.split(r"[*?]", p)[0])
    if list_filter and digits:
        return _("This filter is too broad: %(parts)s each need at least two letters or digits (or one Chinese "
                 "character) before *.", parts=named)
    if list_filter:
        return _("This filter is too broad: %(parts)s each need at least two letters (or one Chinese "
                 "character) before *.", parts=named)
    if digits:
        return _("This search is too broad: %(parts)s each need at least two letters or digits (or one Chinese "
                 "character) before * or ?.", parts=named)
    return _("This search is too broad: %(parts)s each need at least two letters (or one Chinese character) "
             "before * or ?.", parts=named)
