"""Did-you-mean (issue 7 §4): a corrected query for English words the reader's documents do not hold,
offered only when it finds something the reader may see (candidates from the `spell` field, each checked
within the reader's scope, so a word only a hidden document holds is never suggested back)."""
from __future__ import annotations

import re

from whoosh import query as wq
from whoosh.searching import Searcher

from .analysis import stem_word
from .query import parse_user_query
from .searching import Scope, run_scoped

_ENGLISH = re.compile(r"(?<![\w:])[A-Za-z]{3,}(?![\w:])")
_OPERATOR_WORDS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}


def suggest(searcher: Searcher, text: str, scope: Scope) -> str | None:
    """A corrected query for English words the reader's documents do not hold — offered only if it finds
    something the reader may see. Both the "known word" test and every candidate are checked within
    `scope`, so a word that only a document hidden from the reader holds is never offered (not even in
    an `OR` query whose other half finds something)."""
    corrected, changed = text, False
    for word in _ENGLISH.findall(text):
        if word in _OPERATOR_WORDS:
            continue
        stemmed = stem_word(word)
        if _visible(searcher, wq.Or([wq.Term("body", stemmed), wq.Term("title", stemmed)]), scope):
            continue
        candidate = _visible_candidate(searcher, word.lower(), scope)
        if candidate:
            corrected = re.sub(rf"(?<![\w:]){re.escape(word)}(?![\w:])", candidate, corrected, count=1)
            changed = True
    if not changed:
        return None
    parsed = parse_user_query(corrected)
    if parsed.query is None:
        return None
    return corrected if _visible(searcher, parsed.query, scope) else None


#: How many spelling candidates of one word are tried against what the reader may see.
SUGGEST_CANDIDATES = 5


def _visible(searcher: Searcher, q: wq.Query, scope: Scope) -> bool:
    return run_scoped(searcher, q, scope, limit=1)[1] > 0


def _visible_candidate(searcher: Searcher, word: str, scope: Scope) -> str | None:
    """The closest spelling of `word` found in a document within `scope` (None: none)."""
    for candidate in searcher.suggest("spell", word, limit=SUGGEST_CANDIDATES, maxdist=2, prefix=1):
        if candidate != word and _visible(searcher, wq.Term("spell", candidate), scope):
            return candidate
    return None
