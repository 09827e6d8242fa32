"""Did-you-mean (issue 7 §4): a corrected query for English or pinyin words the reader's documents do not
hold.

The rule (when a suggestion is offered, tests/test_search_suggestions.py):
- only when the query found fewer than `SUGGEST_BELOW` documents the reader may see, and the corrected query
  finds MORE of them than the typed one (with nothing found, at least one) — never a worse query;
- only a word that may be a misspelling is looked at (`may_be_misspelt`): a word of at least
  `MIN_WORD_LETTERS` letters that is neither an English stop word (`the`, `with`, kb.search's STOP_WORDS)
  nor a query keyword in any case (`not`, `and`, `or`, `near`, `to`…): `not`, `the`, `and` typed alone
  are what the user meant, and a word of three letters has too many neighbours one edit away (`not` →
  `net`) for a guess to be plausible; a stop word is never offered as a correction either;
- only a word that, searched alone the way the search itself parses it, finds nothing the reader may see is
  replaced: a word matching as pinyin, pinyin initials, a prefix, a traditional/simplified form… counts as
  matched and is kept (so `zzq`, `yidong`, `hlh` that found their record are never "corrected");
- a candidate is an English word of the text (the `spell` field) or, for a word of letters of at least
  `MIN_PINYIN_TYPO` letters with no such candidate, a pinyin form of a name made of whole syllables
  (`yinhnag` → `yinhang`, `zhongguoyidog` → `zhongguoyidong`; not initials: `zzq` gets nothing);
- a candidate is at most `max_distance` edits away (1 for words of up to 5 letters, 2 for longer ones) and
  occurs in a document the reader may see (the same access Scope as the search); a word joined to others by
  `.`, `@`, `_` or `-` (e.g. an e-mail name `zhou.jiangou`) is only corrected when the whole corrected
  token occurs in a document the reader may see, so a token only a hidden document holds is never offered.

Bounded work: at most `SUGGEST_WORDS` tokens are looked at (and `SUGGEST_WORDS` words in each),
`SUGGEST_CANDIDATES` candidates each, every look-up a scoped count with limit 1 (`MAX_LOOKUPS` in all).
"""
from __future__ import annotations

import re

from whoosh import query as wq
from whoosh.analysis import STOP_WORDS as _WHOOSH_STOP_WORDS
from whoosh.searching import Searcher

from .pinyin import is_pinyin
from .query import parse_user_query
from .searching import Scope, run_scoped

#: A word or a token of words joined by . @ _ - (not a field name `title:` nor a field value `type:plan`).
_TOKEN = re.compile(r"(?<![\w:.@-])[A-Za-z0-9]+(?:[.@_-][A-Za-z0-9]+)*(?![\w:@-]|\.\w)")
_ENGLISH = re.compile(r"(?<![A-Za-z])[A-Za-z]+(?![A-Za-z])")
_OPERATOR_WORDS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}
#: Words that look like query syntax in any case (the operators, and NEAR, which people try): never corrected.
QUERY_KEYWORDS = frozenset(w.lower() for w in _OPERATOR_WORDS) | {"near"}
#: English stop words (Whoosh's list): what the user meant when typed, and no correction worth offering.
STOP_WORDS = frozenset(_WHOOSH_STOP_WORDS)
#: A word of fewer letters is never corrected: one edit away from a three-letter word lie dozens of words
#: (`not` → `net`, `nut`, `hot`), so a guess is not plausible.
MIN_WORD_LETTERS = 4

#: A suggestion is only looked for when the query found fewer documents than this (for the reader).
SUGGEST_BELOW = 3
#: How many spelling candidates of one word are tried against what the reader may see.
SUGGEST_CANDIDATES = 5
#: How many words of one query are looked at (bounded work whatever the query).
SUGGEST_WORDS = 6
#: A word is offered a name's pinyin form (`_pinyin_candidate`) from this many letters: shorter ones are
#: mostly initials (`zzq`), whose near forms are other names, not what was meant.
MIN_PINYIN_TYPO = 6
#: The most scoped look-ups one suggestion costs: per token 1 + per word (1 + candidates of the English
#: words and of the pinyin forms), + the token, + 1.
MAX_LOOKUPS = SUGGEST_WORDS * (2 + SUGGEST_WORDS * (1 + 2 * SUGGEST_CANDIDATES)) + 1


