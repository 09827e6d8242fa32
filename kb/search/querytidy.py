"""Odd queries made to mean what their writer meant, with a message (issue 7 of session 8, tester's
defects 3 and 4), before the query is parsed (kb.search.query.parse_user_query):

- field names in any case: `TITLE:战略`, `Type:account` work as `title:`, `type:` (`fold_fields`);
- a word before `:` that is no field (`name:韩立群`, `ECMC:Suzhou`): the words after it are searched as
  text and the word itself is not required, only counted when present (`(韩立群 ANDMAYBE name)`);
- a list after a single-valued field (`type:account,plan`, also `account, plan`, `account;plan`,
  `account,,plan`, ，、；) is alternatives (`expand_lists`);
- AND / OR at the start, or AND / OR / NOT at the end, join nothing: left out (`trim_operators`);
- operators doubled between words (`华为 OR OR 云`, `AND OR`, `NOT NOT`) are read as one
  (`single_operators`): OR where an OR is among them, else AND, and NOT kept once;
- unpaired parentheses are paired (`balance_parentheses`): `(华为 OR 中兴` closed at the end, `华为)`
  without its `)`, an empty `()` left out (so `title:(` is a prefix with nothing after it).

- one letter or digit typed with a wildcard right after Chinese (`华东移动E*`, `同城5*`): too short a
  prefix to search (query.MIN_LITERAL_PREFIX), it is left out and the Chinese part searched, with a
  message (`short_glued_prefixes`).

Each works outside double quotes only. `HELP_FIELDS` is the one list of fields the search page's help box
and the unknown-field message name.
"""
from __future__ import annotations

import re

from .querynotes import KNOWN_FIELDS, SINGLE_VALUED

#: The fields the help box and the messages name (others in KNOWN_FIELDS are accepted aliases).
HELP_FIELDS = ("title", "text", "type", "industry", "region")
#: `name:` before a word, a group or a phrase (not `http://`, not `10:30`).
_PREFIX = re.compile(r"(?:^|(?<=[\s(]))([^\W\d_]\w*):(?=[^\s:/])")
#: Separators of a value list: , ， 、 ; ； (doubled, or with spaces after them, too).
_SEPARATORS = ",;\uff0c\u3001\uff1b"
_LIST = re.compile(r"(?i)(?:^|(?<=[\s(]))(" + "|".join((*SINGLE_VALUED, "kind")) +
                   rf")[:\uff1a]([^\s{_SEPARATORS}()\"]+(?:\s*[{_SEPARATORS}]+\s*[^\s{_SEPARATORS}()\"]+)+)")
#: Two or more operators in a row, standing alone (`OR OR`, `AND OR`, `NOT NOT`).
_DOUBLED = re.compile(r"(?<![^\s(])(?:AND|OR|NOT)(?:\s+(?:AND|OR|NOT))+(?![^\s)])")
_LEADING = re.compile(r"^(?:(?:AND|OR|ANDNOT|ANDMAYBE)\s+)+")
_TRAILING = re.compile(r"(?:\s+(?:AND|OR|NOT|ANDNOT|ANDMAYBE))+$")
_EMPTY_GROUP = re.compile(r"\(\s*\)")
#: Where an operator may stand: the capitals every operator word holds (AND, OR, NOT, ANDNOT, ANDMAYBE).
_OPERATOR_PART = re.compile(r"AND|OR|NOT")


def has_operator(text: str) -> bool:
    """Whether `text` may hold an operator word (it holds AND, OR or NOT in capitals somewhere): a cheap
    test that lets the usual query of lower-case or Chinese words skip the operator steps."""
    return _OPERATOR_PART.search(text) is not None


def fields_listed() -> str:
    """`title:, text:, type:, industry:, region:` (HELP_FIELDS), for the help box and the messages."""
    return ", ".join(f"{name}:" for name in HELP_FIELDS)


def _outside_quotes(text: str, pos: int) -> bool:
    return text.count('"', 0, pos) % 2 == 0


