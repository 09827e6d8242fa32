"""Text analysis for Chinese and English in one field.

All text is first normalised (kb.textnorm: width, case, traditional → simplified, name separators).
Chinese runs become overlapping bigrams whose positions are token ordinals, so phrase queries and
substring search work (`客户` finds `以客户为中心`); a run of one character is indexed as itself. Other text
becomes Porter-stemmed words; mixed letters and digits, words joined by an apostrophe (`O'Neil` also as
`oneil`) and phone numbers are indexed under several forms (kb.search.wordforms). One-character queries use a separate field of single
characters (`CjkCharTokenizer`): a prefix query over all bigrams starting with the character is far slower.

This module is pickled into the index schema by import path: keep the class names and the module path
`kb.search.analysis` stable, or existing indexes cannot be opened (they would need `flask kb reindex`).
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Any, Iterator

from whoosh.analysis import Token, Tokenizer
from whoosh.lang.porter import stem

from ..textnorm import normalize, normalize_with_offsets
from .pinyin import folded_pinyin, umlaut_pinyin
from .wordforms import apostrophe_words, index_forms, is_compound, phone_numbers, query_form

CJK_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = rf"[^\W_{CJK_CHARS}]+"
#: Chinese runs; words, which may be compound (`s/4hana`, `v5.2.1`, a number with thousands separators
#: `1,000`: one word, found by `1000` too, marked whole) or end in ++ or # (`c++`, `c#`), and `.net` — also
#: right before or after Chinese (`智算c++工具链` holds `c++`, not `c`). The text is normalised first.
_TOKENS = re.compile(rf"(?P<cjk>[{CJK_CHARS}]+)|(?P<word>(?<![^\W_{CJK_CHARS}])\.net(?!{_WORD})|"
                     rf"{_WORD}(?:(?:[./\-_+&]|(?<=\d),(?=\d{{3}}(?!\d))){_WORD})*(?:(?:\+\+|#)(?!{_WORD}))?)")
_DIGIT = re.compile(r"\d")
_CJK_CHAR = re.compile(f"[{CJK_CHARS}]")
_CJK_ONLY = re.compile(rf"^[{CJK_CHARS}]+$")
_PINYIN_WORDS = re.compile(r"[a-z0-9]+")


def is_cjk(text: str) -> bool:
    """Whether `text` is non-empty and made only of CJK ideographs."""
    return bool(_CJK_ONLY.match(text))


@lru_cache(maxsize=100_000)
def stem_word(word: str) -> str:
    """The lower-cased Porter stem of an English word (cached: the same words recur constantly)."""
    return stem(word.lower())


@lru_cache(maxsize=100_000)
def folded_forms(word: str) -> tuple[str, ...]:
    """The forms a word with accented Latin letters is also indexed under, without its accents
    (`électricité` → `electricit`, stemmed as a typed `electricite` is; issue 7 of session 9, tester 9t's
    defect 4): what a user without a French keyboard types finds it. () for a word without accents."""
    bare = without_accents(word)
    if bare is None:
        return ()
    return index_forms(bare, stem_word) if is_compound(bare) else (stem_word(bare),)


def joined_forms(joined: str, seen: tuple[str, ...]) -> tuple[str, ...]:
    """The forms words joined by an apostrophe are also indexed under, written together (`oneil`;
    `loréal` also without accents, `loreal`), leaving out those in `seen` (the first word's own forms:
    `mcdonalds` is stemmed as `mcdonald`)."""
    forms = (stem_word(joined), *folded_forms(joined)) if not is_compound(joined) else ()
    return tuple(f for f in dict.fromkeys(forms) if f not in seen)


def without_accents(word: str) -> str | None:
    """`word` without the accents of its Latin letters (`électricité` → `electricite`, `Müller` →
    `Muller`), or None when that is not a plain ASCII word different from `word` (no accents, or other
    scripts). The one folding rule of search and the account list filter (kb.account_keys)."""
    if word.isascii():
        return None
    bare = "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))
    return bare if bare != word and bare.isascii() else None


class _StatelessTokenizer(Tokenizer):
    """Tokenizers without settings: equal when of the same class (Whoosh compares analyzers)."""

    def __eq__(self, other: object) -> bool:
        return other.__class__ is self.__class__

    def __hash__(self) -> int:
        return hash(self.__class__.__name__)


class MixedTokenizer(_StatelessTokenizer):
    """Normalised text (kb.textnorm) → Chinese bigrams, stemmed words, compound words under several forms
    at one position and, when indexing, phone numbers also as digits (kb.search.wordforms). Character
    ranges are those of the original text."""

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs: Any) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:  # a prefix or wildcard (`Élec*`): without accents, as every accented word is indexed
            text = normalize(value)  # (but `lüw*` is pinyin, as the word `lüwei`: not the Latin `luw*`)
            latin = mode == "query" and not umlaut_pinyin(text, prefix=True)
            t.original = t.text = (without_accents(text) or text) if latin else text
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        text, offsets = normalize_with_offsets(value)

        def span(start: int, end: int) -> tuple[int, int]:
            if offsets is None:
                return start_char + start, start_char + end
            return start_char + offsets[start], start_char + offsets[end - 1] + 1

        indexing = mode != "query"
        phones = phone_numbers(text) if indexing and _DIGIT.search(text) else []
        joins = apostrophe_words(text) if indexing else []
        pos = start_pos
        for match in _TOKENS.finditer(text):
            start = match.start()
            phoned: tuple[str, ...] = ()
            while phones and phones[0][0] <= start:
                _begin, _end, forms = phones.pop(0)
                at = span(_begin, _end)
                for form in forms:
                    if form not in phoned:
                        yield self._emit(t, form, pos, *at, keeporiginal and form)
                phoned += forms
            word = match.group("word")
            if word is not None:
                at = span(start, match.end())
                if not is_compound(word):
                    if word not in phoned:  # (a query word with accents is looked up without them; lü as pinyin)
                        plain = indexing or word.isascii() or umlaut_pinyin(word)
                        folded = () if plain else folded_forms(word)
                        yield self._emit(t, folded[0] if folded else stem_word(word), pos, *at,
                                         keeporiginal and word)
                elif not indexing:  # (accents folded: `électricité-de-france` as `electricite-de-france`)
                    bare = without_accents(word) or word
                    yield self._emit(t, query_form(bare), pos, *at, keeporiginal and word)
                else:
                    for form in index_forms(word, stem_word):
                        if form not in phoned:
                            yield self._emit(t, form, pos, *at, keeporiginal and form)
                if indexing and not word.isascii():  # électricité also as electricit (folded_forms)
                    seen = index_forms(word, stem_word) if is_compound(word) else (stem_word(word),)
                    for form in folded_forms(word):
                        if form not in seen:
                            yield self._emit(t, form, pos, *at, keeporiginal and form)
                while joins and joins[0][0] <= start:  # o'neil also as oneil, at o's position
                    _begin, _end, joined = joins.pop(0)
                    if _begin == start:
                        for form in joined_forms(joined, (stem_word(word),)):
                            yield self._emit(t, form, pos, *span(_begin, _end), keeporiginal and form)
                pos += 1
                continue
            run = match.group("cjk")
            if len(run) == 1:
                yield self._emit(t, run, pos, *span(start, start + 1), keeporiginal and run)
                pos += 1
                continue
            emit, at = self._emit, start_char + start
            for i in range(len(run) - 1):  # the hot loop: no offset mapping when the text aligns
                bigram = run[i:i + 2]
                if offsets is None:
                    yield emit(t, bigram, pos, at + i, at + i + 2, keeporiginal and bigram)
                else:
                    yield emit(t, bigram, pos, *span(start + i, start + i + 2), keeporiginal and bigram)
                pos += 1

    def index_positions(self, value: str) -> dict[str, list[int]]:
        """{term: its positions} of `value` as indexed (mode "index", positions from 0): the terms and
        positions of the tokens `__call__` gives, without building the tokens (the rebuild's writer,
        kb.search.bulk_writer; tests/test_search_bulk_writer.py checks that the two agree)."""
        text = normalize_with_offsets(value)[0]
        found: dict[str, list[int]] = {}

        def add(term: str, pos: int) -> None:
            at = found.get(term)
            if at is None:
                found[term] = [pos]
            else:
                at.append(pos)

        phones = phone_numbers(text) if _DIGIT.search(text) else []
        joins = apostrophe_words(text)
        pos = 0
        for match in _TOKENS.finditer(text):
            phoned: tuple[str, ...] = ()
            while phones and phones[0][0] <= match.start():
                forms = phones.pop(0)[2]
                for form in forms:
                    if form not in phoned:
                        add(form, pos)
                phoned += forms
            word = match.group("word")
            if word is not None:
                if not is_compound(word):
                    if word not in phoned:
                        add(stem_word(word), pos)
                else:
                    for form in index_forms(word, stem_word):
                        if form not in phoned:
                            add(form, pos)
                if not word.isascii():
                    seen = index_forms(word, stem_word) if is_compound(word) else (stem_word(word),)
                    for form in folded_forms(word):
                        if form not in seen:
                            add(form, pos)
                while joins and joins[0][0] <= match.start():
                    begin, _end, joined = joins.pop(0)
                    if begin == match.start():
                        for form in joined_forms(joined, (stem_word(word),)):
                            add(form, pos)
                pos += 1
                continue
            run = match.group("cjk")
            if len(run) == 1:
                add(run, pos)
                pos += 1
                continue
            get = found.get
            for i in range(len(run) - 1):  # the hot loop
                bigram = run[i:i + 2]
                at = get(bigram)
                if at is None:
                    found[bigram] = [pos]
                else:
                    at.append(pos)
                pos += 1
        return found

    @staticmethod
    def _emit(t: Token, text: str, pos: int, startchar: int, endchar: int, original: Any) -> Token:
        t.text = text
        t.boost = 1.0
        t.stopped = False
        if original:
            t.original = original
        if t.positions:
            t.pos = pos
        if t.chars:
            t.startchar, t.endchar = startchar, endchar
        return t


class CjkCharTokenizer(_StatelessTokenizer):
    """Every Chinese character of the normalised text on its own (for one-character queries); everything
    else is ignored."""

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs: Any) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        text, offsets = normalize_with_offsets(value)
        for i, match in enumerate(_CJK_CHAR.finditer(text)):
            t.text = t.original = match.group()
            t.boost = 1.0
            if positions:
                t.pos = start_pos + i
            if chars:
                at = match.start() if offsets is None else offsets[match.start()]
                t.startchar, t.endchar = start_char + at, start_char + at + 1
            yield t

    def index_counts(self, value: str) -> dict[str, int]:
        """{character: how many times} of `value`: the tokens `__call__` gives, counted (rebuilds)."""
        return Counter(_CJK_CHAR.findall(normalize_with_offsets(value)[0]))


#: What keeps a query word from being pinyin: a letter other than ASCII (`électricité`), `++` or `#` after
#: letters (`c++`, `c#`, `f#`) or a dot before them (`.net`).
_NOT_PINYIN = re.compile(rf"[^\W\d_a-z{CJK_CHARS}]|[a-z0-9](?:\+|#)|\.[a-z]")


def _query_pinyin(value: str) -> list[tuple[str, int]]:
    """(word, start) of the pinyin words of a query word or phrase (normalised): its runs of ASCII letters
    and digits, or none at all when one of them cannot be pinyin (`_NOT_PINYIN`) or is a single character
    (`c++` would be `c`, every name with that initial): a phrase's pinyin never skips a word, so it keeps
    its order (kb.search.query.ordered_pinyin), and `électricité` gives no `lectricit`. A word with tone
    marks or ü is pinyin when it folds to pinyin (kb.search.pinyin.folded_pinyin: `zēng`, `lǚwei`)."""
    if _NOT_PINYIN.search(value):  # tone marks and ü as the index spells them (`lǚ` → lv, `chóu` → chou)
        folded = folded_pinyin(value)
        if folded is None or _NOT_PINYIN.search(folded):
            return []
        value = folded
    words = [(m.group(), m.start()) for m in _PINYIN_WORDS.finditer(value)]
    return [] if any(len(w) < 2 for w, _start in words) else words


class PinyinTokenizer(_StatelessTokenizer):
    """Lower-cased ASCII letters and digits, split on anything else (pinyin full forms and initials); in a
    query only words that may be pinyin (`_query_pinyin`)."""

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs: Any) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        value = normalize(value)
        if not tokenize:  # a prefix or wildcard: tone marks and ü folded as in a word (`lǚw*` → lvw*)
            texts = [(folded_pinyin(value, prefix=True) or value, 0)]
        elif mode == "query":
            texts = _query_pinyin(value)
        else:
            texts = [(m.group(), m.start()) for m in _PINYIN_WORDS.finditer(value)]
        for i, (text, start) in enumerate(texts):
            t.text = t.original = text
            t.boost = 1.0
            if positions:
                t.pos = start_pos + i
            if chars:
                t.startchar, t.endchar = start_char + start, start_char + start + len(text)
            yield t


def text_analyzer() -> MixedTokenizer:
    """The analyzer of the title and body fields."""
    return MixedTokenizer()


def char_analyzer() -> CjkCharTokenizer:
    """The analyzer of the single-character field."""
    return CjkCharTokenizer()


def pinyin_analyzer() -> PinyinTokenizer:
    """The analyzer of the pinyin field."""
    return PinyinTokenizer()
