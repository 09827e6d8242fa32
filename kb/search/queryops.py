"""AND, OR and NOT as people type them, read the same way by search (kb.search.query.parse_user_query) and
the account list filter (kb.account_query) — one rule, one place (issue 7, session 10):

- `or`, `and`, `not` in lower (or mixed) case standing alone between two words are the operators
  (`华为 or 中兴` → `华为 OR 中兴`): in a Chinese query an English `or` is nearly always meant so, and
  an English `and` between words changes nothing (all words are required anyway). The message says so,
  and how to search for the word itself (quotes). A lower-case `not` before a Latin word stays a word
  ("Forget Me Not Florist"); an operator in capitals glued to a parenthesis is spaced (`NOT(苏州)`);
- a minus sign (or −) right before a word, a phrase or a parenthesis, after a space or at the start,
  leaves it out
  (`华为 -中兴` → `华为 NOT 中兴`, as most search engines read it); not inside a word (`SD-WAN`,
  `138-0013-8000`) and not before a digit (`-5` may be a number);
- AND / OR at the start, or AND / OR / NOT at the end, join nothing; doubled operators are read as one
  (kb.search.querytidy: `trim_operators`, `single_operators`) — with search's messages.

Each works outside double quotes only (quotes typed by input methods are ASCII by then: `ime_quotes`).
"""
from __future__ import annotations

import re

from flask_babel import gettext as _

from .querytidy import single_operators, trim_operators

#: A lower- or mixed-case operator word standing alone between two terms (not next to an operator, a
#: parenthesis that opens or closes nothing, or a field prefix's colon).
_SPELLED = re.compile(r"(?<=[^\s(:])(\s+)(or|and|not)(\s+)(?=[^\s)])", re.IGNORECASE)
_OPERATOR = re.compile(r"(?:AND|OR|NOT|ANDNOT|ANDMAYBE)")
#: A minus sign (also the typographic − U+2212) starting a word (after a space, `(` or the start) and
#: followed by a letter, a Chinese character, a quotation mark or a parenthesis: `-中兴`, `-huawei`,
#: `-"cloud migration"`, `-(苏州 OR 南京)`.
_MINUS = re.compile(r"(?:^|(?<=[\s(]))[-\u2212](?=[^\W\d_]|[\"(])")
#: An operator in capitals glued to a parenthesis (`ECMC NOT(苏州)`, `(ECMC OR SUT)NOT 苏州`, as typed with
#: an input method's （）): the parser only reads it as an operator with a space there.
_GLUED = re.compile(r"(?<=\))(?=(?:AND|OR|NOT)\b)|(?<=\b(?:AND|NOT))(?=\()|(?<=\bOR)(?=\()")


def _outside_quotes(text: str, pos: int) -> bool:
    return text.count('"', 0, pos) % 2 == 0


def _neighbours(text: str, start: int, end: int) -> tuple[str, str]:
    before = text[:start].split()
    after = text[end:].split()
    return (before[-1] if before else ""), (after[0] if after else "")


def spelled_operators(text: str) -> tuple[str, list[tuple[str, str]]]:
    """`text` with lower-case operators between two words and minus signs before a word written as the
    operators, and [(as typed, as read)] once each, in order: `华为 or 中兴` → (`华为 OR 中兴`,
    [("or", "OR")]); `华为 -中兴` → (`华为 NOT 中兴`, [("-中兴", "NOT 中兴")]); `SD-WAN`, `"a or b"`,
    `or 中兴`, `华为 or`, `OR or 云` are unchanged."""
    changes: list[tuple[str, str]] = []

    def spelled(m: re.Match[str]) -> str:
        word = m.group(2)
        before, after = _neighbours(text, m.start(2), m.end(2))
        if word.isupper() or not _outside_quotes(text, m.start()) or _OPERATOR.fullmatch(before) \
                or _OPERATOR.fullmatch(after.lstrip("(")):
            return m.group(0)
        if word.lower() == "not" and after[:1].isascii() and after[:1].isalpha():
            return m.group(0)  # "Forget Me Not Florist": before a Latin word, `not` is a word (NOT or -word)
        changes.append((word, word.upper()))
        return f"{m.group(1)}{word.upper()}{m.group(3)}"

    def minus(m: re.Match[str]) -> str:
        if not _outside_quotes(text, m.start()):
            return m.group(0)
        rest = text[m.end():]
        closing = (rest.find('"', 1) if rest.startswith('"')  # a phrase, or a group, whole
                   else rest.find(")") if rest.startswith("(") else -1)
        word = rest[:closing + 1] if closing > 0 else rest.split(maxsplit=1)[0] if rest.strip() else ""
        changes.append((f"-{word}", f"NOT {word}"))
        return "NOT "

    text = _GLUED.sub(" ", text)
    text = _SPELLED.sub(spelled, text)
    text = _MINUS.sub(minus, text)
    return text, list(dict.fromkeys(changes))


def spelled_notes(changes: list[tuple[str, str]]) -> list[str]:
    """The messages for `spelled_operators`' changes (translated)."""
    notes = []
    words = [(typed, read) for typed, read in changes if not typed.startswith("-")]
    minus = [(typed, read) for typed, read in changes if typed.startswith("-")]
    for typed, read in words:
        notes.append(_("%(typed)s between words was read as %(kept)s; to search for the word itself, put it "
                       "in quotes: \"%(typed)s\".", typed=typed, kept=read))
    if minus:
        notes.append(_("A minus sign before a word leaves out what has it: %(words)s.",
                       words=", ".join(read for _typed, read in minus)))
    return notes


def tidy_operators(text: str) -> tuple[str, list[str]]:
    """`text` without operators that join nothing and with doubled ones read as one (kb.search.querytidy),
    and the messages saying so (translated); a text of operators only is left as it is."""
    messages: list[str] = []
    text, removed = trim_operators(text)
    if removed:
        messages.append(_("%(words)s at the start or end of a search joins nothing, so it was left out.",
                          words=" ".join(removed)))
    text, doubled = single_operators(text)  # 华为 OR OR 云 → 华为 OR 云
    for typed, kept in doubled:
        messages.append(_("%(typed)s between words was read as %(kept)s.", typed=typed, kept=kept))
    return text, messages