def may_be_misspelt(word: str) -> bool:
    """Whether `word` (letters) is looked at for a correction: at least MIN_WORD_LETTERS letters, and not a
    stop word or a query keyword in any case (`not`, `the`, `and`, `NEAR`: False; `stratgy`: True)."""
    lower = word.lower()
    return len(word) >= MIN_WORD_LETTERS and lower not in STOP_WORDS and lower not in QUERY_KEYWORDS


def max_distance(word: str) -> int:
    """How many edits a correction of `word` may be away: 1 up to 5 letters, else 2."""
    return 1 if len(word) <= 5 else 2


def suggest(searcher: Searcher, text: str, scope: Scope, *, found: int = 0) -> str | None:
    """A corrected query for `text` (the parsed query text), or None when none would help.

    `found` is how many documents `text` found for the reader (within `scope`). See the module docstring
    for the rule. Every check runs within `scope`, so nothing only a hidden document holds is offered."""
    if found >= SUGGEST_BELOW:
        return None
    corrected, changed, looked = text, False, 0
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        words = [w for w in _ENGLISH.findall(token) if may_be_misspelt(w)][:SUGGEST_WORDS]
        if not words or token in _OPERATOR_WORDS:
            continue
        looked += 1
        if looked > SUGGEST_WORDS:
            break
        if _matches(searcher, token, scope):
            continue
        fixed = _corrected_token(searcher, token, words, scope)
        if fixed and fixed != token:
            corrected = re.sub(rf"(?<![\w:.@-]){re.escape(token)}(?![\w:@-]|\.\w)", fixed, corrected, count=1)
            changed = True
    if not changed:
        return None
    parsed = parse_user_query(corrected)
    if parsed.query is None:
        return None
    return corrected if _count(searcher, parsed.query, scope) > found else None


def _count(searcher: Searcher, q: wq.Query, scope: Scope) -> int:
    return run_scoped(searcher, q, scope, limit=1)[1]


def _matches(searcher: Searcher, word: str, scope: Scope) -> bool:
    """Whether `word`, searched alone as the search parses it (pinyin, initials, prefixes, variants),
    finds something the reader may see. A word the parser refuses counts as matched (left alone)."""
    parsed = parse_user_query(word)
    return parsed.query is None or _count(searcher, parsed.query, scope) > 0


def _corrected_token(searcher: Searcher, token: str, words: list[str], scope: Scope) -> str | None:
    """`token` with its unmatched words replaced by the closest spelling the reader may see (None: none).
    A joined token (`zhou.jiangou`) must occur whole, corrected, in a document within `scope`."""
    fixed = token
    for word in words:
        if token != word and _matches(searcher, word, scope):
            continue
        candidate = _visible_candidate(searcher, word.lower(), scope)
        if candidate:
            fixed = re.sub(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", candidate, fixed, count=1)
    if fixed == token:
        return None
    if token != words[0]:
        whole = fixed.lower()
        if not _count(searcher, wq.Or([wq.Term("body", whole), wq.Term("title", whole)]), scope):
            return None
    return fixed


def _visible_candidate(searcher: Searcher, word: str, scope: Scope) -> str | None:
    """The closest spelling of `word` found in a document within `scope` (None: none)."""
    for candidate in searcher.suggest("spell", word, limit=SUGGEST_CANDIDATES, maxdist=max_distance(word),
                                      prefix=1):
        if candidate != word and candidate not in STOP_WORDS and _count(searcher, wq.Term("spell", candidate), scope) > 0:
            return candidate
    return _pinyin_candidate(searcher, word, scope)


def _pinyin_candidate(searcher: Searcher, word: str, scope: Scope) -> str | None:
    """The closest pinyin form of a name within `scope` made of whole syllables (`is_pinyin`) for a word
    of MIN_PINYIN_TYPO letters or more (None: none, or a shorter word)."""
    if len(word) < MIN_PINYIN_TYPO or not (word.isascii() and word.isalpha()):
        return None
    for candidate in searcher.suggest("pinyin", word, limit=SUGGEST_CANDIDATES, maxdist=max_distance(word),
                                      prefix=1):
        if candidate != word and is_pinyin(candidate) and \
                _count(searcher, wq.Term("pinyin", candidate), scope) > 0:
            return candidate
    return None
