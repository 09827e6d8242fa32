"""Quoted phrases in the account list filter, as search reads them (issue 7, session 9: tester's defect 3).

A quoted part of `/accounts?q=` (also typed with “…”, 「…」 or full-width quotes) matches only a name,
English name or alias that has its words next to each other in that order, as search's phrase query does:
`"East China"` finds "East China Mobile…", `"China East"` does not; `"银行 长沙"` does not find 长沙银行.
Between two Latin/digit words anything but a letter, digit or Chinese character may stand (a space, `-`,
`/`, `, `: `"ECMC-Suzhou"` finds "ECMC Suzhou Branch", `"co ltd"` finds "Co., Ltd."); next to a Chinese
word nothing needs to. A quote that is not closed is no phrase: its words are words, as search reads it
("A quotation mark was not closed, so the words were searched separately", kb.search.query).

Accents do not count, as in search (kb.search.analysis.without_accents): `"Électricité de France"` and
`"Electricite de France"` each find both spellings (a Latin letter matches itself and its accented forms,
`e` → `[eéèêë…]`).

The match is a regular expression over `Account.search_key` (the normalised names, one a line), the same
on SQLite (SQLAlchemy registers `REGEXP` there) and PostgreSQL (`~`): only the syntax both read (literal
characters in brackets, `(a|b)`, `*`, `+`, `$`, `^`), words escaped.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .search.analysis import without_accents
from .search.querytext import IME_QUOTES  # (search's own list of the quotes input methods type)
from .textnorm import normalize

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: Letters and digits of a Latin word (normalised text is lower case): what a boundary must not cut.
_LATIN = "0-9a-z\u00b5\u00df-\u00f6\u00f8-\u024f"
#: What may stand between two words of a phrase in a name: anything but a letter, a digit, a Chinese
#: character or a line break (the names in `search_key` are one a line: a phrase stays inside one name).
_BETWEEN = f"[^{_LATIN}{_CJK}\n]"
#: The words of a phrase as search's analyser cuts them: a Chinese run, `.net`, or letters/digits with a
#: trailing ++ or # (c++, c#); punctuation between them is what `_BETWEEN` stands for.
_TOKENS = re.compile(rf"[{_CJK}]+|\.net(?![^\W_])|[^\W_{_CJK}]+(?:\+\+|#)?")
_LATIN_CHAR = re.compile(f"[{_LATIN}]")


def split_quoted(q: str) -> tuple[list[str], str]:
    """The closed quoted phrases of `q` (as typed inside the quotes) and the rest of it with each phrase
    replaced by a space: `East "China Mobile" x` → (["China Mobile"], "East   x"); an unclosed quote's
    words are in the rest (`"East China` → ([], " East China"))."""
    text = unicodedata.normalize("NFKC", (q or "").translate(IME_QUOTES)).translate(IME_QUOTES)
    parts = text.split('"')
    closed = len(parts) - 1 if len(parts) % 2 else len(parts) - 2  # (the last odd part: unclosed)
    phrases = [parts[i] for i in range(1, closed, 2)]
    rest = " ".join(p for i, p in enumerate(parts) if not (i % 2 and i < closed))
    return phrases, rest


def phrase_words(phrase: str) -> list[str]:
    """The normalised words of a phrase in order: "Lab C++" → ["lab", "c++"]; "银行 长沙" → ["银行", "长沙"];
    "S/4HANA Yuntu" → ["s", "4hana", "yuntu"]."""
    return _TOKENS.findall(normalize(phrase))


def _latin_end(word: str, last: bool) -> bool:
    return bool(_LATIN_CHAR.match(word[-1] if last else word[0]))


@lru_cache(maxsize=1)
def _accent_classes() -> dict[str, str]:
    """{letter: the bracket of it and its accented forms} for each normalised Latin letter that has
    accented forms (`e` and `é` → `[eéèêë…]`): search's folding rule (`without_accents`) read backwards."""
    forms: dict[str, list[str]] = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        bare = without_accents(char) if normalize(char) == char else None
        if bare and len(bare) == 1 and bare.isalpha():
            forms.setdefault(bare, [bare]).append(char)
    brackets = {bare: f"[{''.join(chars)}]" for bare, chars in forms.items()}
    return {**brackets, **{c: brackets[bare] for bare, chars in forms.items() for c in chars}}


def _word_pattern(word: str) -> str:
    """`word` escaped, each Latin letter also matching its accented forms (`_accent_classes`)."""
    classes = _accent_classes()
    return "".join(classes.get(char) or re.escape(char) for char in word)


def phrase_pattern(words: list[str]) -> str:
    """The regular expression (SQLite's and PostgreSQL's common syntax) a normalised name matching the
    phrase of `words` contains: a Latin word not cut out of a longer one, the words in order, one or more
    separators between two Latin words, any (or none) next to a Chinese word; accents do not count
    (`_word_pattern`)."""
    out = [f"(^|[^{_LATIN}])" if _latin_end(words[0], last=False) else ""]
    for i, word in enumerate(words):
        if i:
            apart = _latin_end(words[i - 1], last=True) and _latin_end(word, last=False)
            out.append(f"{_BETWEEN}+" if apart else f"{_BETWEEN}*")
        out.append(_word_pattern(word))
    out.append(f"($|[^{_LATIN}])" if _latin_end(words[-1], last=True) else "")
    return "".join(out)
