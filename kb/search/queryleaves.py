"""How one word or phrase of a parsed query is looked up (kb.search.query.widen applies these to each leaf):
a `?` wildcard also against the words as written, a quoted phrase in the pinyin field as its syllables in
order, a pinyin word under each of its spellings, a Chinese prefix as the word itself."""
from __future__ import annotations

from whoosh import query as wq

from .fastpath import BigramPhrase
from .pinyin import pinyin_spellings

#: Pinyin words at least this long also match longer pinyin (`zhongguo` finds 中国移动).
PINYIN_PREFIX_MIN = 4


def spelled_wildcard(q: wq.Wildcard) -> wq.Query:
    """A word with `?` (one character, `str?tegy`), also matched against the words as written (the
    `spell` field: every Latin word of a document, lower case, unstemmed): the text fields hold stems
    (strategy → strategi), which `str?tegy` would never match. Bounded like `*`: MIN_LITERAL_PREFIX letters
    before the first `?` (`_too_broad`), and the spell field has one term per distinct word."""
    return wq.Or([q, wq.Wildcard("spell", q.text.lower(), boost=q.boost)])


def ordered_pinyin(q: wq.Phrase) -> wq.Query:
    """A quoted phrase in the pinyin field (which has no positions) as its syllables in their order: the
    field holds every contiguous run of a name's syllables written together, so `"chang sha"` is the
    word `changsha` (found in 长沙银行) and `"yinhang changsha"` is `yinhangchangsha` (not found there: a
    phrase keeps its order). A phrase with other than letters (`"iPhone15 Xinyuan"`) has no pinyin
    alternative (NullQuery): the text fields search it."""
    if not all(w.isascii() and w.isalpha() for w in q.words):
        return wq.NullQuery
    return pinyin_leaf(q.fieldname, "".join(q.words), q.boost, prefix=False)


#: A spelling of a pinyin word other than the first (kb.search.pinyin.pinyin_spellings: `luwei` also as
#: `lvwei`) weighs this much of the word's weight: the name spelled as typed ranks first.
OTHER_SPELLING_WEIGHT = 0.5


def pinyin_leaf(fieldname: str, word: str, boost: float, prefix: bool,
                min_prefix: int = PINYIN_PREFIX_MIN) -> wq.Query:
    """A pinyin word's query: each of its spellings (`pinyin_spellings`: ü typed as u, yu, ü or v), the
    first at full `boost`; with `prefix`, a spelling of `min_prefix` letters or more is a prefix (a typed
    `lyuw*` passes 1: every spelling is a prefix, `lvw*`)."""
    leaves = []
    for i, form in enumerate(pinyin_spellings(word)):
        weight = boost if i == 0 else boost * OTHER_SPELLING_WEIGHT
        kind = wq.Prefix if prefix and len(form) >= min_prefix else wq.Term
        leaves.append(kind(fieldname, form, boost=weight))
    return leaves[0] if len(leaves) == 1 else wq.Or(leaves)


def cjk_prefix(q: wq.Prefix) -> wq.Query:
    """A Chinese prefix (`华东移动*`) as the word itself: Chinese text is indexed as overlapping bigrams with
    no word boundaries, so "a word that starts with 华东移动" is any text holding 华东移动 — the phrase of its
    bigrams (华东 东移 移动), one bigram for two characters, the single-character field for one (as `华`).
    Nothing is expanded: the work does not grow with the index (`华东移动*` used to look for the bigram
    "华东移动…", which no text has)."""
    text = q.text
    if len(text) == 1:
        return wq.Term("chars", text, boost=q.boost)
    if len(text) == 2:
        return wq.Term(q.fieldname, text, boost=q.boost)
    return BigramPhrase(q.fieldname, [text[i:i + 2] for i in range(len(text) - 1)], boost=q.boost)
