"""What people type, in the query syntax (issue 7 §1): input methods' quotation marks and full-width forms as
ASCII, punctuation between words as spaces outside quotes, Latin words joined or glued to Chinese in the
forms search finds (kb.search.queryforms; `AT & T` as `AT&T`), phone numbers as digits, a company form ending
a name left out (`drop_company_forms`: 华东移动有限公司 finds 华东移动通信有限公司). kb.search.query parses the
result; the
account list filter (kb.account_keys, kb.account_phrases) reads quotes the same way."""
from __future__ import annotations

import re
import unicodedata

from .. import textnorm
from ..company_forms import CJK_SUFFIXES, cjk_form_end, latin_form_words
from .analysis import without_accents
from .queryforms import join_ampersand, join_letter_and_number, latin_hyphens, mark_part_last, split_scripts
from .wordforms import phone_digits_in_query

#: Quotation marks Chinese and other input methods type, as the query syntax's double quote.
IME_QUOTES = str.maketrans({c: '"' for c in "\u201c\u201d\u2018\u2019\u300c\u300d\u300e\u300f\u301d\u301e"
                                            "\u301f\uff02\u201e\u00ab\u00bb"})
#: A typographic apostrophe (’ ‘) between Latin letters (O’Neil, don’t) is an apostrophe, not a quote.
_APOSTROPHE = re.compile(r"(?<=[A-Za-z\u00c0-\u024f])[\u2018\u2019](?=[A-Za-z\u00c0-\u024f])")


def ime_quotes(text: str) -> str:
    """`text` with input methods' quotation marks as `"` (IME_QUOTES), and ’ ‘ inside a word as `'`."""
    if text.isascii():  # (every mark it changes is outside ASCII)
        return text
    return _APOSTROPHE.sub("'", text).translate(IME_QUOTES)


#: Punctuation that separates words the way a space does, outside quotes: what a Chinese input method types
#: between words (，、；。！？ and the ideographic full stop), and the ASCII comma and semicolon — except a
#: comma inside a number (1,000).
_SEPARATORS = re.compile(r"[\u3001\u3002\uff61\uff64;]|(?<!\d),|,(?!\d)")
#: ASCII . ! ? typed next to a Chinese character are sentence punctuation too (客户。战略, 战略？); between
#: Latin letters or digits they stay (S/4HANA 1.5, example.com; `?` is a wildcard there).
#: (`.NET` right after Chinese is the word .NET: 锐思.NET)
_CJK_SENTENCE_MARKS = re.compile(r"(?<=[\u3400-\u9fff\uf900-\ufaff])(?:[!?]|\.(?!(?i:net)\b))"
                                 r"|[.!?](?=[\u3400-\u9fff\uf900-\ufaff])")


#: A hyphen, dash or slash with a Chinese character on either side joins nothing a search can find (华东-移动,
#: 客户/战略, 阿兹曼-拉希德): it separates words; between Latin letters or digits it stays (SD-WAN, S/4HANA).
_CJK_JOINERS = re.compile(r"(?<=[\u3400-\u9fff\uf900-\ufaff])\s*[-/\u2010-\u2015\u3161\u318d]\s*"
                          r"|\s*[-/\u2010-\u2015\u3161\u318d]\s*(?=[\u3400-\u9fff\uf900-\ufaff])")
#: Spaces between two Chinese characters inside a quoted phrase: Chinese is usually written without them, so
#: "华东 移动" also means the words written together, 华东移动 (searched as either phrase).
_CJK_SPACES = re.compile(r"(?<=[\u3400-\u9fff\uf900-\ufaff])\s+(?=[\u3400-\u9fff\uf900-\ufaff])")
#: Invisible format characters (kb.textnorm._FORMAT): pasted inside words, they split them.
_INVISIBLE = textnorm._FORMAT


def _words_apart(part: str) -> str:
    """A part of the query outside quotes with word-separating punctuation as spaces and Latin and Chinese
    written another way in the forms search finds (kb.search.queryforms). ASCII skips what only acts on
    other characters: CJK sentence marks and joiners, other dashes (each step also checks for itself);
    `AT & T` as `AT&T` (join_ampersand) only with an `&`; then a company form ending a name left out
    (drop_company_forms)."""
    if ";" in part or "," in part or not part.isascii():
        part = _SEPARATORS.sub(" ", part)
    if not part.isascii():
        part = latin_hyphens(_CJK_JOINERS.sub(" ", _CJK_SENTENCE_MARKS.sub(" ", part)))
    part = join_letter_and_number(mark_part_last(part))
    if "&" in part:
        part = join_ampersand(part)
    return drop_company_forms(split_scripts(part))


