"""The forms under which a non-Chinese word and a phone number are indexed and searched.

Mixed letters and digits: `S/4HANA`, `V5.2.1`, `iPhone15`, `5G` are *compound words* (letter and digit
runs joined by `. / - _ + &`, or letters next to digits). A compound takes one position in the text (so
phrases across it still work) and is indexed there under its whole form (`s/4hana`), its form without
separators (`s4hana`) and every contiguous run of its parts (`4hana`, `hana`, `5.2.1`, `iphone`): a query
for any of those finds it. A query word is looked up under its whole form only (`query_form`). A run joined by separators is also
indexed written together without them when it has a letter and joins no two numbers (`Wi-Fi6` → `wifi`,
`S/4HANA` → `s4`; not `5.2` → `52`: `together_runs`), so `wifi`, `WiFi` and `S4` find `Wi-Fi6` and
`S/4HANA`. `C++`, `C#` and `.NET` are words of their own. A number with thousands separators (`12,345.67`) is also indexed
without them (`12345.67`) and as its whole units (`12345`); typed with them, it is looked up without.

Latin words joined by an apostrophe (`O'Neil`, `O’Neil`, `L'Oréal`, `McDonald's`) are indexed as their
words (`o`, `neil`) and also written together without it (`oneil`, `loréal`; `apostrophe_words`), so what
a user types without the apostrophe (`ONeil`, `oneil`, `LOreal`) finds them.

Phone numbers (mobiles with or without dashes, dots or spaces, landlines with area codes, `+86` — a
landline after it with or without the area code's trunk 0, or with it in brackets: `+86 (0)755`) are also
indexed as digits only
(`138-0013-8000`, `138.0013.8000` → `13800138000`; `(010) 8888 6666` → `01088886666` and `88886666`;
`+86 755 8888 1234` → `075588881234` and `88881234`), and `phone_digits_in_query` rewrites them so in what
people type (a dashed start of one, `138-0013`, as the prefix `1380013*`).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

#: Compound words beyond this many parts are indexed under their whole forms and parts only.
MAX_RUN_PARTS = 6
_PARTS = re.compile(r"[^\W\d_]+|\d+")
_SEPARATOR = re.compile(r"[./\-_+&]")
#: Two numbers joined (`5.2`, `2026-11`): written together they would be another number.
_NUMBERS_JOINED = re.compile(r"\d[./\-_+&]+\d")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LETTERS = rf"[^\W\d_{_CJK}]"
#: Latin words joined by apostrophes (' and the typographic ’ ‘), not inside a longer word or compound
#: (Chinese may touch them: 拜访O'Neil先生).
_APOSTROPHE_WORD = re.compile(rf"(?<![./\-+&'\u2018\u2019])(?<![^\W{_CJK}])"
                              rf"{_LETTERS}+(?:['\u2018\u2019]{_LETTERS}+)+(?![^\W{_CJK}]|['\u2018\u2019])")
_APOSTROPHES = re.compile("['\u2018\u2019]")

#: What may stand between the groups of a phone number: a space, a dash or a dot (138.0013.8000).
_SEP = r"[\s\-.]?"
#: The trunk 0 in brackets after the country code, as business cards print it (+86 (0)755 8888 1234).
_TRUNK = rf"(?:\(0\){_SEP})?"
#: The country code: +86, 0086 or 86 (then a separator or none), and a bracketed trunk 0 (`_TRUNK`).
_CC = rf"(?:(?:\+|00)?86{_SEP}{_TRUNK})"
_MOBILE = re.compile(rf"(?<![\d+.])(?:{_CC})?(1[3-9]\d){_SEP}(\d{{4}}){_SEP}(\d{{4}})(?![\d]|\.\d)")
_LANDLINE = re.compile(
    rf"(?<![\d+.])(?:{_CC})?\(?(0\d{{2,3}})\)?{_SEP}(\d{{3,4}}){_SEP}(\d{{4}})(?![\d]|\.\d)")
#: A landline after the country code, its area code without the trunk 0 (+86 755 8888 1234, +86 10 8888
#: 6666), or with the trunk written in brackets, as business cards print it (+86 (0)755 8888 1234,
#: +86(0)10-8888-6666): the same number as 0755-8888-1234.
_ABROAD = re.compile(
    rf"(?<![\d+.])(?:\+|00)86{_SEP}{_TRUNK}\(?([1-9]\d{{1,2}})\)?{_SEP}(\d{{3,4}}){_SEP}(\d{{4}})"
    r"(?![\d]|\.\d)")
#: A local landline number typed with a dash (8888-6666) in a query.
_LOCAL = re.compile(r"(?<![\d\-])([2-9]\d{2,3})-(\d{4})(?![\d\-])")
#: The start of a mobile or of a landline with its area code, typed with dashes (138-0013, 0755-8888):
#: in a query, the prefix of its digits (`1380013*`), which finds the numbers it begins.
#: (Four digits after a mobile's first three, or three or four after an area code: `150-200` is a range.)
_PARTIAL = re.compile(r"(?<![\w\-.+])(?:(1[3-9]\d)(-\d{4}(?:-\d{1,3})?)|(0\d{2,3})(-\d{3,4}))(?![\w\-*?])")
_DIGIT = re.compile(r"\d")


#: A number written with thousands separators (`1,000`, `12,345.67`; not `2,50`).
_GROUPED_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def query_form(word: str) -> str:
    """The form a compound query word is looked up under: its whole form, but a number with thousands
    separators without them (`1,000` → `1000`, `12,345.67` → `12345.67`), which finds it written either way
    (`index_forms`)."""
    return word.replace(",", "") if _GROUPED_NUMBER.fullmatch(word) else word


def is_compound(word: str) -> bool:
    """Whether `word` (normalised) is more than one run of letters or digits, or has a separator."""
    return len(_PARTS.findall(word)) > 1 or bool(_SEPARATOR.search(word))


@lru_cache(maxsize=100_000)
def index_forms(word: str, stem: Callable[[str], str]) -> tuple[str, ...]:
    """Every form a compound word is indexed under, whole first (see the module doc)."""
    parts = list(_PARTS.finditer(word))
    forms = [word, "".join(p.group() for p in parts)]
    if len(parts) <= MAX_RUN_PARTS:
        for i, first in enumerate(parts):
            for j in range(i, len(parts)):
                forms.append(word[first.start():parts[j].end()])
        forms += together_runs(word, parts)
    else:
        forms += [p.group() for p in parts]
        forms += _segment_runs(word)
    if _GROUPED_NUMBER.fullmatch(word):  # 12,345.67 also as 12345.67 and 12345 (what people type)
        plain = word.replace(",", "")
        forms += [plain, plain.split(".")[0]]
    out: list[str] = []
    for form in forms:
        if _PARTS.fullmatch(form):
            if len(form) < 2:
                continue  # one letter or digit alone finds everything: not worth a token
            form = stem(form) if not form.isdigit() else form
        out.append(form)
    return tuple(dict.fromkeys(out))


def together_runs(word: str, parts: list[re.Match[str]]) -> list[str]:
    """The runs of two or more `parts` (matches of letter or digit runs in `word`) joined by separators,
    written together without them, when the run has a letter and joins no two numbers: `wi-fi6` →
    `wifi`, `fi6`; `s/4hana` → `s4`, `4hana`…; `v5.2.1` → none (`52`, `v52` would be other numbers). So a
    compound's letter parts are found together without its number (issue 7 §2, session 10)."""
    out: list[str] = []
    for i, first in enumerate(parts):
        for j in range(i + 1, len(parts)):
            run = word[first.start():parts[j].end()]
            if _SEPARATOR.search(run) and not _NUMBERS_JOINED.search(run) and not run.isdigit() \
                    and any(not p.group().isdigit() for p in parts[i:j + 1]):
                out.append("".join(p.group() for p in parts[i:j + 1]))
    return out


