"""The one text normalisation, used by search (indexing and queries), the account list filter and
duplicate detection, so they all agree on what "the same text" is.

Rules, in order:
0. **Invisible characters** — zero-width spaces and joiners, soft hyphens, byte-order marks and direction
   marks (Unicode format characters, `_FORMAT`) are removed: `融\u200b合` → `融合`.
1. **Width and compatibility forms** — Unicode NFKC: `ＥＲＰ` → `ERP`, `３００` → `300`, `，` → `,`,
   the ideographic space → a space.
2. **Case** — Unicode case folding (`str.casefold`): `Électricité` → `électricité`, `Straße` → `strasse`
   (SQL's `lower()` only folds ASCII on SQLite).
3. **Traditional → simplified Chinese** — OpenCC's `t2s` converter: `台灣大哥大` → `台湾大哥大`.
   One simplified character may stand for several traditional ones (麵 noodles and 面 face both become
   面; 髮 hair and 發 send both 发), so a traditional query also finds the simplified texts of the other
   meaning: `麵` finds 面 in 桌面. That is kept on purpose: a simplified text's 面 cannot tell which
   meaning it has (it is how 麵 is written in simplified Chinese), so telling them apart would stop `麵`
   finding the simplified 面条 and break the rule that a name is found in either script (台灣/台湾).
   Searching `面` finds the 麵 texts and `麵` finds 麵 and 面 texts (tests/test_s8query7_search.py).
4. **Name separators** — the dot-like marks typed inside names (`·・•‧∙⋅･` and the like, and `.`)
   between two Chinese characters are removed (`阿卜杜·热合曼` → `阿卜杜热合曼`); elsewhere they become a space.

`normalize_with_offsets` gives the same text with, for each of its characters, the index of the source
character it came from, so search can highlight matches in the original text.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Invisible format characters text pasted from the web or a word processor carries inside words (zero-width
#: space and joiners, soft hyphen, word joiner, byte-order mark, direction marks): removed, so 融\u200b合
#: is 融合 (Unicode category Cf in the Basic Multilingual Plane).
_FORMAT = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
                     "\ufff9-\ufffb]")
#: Dot-like characters people type between the parts of a name (after NFKC, which already maps the
#: half-width katakana middle dot ･ to ・).
NAME_SEPARATORS = "\u00b7\u2022\u2027\u2219\u22c5\u30fb\u16eb\u2e31\ua78f\u2981\u2e30\u2024"
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SEPARATOR = re.compile(f"[{NAME_SEPARATORS}]")
#: Between two Chinese characters an ASCII full stop is a name separator too (阿卜杜.热合曼).
_SEPARATOR_IN_CJK = re.compile(f"(?<=[{_CJK}])\\s*[.{NAME_SEPARATORS}]\\s*(?=[{_CJK}])")
_HAS_CJK = re.compile(f"[{_CJK}]")
#: A name written in parts: a name separator (or an ASCII full stop) between two Chinese characters, or a
#: hyphen as in 让-保罗·萨特 (the hyphen is not removed by `normalize`: elsewhere it separates words).
_NAME_IN_PARTS = re.compile(f"(?<=[{_CJK}])\\s*[.{NAME_SEPARATORS}\\-\u2010\u2011]\\s*(?=[{_CJK}])")


@lru_cache(maxsize=1)
def _converter():  # noqa: ANN202 — opencc's type
    import opencc  # imported on first use: loading the dictionaries takes a moment

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """`text` with traditional Chinese characters converted to simplified ones (OpenCC `t2s`)."""
    if not _HAS_CJK.search(text):
        return text
    return _converter().convert(text)


def is_name_in_parts(text: str) -> bool:
    """Whether `text` (as typed) writes a name in parts, with a name separator between Chinese characters
    (阿卜杜·热合曼, 阿卜杜・热合曼, 阿卜杜.热合曼, 让-保罗): a transliterated name, which search reads with
    name readings (kb.search.pinyin) — what `normalize` removes, so ask before normalising."""
    return bool(_NAME_IN_PARTS.search(unicodedata.normalize("NFKC", text or "")))


def _separators(text: str) -> str:
    if not _SEPARATOR.search(text) and "." not in text:
        return text
    return _SEPARATOR.sub(" ", _SEPARATOR_IN_CJK.sub("", text))


def normalize(text: str) -> str:
    """`text` under every rule of this module: NFKC, case folding, traditional → simplified, name
    separators. Idempotent: normalize(normalize(x)) == normalize(x)."""
    if not text:
        return ""
    if text.isascii():
        return _separators(text.lower())
    folded = unicodedata.normalize("NFKC", text).casefold()
    # Case folding can produce new compatibility forms (rarely): a second NFKC keeps this idempotent.
    folded = _FORMAT.sub("", unicodedata.normalize("NFKC", folded))
    return _separators(to_simplified(folded))


@lru_cache(maxsize=50_000)
def _char_form(char: str) -> str:  # one character, or one with its combining marks
    if _FORMAT.match(char):
        return ""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", char).casefold())


def normalize_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """`normalize(text)` (up to a rare difference in combining sequences), and for each of its characters
    the index in `text` of the character it came from; None when the two align one to one."""
    if not text:
        return "", None
    if text.isascii():
        lowered = text.lower()
        if "." not in lowered or not _SEPARATOR_IN_CJK.search(lowered):
            return lowered, None
    else:
        lowered = unicodedata.normalize("NFKC", text).casefold()
        lowered = unicodedata.normalize("NFKC", lowered)
    # Same length: each character gave one (full-width forms, case): the text aligns with its source.
    # (An expansion and a contraction could cancel out; then only highlighting would be a little off.)
    if len(lowered) == len(text) and not _FORMAT.search(lowered):
        out, offsets = to_simplified(lowered), None
        if len(out) != len(lowered):
            out, offsets = _per_char(text)
    else:
        out, offsets = _per_char(text)
    if _SEPARATOR.search(out) or ("." in out and _SEPARATOR_IN_CJK.search(out)):
        out, offsets = _drop_separators(out, offsets)
    return out, offsets


def _per_char(text: str) -> tuple[str, list[int]]:
    parts: list[str] = []
    offsets: list[int] = []
    for i, char in _clusters(text):
        form = _char_form(char) if not char.isascii() else char.lower()
        if form and _HAS_CJK.search(form):
            converted = to_simplified(form)
            form = converted if len(converted) == len(form) else form
        parts.append(form)
        offsets.extend([i] * len(form))
    return "".join(parts), offsets


def _clusters(text: str) -> list[tuple[int, str]]:
    """(start, characters) of each base character with the combining marks after it."""
    out: list[tuple[int, str]] = []
    for i, char in enumerate(text):
        if out and unicodedata.combining(char):
            out[-1] = (out[-1][0], out[-1][1] + char)
        else:
            out.append((i, char))
    return out


def _drop_separators(text: str, offsets: list[int] | None) -> tuple[str, list[int]]:
    source = offsets if offsets is not None else list(range(len(text)))
    dropped = {i for m in _SEPARATOR_IN_CJK.finditer(text) for i in range(m.start(), m.end())}
    chars: list[str] = []
    kept: list[int] = []
    for i, char in enumerate(text):
        if i in dropped:
            continue
        chars.append(" " if _SEPARATOR.match(char) else char)
        kept.append(source[i])
    return "".join(chars), kept