def expand_lists(text: str) -> str:
    """`type:account,plan` → `(type:account OR type:plan)` (also with ，、;； or doubled separators or a
    space after one: `account, plan`, `account,,plan`; and for industry:, region:, kind:); run on what
    was typed, before commas become spaces."""
    if ":" not in text and "\uff1a" not in text:  # (no field prefix: nothing to expand; skipped for speed)
        return text

    def one(m: re.Match[str]) -> str:
        if not _outside_quotes(text, m.start()):
            return m.group(0)
        name = m.group(1).lower()
        values = [v.strip() for v in re.split(rf"[{_SEPARATORS}]", m.group(2)) if v.strip()]
        return "(" + " OR ".join(f"{name}:{v}" for v in values) + ")"
    return _LIST.sub(one, text)


def _operand_end(text: str, start: int) -> int:
    """Where the operand of a field prefix that starts at `start` ends: a (group), a "phrase" or a word."""
    if text.startswith("(", start):
        depth = 0
        for i in range(start, len(text)):
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            if depth == 0:
                return i + 1
        return len(text)
    if text.startswith('"', start):
        close = text.find('"', start + 1)
        return len(text) if close < 0 else close + 1
    m = re.compile(r"[^\s()]+").match(text, start)
    return m.end() if m else start


def fold_fields(text: str) -> tuple[str, list[str]]:
    """`text` with known field names in lower case (`TITLE:` → `title:`, and `type:` values too) and
    each unknown `name:operand` as `(operand ANDMAYBE name)`; and the unknown names, once each, in order."""
    if ":" not in text:  # (no prefix at all: the usual query, answered without the scan)
        return text, []
    unknown: list[str] = []
    out, pos = [], 0
    for m in _PREFIX.finditer(text):
        if m.start() < pos or not _outside_quotes(text, m.start()):
            continue
        name, end = m.group(1), _operand_end(text, m.end())
        operand = text[m.end():end]
        out.append(text[pos:m.start()])
        if name.lower() in KNOWN_FIELDS:
            lowered = name.lower()
            out.append(f"{lowered}:{operand.lower() if lowered in ('type', 'kind') else operand}")
        else:
            unknown.append(name)
            out.append(f"({operand} ANDMAYBE {name})" if operand.strip('"()') else operand)
        pos = end
    out.append(text[pos:])
    return "".join(out), list(dict.fromkeys(unknown))


def trim_operators(text: str) -> tuple[str, list[str]]:
    """`text` without AND/OR at its start and AND/OR/NOT at its end (they join nothing), and those words.
    (`NOT 华为` at the start is kept: everything but 华为.)"""
    if not has_operator(text):
        return text.strip(), []
    removed: list[str] = []
    lead = _LEADING.match(text)
    if lead and lead.end() < len(text):
        removed += lead.group(0).split()
        text = text[lead.end():]
    trail = _TRAILING.search(text)
    if trail and trail.start() > 0 and _outside_quotes(text, trail.start()):
        removed += trail.group(0).split()
        text = text[:trail.start()]
    return text.strip(), list(dict.fromkeys(removed))


def single_operators(text: str) -> tuple[str, list[tuple[str, str]]]:
    """`text` (outside quotes) with operators doubled between words read as one, and [(as typed, as
    kept)]: `OR OR` → `OR`; `AND OR` / `OR AND` → `OR` (an OR among them wins: the wider search);
    `NOT NOT` → `NOT`; `AND NOT` / `OR NOT` stay (they are one operator each and a NOT)."""
    if not has_operator(text):
        return text, []
    changes: list[tuple[str, str]] = []

    def one(m: re.Match[str]) -> str:
        words = m.group(0).split()
        if len(words) == 2 and words[0] in ("AND", "OR") and words[1] == "NOT":
            return m.group(0)
        joins = [w for w in words if w != "NOT"]
        kept = " ".join(filter(None, ("OR" if "OR" in joins else "AND" if joins else "",
                                      "NOT" if "NOT" in words else "")))
        changes.append((" ".join(words), kept))
        return kept

    parts = text.split('"')
    for i in range(0, len(parts), 2):
        parts[i] = _DOUBLED.sub(one, parts[i])
    return '"'.join(parts), list(dict.fromkeys(changes))