def _separate_words(text: str) -> str:
    """`text` with word-separating punctuation (see _SEPARATORS, _CJK_JOINERS) as spaces outside double
    quotes: "客户，战略" searches the two words like "客户 战略", not as a phrase that only matches "客户，战略"
    written together; inside quotes punctuation is kept, and a phrase with spaces between Chinese characters
    also matches them written together: "华东 移动" → ("华东 移动" OR "华东移动")."""
    parts = text.split('"')
    for i in range(0, len(parts), 2):  # the even parts are outside quotes
        parts[i] = _words_apart(parts[i])
    out = [parts[0]]
    for i in range(1, len(parts), 2):
        phrase, after = parts[i], parts[i + 1] if i + 1 < len(parts) else None
        together = _CJK_SPACES.sub("", phrase)
        if after is None:  # an unclosed quote: left as typed (the parser's message says so)
            out.append('"' + phrase)
            break
        out.append(f'("{phrase}" OR "{together}")' if together != phrase else f'"{phrase}"')
        out.append(after)
    return "".join(out)


#: A word of Latin letters, or a form spelt with dots (`Ltd.`, `S.A.`): what a company form may be.
_LATIN_NAME_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:\.[A-Za-z\u00c0-\u024f]+)*\.?")
_CJK_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_OPERATOR_WORDS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})
#: A Chinese word keeps at least this many characters when its company form is dropped (分公司 stays).
MIN_CJK_NAME = 2


def _form_words(token: str) -> list[str]:
    return [without_accents(w) or w for w in textnorm.normalize(token).strip(".").split(".")]


def drop_company_forms(text: str) -> str:
    """`text` (outside quotes, words split by spaces) without the company-form suffixes (kb.company_forms,
    the duplicate check's list) that end a Chinese word or a run of Latin words, so a name typed with its
    legal form finds the account stored without it — and still the one stored with it, which the rest
    also finds: `仁和医疗集团有限公司` → `仁和医疗`, `Renhe Healthcare Group Co. Ltd.` → `Renhe Healthcare`,
    `Electricite de France S.A.` → `Electricite de France`. Something always stays: a run keeps its first
    word (`Group` stays), a Chinese word MIN_CJK_NAME characters (`分公司` stays) and a form typed alone is
    searched (`有限公司`, `股份有限公司`); operators, field
    prefixes, wildcards and parentheses end a run and are never dropped."""
    tokens = text.split(" ")
    dropped: set[int] = set()
    run: list[int] = []
    for i, token in enumerate([*tokens, ""]):
        if token and token not in _OPERATOR_WORDS and _LATIN_NAME_WORD.fullmatch(token):
            run.append(i)
            continue
        if not token and i < len(tokens):
            continue  # (several spaces)
        dropped.update(_latin_forms(tokens, run))
        run = []
        if _CJK_WORD.fullmatch(token):
            normal = textnorm.normalize(token)
            if len(normal) == len(token) and normal not in CJK_SUFFIXES:  # (`有限公司` alone is searched)
                tokens[i] = token[:cjk_form_end(normal, keep=MIN_CJK_NAME)]
    if not dropped:
        return " ".join(tokens)
    return " ".join(t for i, t in enumerate(tokens) if i not in dropped)


def _latin_forms(tokens: list[str], run: list[int]) -> list[int]:
    """The indexes of the tokens of `run` (Latin words in a row) that are its trailing company form."""
    if len(run) < 2:
        return []
    words = [_form_words(tokens[i]) for i in run]
    left = latin_form_words([w for ws in words for w in ws])  # (how many words are the form)
    out: list[int] = []
    for i, ws in zip(reversed(run), reversed(words)):  # whole tokens only (`EDF.S.A.` stays)
        if len(ws) > left:
            break
        out.append(i)
        left -= len(ws)
    return out


def ime_to_ascii(text: str) -> str:
    """What an input method typed, in the query syntax: “…” ‘…’ 「…」 → "…"; full-width colons,
    parentheses, spaces (and every other width form) as ASCII (NFKC); punctuation between words (，、。；
    and , ;) as a space outside quotes (`_separate_words`); phone numbers as digits only.
    Case is kept: `AND`, `OR` and `NOT` are operators only in capitals."""
    if not text.isascii():  # (an ASCII text has no invisible, IME or width forms: as it is)
        text = ime_quotes(unicodedata.normalize("NFKC", ime_quotes(_INVISIBLE.sub("", text))))
    return _separate_words(phone_digits_in_query(text))