def apostrophe_words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, the words written together) of each run of Latin words joined by apostrophes in
    normalised `text`: "o'neil 与 l’oréal" → [(0, 6, "oneil"), (9, 15, "loréal")]."""
    if "'" not in text and "\u2019" not in text and "\u2018" not in text:
        return []
    return [(m.start(), m.end(), _APOSTROPHES.sub("", m.group())) for m in _APOSTROPHE_WORD.finditer(text)]


def _segment_runs(word: str) -> list[str]:
    """The runs of parts inside each `/`-separated segment of a long compound, at most MAX_RUN_PARTS parts
    each: a URL's host (`www.example.org/docs/k8s-guide` → `www.example.org`, `example.org`; issue 7 of
    session 9, tester 9t's defect 2)."""
    out: list[str] = []
    for segment in word.split("/")[:MAX_RUN_PARTS]:
        parts = list(_PARTS.finditer(segment))
        if 1 < len(parts) <= MAX_RUN_PARTS:
            out += [segment[f.start():l.end()] for i, f in enumerate(parts) for l in parts[i + 1:]]
    return out


def phone_numbers(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """(start, end, digit-only forms) of each phone number in normalised `text`."""
    found: list[tuple[int, int, tuple[str, ...]]] = []
    taken: set[int] = set()
    for match in _MOBILE.finditer(text):
        found.append((match.start(), match.end(), ("".join(match.groups()),)))
        taken.update(range(match.start(), match.end()))
    for match in (*_LANDLINE.finditer(text), *_ABROAD.finditer(text)):
        if match.start() in taken:
            continue
        area, head, tail = match.groups()
        area = area if area.startswith("0") else "0" + area  # (+86 755 …: the trunk 0 put back)
        found.append((match.start(), match.end(), (area + head + tail, head + tail)))
        taken.update(range(match.start(), match.end()))
    return sorted(found)


def phone_digits_in_query(text: str) -> str:
    """`text` with every phone number written as digits only, so `139-1234-5678`, `139 1234 5678`,
    `138.0013.8000`, `(010) 8888-6666` and `+86 755 8888 1234` (→ `075588881234`) are each one word; and
    the start of one typed with dashes as the prefix of its digits: `138-0013` → `1380013*`."""
    if _DIGIT.search(text) is None:  # (no digit, no number: the usual query, unscanned)
        return text
    text = _MOBILE.sub(lambda m: "".join(m.groups()), text)
    text = _LANDLINE.sub(lambda m: "".join(m.groups()), text)
    text = _ABROAD.sub(lambda m: "0" + "".join(m.groups()), text)
    text = _PARTIAL.sub(lambda m: "".join(g for g in m.groups() if g).replace("-", "") + "*", text)
    return _LOCAL.sub(lambda m: "".join(m.groups()), text)