def balance_parentheses(text: str) -> tuple[str, bool]:
    """`text` with unpaired parentheses (outside quotes) paired: an unopened `)` left out, an unclosed `(`
    closed at the end, and empty `()` left out; and whether anything changed."""
    if "(" not in text and ")" not in text:  # (the usual query: no character-by-character walk)
        return text.strip(), False
    parts = text.split('"')
    depth = 0
    for i in range(0, len(parts), 2):
        kept = []
        for ch in parts[i]:
            if ch == ")" and depth == 0:
                continue
            depth += {"(": 1, ")": -1}.get(ch, 0)
            kept.append(ch)
        parts[i] = "".join(kept)
    fixed = '"'.join(parts) + ")" * depth
    while _EMPTY_GROUP.search(fixed):
        fixed = _EMPTY_GROUP.sub("", fixed)
    return fixed.strip(), fixed.strip() != text.strip()


#: One Latin letter or digit (with a joining mark: `S/*`, `O'*`) and `*` or `?`, right after a Chinese
#: character or a space, standing at the end of a word.
_SHORT_GLUED_PREFIX = re.compile(r"(?:(?<=[\u3400-\u9fff\uf900-\ufaff])|(?<=\s))"
                                 r"[A-Za-z0-9][/'.\-]?[*?]+(?![^\s)])")
_OPERATOR_WORDS = frozenset(("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"))


def _between_words(text: str, start: int, end: int) -> bool:
    """Whether the prefix at text[start:end], typed after a space, stands between plain words: the word
    before it is no operator or `(`/field, and the word after it (if any) is no operator (`战略 OR s*` and
    `NOT x*` keep their meaning: refused as too broad)."""
    before, after = text[:start].split(), text[end:].split()
    if not before or before[-1] in _OPERATOR_WORDS or before[-1].endswith(("(", ":")):
        return False
    return not after or after[0] not in _OPERATOR_WORDS


def short_glued_prefixes(text: str) -> tuple[str, list[str]]:
    """`text` (NFKC) without a one-character Latin or digit prefix typed right after Chinese (`华东移动E*` →
    `华东移动`) or after a word and a space (`华东移动 E*`, `Wi-Fi 6*` → `Wi-Fi`), and those prefixes as typed
    (`E*`): one letter before `*` would expand to most of the index (query.MIN_LITERAL_PREFIX), so the rest
    is searched on its own and a message says why. A prefix next to an operator, or alone, is left for the
    parser (refused as too broad)."""
    if "*" not in text and "?" not in text:  # (no wildcard, no prefix: the usual query, unscanned)
        return text, []
    removed: list[str] = []

    def one(m: re.Match[str]) -> str:
        if not _outside_quotes(text, m.start()):
            return m.group(0)
        if text[m.start() - 1].isspace() and not _between_words(text, m.start(), m.end()):
            return m.group(0)
        removed.append(m.group(0))
        return ""

    return _SHORT_GLUED_PREFIX.sub(one, text), list(dict.fromkeys(removed))


#: A pasted address (`https://…`, `www.…`) or a word with a query string (`p?id=7`, `a=1&b=2`): its `?`
#: is a character of the address, not a wildcard. (`abc?` and `ab?d` stay wildcards.)
_URL_WORD = re.compile(r'(?<![^\s(])(?:[A-Za-z][\w+.-]*://|www\.)[^\s"()]+'
                       r'|(?<![^\s(])[^\s"()]*\?[^\s"()]*[=&][^\s"()]*')


def quote_addresses(text: str) -> str:
    """`text` with each pasted address or query string outside quotes (`https://a.org/p?x=1`,
    `p?id=7&lang=zh`) as a quoted phrase, so its `?`, `&` and `=` are read as the characters they are and
    the address is found as the text holds it (the same analyser splits both); bounded: one pass."""
    if "?" not in text and "&" not in text and "=" not in text:  # (only a word with these is quoted)
        return text

    def one(m: re.Match[str]) -> str:
        word = m.group(0)
        if not _outside_quotes(text, m.start()) or not any(c in word for c in "?&="):
            return word
        return f'"{word}"'
    return _URL_WORD.sub(one, text)
