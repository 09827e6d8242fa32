"""The forms under which a non-Chinese word and a phone number are indexed and searched.

Mixed letters and digits: `S/4HANA`, `V5.2.1`, `iPhone15`, `5G` are *compound words* (letter and digit
runs joined by `. / - _ + &`, or letters next to digits). A compound takes one position in the text (so
phrases across it still work) and is indexed there under its whole form (`s/4hana`), its form without
separators (`s4hana`) and every contiguous run of its parts (`4hana`, `hana`, `5.2.1`, `iphone`), a run
of letters and digits in a compound without dots also written together (`s/4` → `s4`, so `S4 HANA` finds
it; issue 7 §2, session 10; not `galaxy1` of `Galaxy-1.5`, whose number a dot holds): a query for any of those finds it. A query word is looked up under its
whole form only (`query_form`). `C++`, `C#`
and `.NET` are words of their own. A number with thousands separators (`12,345.67`) is also indexed
without them (`12345.67`) and as its whole units (`12345`); typed with them, it is looked up without.

Phone numbers (mobiles with or without dashes or spaces, landlines with area codes, `+86`) are also
indexed as digits only (`138-0013-8000` → `13800138000`; `(010) 8888 6666` → `01088886666` and
`88886666`), and `phone_digits_in_query` rewrites them so in what people type.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

#: Compound words beyond this many parts are indexed under their whole forms and parts only.
MAX_RUN_PARTS = 6
_PARTS = re.compile(r"[^\W\d_]+|\d+")
_SEPARATOR = re.compile(r"[./\-_+&]")
#: A letter and a digit next to each other, in either order, across a separator or not (product-like runs).
_LETTER_AND_DIGIT = re.compile(r"[^\W\d_][./\-_+&]?\d|\d[./\-_+&]?[^\W\d_]")

_SEP = r"[\s\-]?"
_MOBILE = re.compile(rf"(?<![\d+])(?:\+?86{_SEP})?(1[3-9]\d){_SEP}(\d{{4}}){_SEP}(\d{{4}})(?!\d)")
_LANDLINE = re.compile(
    rf"(?<![\d+])(?:\+?86{_SEP})?\(?(0\d{{2,3}})\)?{_SEP}(\d{{3,4}}){_SEP}(\d{{4}})(?!\d)")
#: A local landline number typed with a dash (8888-6666) in a query.
_LOCAL = re.compile(r"(?<![\d\-])(\d{3,4})-(\d{4})(?![\d\-])")


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
            for j, last in enumerate(parts[i:], i):
                run = word[first.start():last.end()]
                forms.append(run)
                if j > i and _LETTER_AND_DIGIT.search(run) and "." not in word:  # s/4 also as s4 (S4 HANA)
                    forms.append("".join(p.group() for p in parts[i:j + 1]))
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
    for match in _LANDLINE.finditer(text):
        if match.start() in taken:
            continue
        area, head, tail = match.groups()
        found.append((match.start(), match.end(), (area + head + tail, head + tail)))
    return sorted(found)


def phone_digits_in_query(text: str) -> str:
    """`text` with every phone number written as digits only, so `139-1234-5678`, `139 1234 5678`
    and `(010) 8888-6666` are each one word."""
    text = _MOBILE.sub(lambda m: "".join(m.groups()), text)
    text = _LANDLINE.sub(lambda m: "".join(m.groups()), text)
    return _LOCAL.sub(lambda m: "".join(m.groups()), text)
