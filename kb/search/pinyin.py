"""Pinyin under which account and person names are found.

- **Full pinyin of every contiguous run of a name's syllables**: 长沙银行 → `changshayinhang`, `yinhang`,
  `shayin`, `chang`, … so `yinhang` finds it (a query is one word, not the syllables spelled apart).
- **Initials of the whole name** (`zgyd`), and of the name without its company form (`hdydtx` for
  华东移动通信有限公司, see `company_core`). Runs of initials inside a name are not indexed: measured on
  the demo names (`bench/pinyin_initials.py`), every token of this scheme finds exactly one record, while
  all runs of ≥ 3 initials would find up to 11 records with one token (≥ 2: up to 12).
- **Person names read as names**: a surname with a special reading as a surname (曾 zeng, 单 shan,
  仇 qiu, …; compound surnames 尉迟 yuchi, 万俟 moqi, …) is indexed under that reading *and* the common
  reading, so `zengzhiqiang`/`zzq` and `cengzhiqiang` both find 曾志强.
- **Names inside account names read as names too** (issue 7 §3, session 10), also beside the common
  reading: a name written in parts (阿卜杜·热合曼商贸, kb.textnorm.is_name_in_parts) is a transliterated
  name, its characters read as in names (卜 bu, not bo as in 萝卜: `abudureheman`); an account name that
  starts with a common polyphonic surname (ACCOUNT_SURNAMES: 曾氏集团 `zengshi`, 单县 `shanxian`, 翟氏
  `zhaishi`) or a compound one, unless it starts with a dictionary word (单位, 区域, 解放, 朴素, 查询 keep
  only the word's reading), is also read with the surname's reading. Characters that start place and brand
  names more often than they are read as surnames (黑龙江, 乐视, 行业, 能源, 重工) are not in
  ACCOUNT_SURNAMES, so `xingye` does not find 行业协会 as it finds 兴业银行.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from ..textnorm import is_name_in_parts, normalize

#: Readings of single-character surnames that differ from the character's common reading.
SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "仇": "qiu", "区": "ou", "查": "zha", "解": "xie", "朴": "piao",
    "覃": "qin", "盖": "ge", "乐": "yue", "缪": "miao", "翟": "zhai", "尉": "yu", "秘": "bi", "种": "chong",
    "繁": "po", "句": "gou", "谌": "chen", "员": "yun", "召": "shao", "祭": "zhai", "都": "du", "过": "guo",
    "能": "nai", "藏": "zang", "厍": "she", "折": "she", "薄": "bo", "宿": "su", "隗": "wei", "阚": "kan",
    "贲": "ben", "佴": "nai", "逄": "pang", "冼": "xian", "洗": "xian", "眭": "sui", "晟": "cheng",
    "黑": "he", "长": "chang", "行": "xing", "相": "xiang", "重": "chong", "柏": "bai", "叶": "ye",
    "沈": "shen", "任": "ren", "华": "hua", "燕": "yan", "纪": "ji", "鲜": "xian", "訾": "zi", "郇": "huan",
}
#: Compound surnames, with their readings as surnames.
COMPOUND_SURNAMES = {
    "尉迟": "yu chi", "万俟": "mo qi", "单于": "chan yu", "长孙": "zhang sun", "澹台": "tan tai",
    "乐正": "yue zheng", "仉督": "zhang du", "令狐": "ling hu", "欧阳": "ou yang", "司马": "si ma",
    "上官": "shang guan", "诸葛": "zhu ge", "皇甫": "huang fu", "慕容": "mu rong", "东方": "dong fang",
    "公孙": "gong sun", "夏侯": "xia hou", "宇文": "yu wen", "钟离": "zhong li", "轩辕": "xuan yuan",
    "南宫": "nan gong", "呼延": "hu yan", "赫连": "he lian", "端木": "duan mu", "申屠": "shen tu",
    "淳于": "chun yu", "闻人": "wen ren", "百里": "bai li", "太史": "tai shi", "公冶": "gong ye",
}
#: Readings of characters common in transcribed names (阿卜杜 abudu, 阿什拉夫 ashilafu) besides their
#: common one.
NAME_CHAR_READINGS = {"卜": "bu", "什": "shi"}
#: Surnames (of SURNAME_READINGS) whose surname reading an account name starting with them also gets: the
#: common polyphonic surnames whose character rarely starts a place or brand name under its other reading.
ACCOUNT_SURNAMES = frozenset("曾单仇区查解朴覃盖缪翟谌冼逄隗阚贲眭訾郇厍佴")
#: Company forms left out of the name whose initials are also indexed, longest first.
COMPANY_FORMS = ("股份有限公司", "有限责任公司", "集团有限公司", "集团股份公司", "有限公司", "股份公司",
                 "分公司", "集团", "公司")
#: Initials of a whole name count as the name itself (the exact-name bonus) from this many letters.
MIN_EXACT_INITIALS = 3
#: Runs of syllables are indexed for names up to this many syllables (longer: whole name and syllables).
MAX_RUN_SYLLABLES = 12
_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[a-z0-9]+")


def company_core(name: str) -> str:
    """`name` without a company form at its end (华东移动通信有限公司 → 华东移动通信)."""
    for form in COMPANY_FORMS:
        if name.endswith(form) and len(name) > len(form) + 1:
            return name[: -len(form)]
    return name


@lru_cache(maxsize=4096)
def _syllables(name: str) -> tuple[str, ...]:
    """The syllables of `name` (pypinyin's common reading), remembered: a name's forms (name_pinyin) and
    its whole pinyin (whole_pinyin) read the same name and its company core again, and pypinyin costs
    ~80 µs a name (`kb check-index` of 40,000 people spent 10 of its 24 s here)."""
    from pypinyin import lazy_pinyin  # imported on first use: its dictionaries take a second to load

    out: list[str] = []
    for item in lazy_pinyin(name):
        out += _WORD.findall(item.lower())
    return tuple(out)


def _person_readings(name: str, common: Sequence[str]) -> list[Sequence[str]]:
    """The common reading, then the reading as a name (surname, name characters) where it differs."""
    readings: list[Sequence[str]] = [common]
    if len(common) != len(name):
        return readings  # letters or digits in the name: no character-by-character readings
    as_name = list(common)
    compound = next((c for c in COMPOUND_SURNAMES if name.startswith(c)), None)
    if compound:
        as_name[:2] = COMPOUND_SURNAMES[compound].split()
    elif name[0] in SURNAME_READINGS:
        as_name[0] = SURNAME_READINGS[name[0]]
    for i, char in enumerate(name):
        if char in NAME_CHAR_READINGS and not (compound and i < 2):
            as_name[i] = NAME_CHAR_READINGS[char]
    if as_name != common:
        readings.append(as_name)
    return readings


def _starts_word(name: str) -> bool:
    """Whether `name` starts with a word of pypinyin's phrase dictionary (单位, 区域, 查询: read as that
    word, not as a surname and a name)."""
    from pypinyin.constants import PHRASES_DICT

    return any(name[:n] in PHRASES_DICT for n in range(2, min(len(name), 4) + 1))


def _account_readings(name: str, common: Sequence[str], in_parts: bool) -> list[Sequence[str]]:
    """The common reading, then the reading as a name where it differs (module doc): every character read
    as in names when the name is written in parts (`in_parts`), else a surname at the start as a surname."""
    readings: list[Sequence[str]] = [common]
    if len(common) != len(name):
        return readings  # letters or digits in the name: no character-by-character readings
    as_name = list(common)
    if in_parts:  # 阿卜杜·热合曼商贸 (a surname reading would misread 查尔斯·… as zha)
        as_name = [NAME_CHAR_READINGS.get(char, reading) for char, reading in zip(name, common)]
    elif compound := next((c for c in COMPOUND_SURNAMES if name.startswith(c)), None):
        as_name[:2] = COMPOUND_SURNAMES[compound].split()
    elif name[0] in ACCOUNT_SURNAMES and not _starts_word(name):
        as_name[0] = SURNAME_READINGS[name[0]]
    if as_name != list(common):
        readings.append(as_name)
    return readings


def _readings(raw: str, text: str, person: bool) -> list[Sequence[str]]:
    """The readings of `text` (normalised, without spaces; `raw`: the name as typed, which says whether it
    is written in parts): the common one first, then the reading as a name where it differs."""
    common = _syllables(text)
    if person:
        return _person_readings(text, common)
    return _account_readings(text, common, is_name_in_parts(raw))


def _runs(syllables: Sequence[str]) -> list[str]:
    if len(syllables) > MAX_RUN_SYLLABLES:
        return ["".join(syllables), *syllables]
    return ["".join(syllables[i:j]) for i in range(len(syllables)) for j in range(i + 1, len(syllables) + 1)]


@lru_cache(maxsize=20_000)
def name_pinyin(name: str, person: bool = False) -> tuple[str, ...]:
    """Every pinyin form `name` is found by (see the module doc); empty if it has no Chinese."""
    raw, name = name or "", normalize(name or "").replace(" ", "")
    if not _CJK.search(name):
        return ()
    forms: list[str] = []
    for syllables in _readings(raw, name, person):
        forms += _runs(syllables)
        forms.append("".join(s[0] for s in syllables))
    core = company_core(name)
    if core != name:  # 华东移动通信有限公司: hdydtx too (initials of the core only)
        forms += ["".join(s[0] for s in syllables) for syllables in _readings(raw, core, person)]
    return tuple(dict.fromkeys(f for f in forms if f))


@lru_cache(maxsize=20_000)
def whole_pinyin(name: str, person: bool = False) -> tuple[str, ...]:
    """The full pinyin of the whole of `name` (each reading, see `name_pinyin`) and of its company core:
    what someone saying the name types, written together or syllable by syllable (`hua dong yi dong`);
    and their initials when at least MIN_EXACT_INITIALS letters (`hdyd`).
    They go into a document's exact names (kb.search.documents.exact_names), so the record with that
    name ranks first, as it does for the name itself (issue 7 of session 8)."""
    raw, name = name or "", normalize(name or "").replace(" ", "")
    if not _CJK.search(name):
        return ()
    cores = [*_readings(raw, name, person), *_readings(raw, company_core(name), person)]
    forms = ["".join(syllables) for syllables in cores]
    # Initials of the whole name too (`hdyd`), from three letters: two (`hr`) are also English words.
    forms += [initials for s in cores if len(initials := "".join(x[0] for x in s if x)) >= MIN_EXACT_INITIALS]
    return tuple(dict.fromkeys(f for f in forms if f))


# --- pinyin as people type it: ü and tone marks (issue 7 §3, session 10) ------------------------------------

#: One pinyin syllable without its tone (permissive: every syllable matches, some non-syllables too): a word
#: with tone marks or ü is pinyin only if it is a run of these (`zēngzhìqiáng`, not `électricité`).
_SYLLABLE = re.compile(r"er|[ln]ve?|[jqxy]v(?:an|e|n)?|(?:[zcs]h|[bpmfdtnlgkhjqxrzcsyw])?"
                       r"(?:i?(?:ang|ong|ao|an|a|o|e|u)|uang|uai|uan|ua|uo|ui|ai|ei|ou|en|eng|ie|iu|in|ing"
                       r"|ia|i|un|ue|ueng)")
#: Longest syllable (`zhuang`).
_MAX_SYLLABLE = 6
#: At most this many spellings of one query word are looked up (`pinyin_spellings`).
MAX_SPELLINGS = 4
#: ü typed the ways people type it without the key, in the spelling pypinyin (and so the index) uses
#: (`lv`, `lve`, `nv`, `nve`; after j, q, x, y ü is written u: `ju`, `xue`): passports' `lyu`/`nyu`
#: (no syllable ends in l; `nyu` only at the start: `tianyu` is tian-yu), `lue`/`nue` (no syllable is
#: lue or nue), and a v typed after j, q, x, y.
_UMLAUT_SPELLINGS = ((re.compile(r"lyu"), "lv"), (re.compile(r"^nyu"), "nv"),
                     (re.compile(r"(?<=[ln])ue"), "ve"), (re.compile(r"(?<=[jqxy])v"), "u"))
#: What every rule here needs (a quick check first).
_UMLAUT_HINT = re.compile(r"[ln][uy]|[jqxy]v")
#: `lu`, `nu` where ü may have been typed as u (`luwei` for 吕伟 lvwei): not before a vowel or n (luo,
#: luan, lun are syllables of their own) — and a `nyu` inside a word (`anyu`: an-yu or a-nyu).
_MAYBE_UMLAUT = re.compile(r"(?<=[ln])u(?![aeiou]|n)|(?<=n)yu")


@lru_cache(maxsize=1)
def _syllable_starts() -> frozenset[str]:
    """Every start of a pinyin syllable (`z`, `zh`, `zhu`, `zhua`, …, `lv`): the syllables `_SYLLABLE`
    takes, made of an initial and a final, and their beginnings."""
    initials = ("", "zh", "ch", "sh", *"bpmfdtnlgkhjqxrzcsyw")
    finals = ("a", "o", "e", "i", "u", "v", "ai", "ei", "ao", "ou", "an", "en", "ang", "eng", "ong", "er",
              "ia", "io", "ie", "iu", "in", "iao", "ian", "ing", "iang", "iong", "ua", "uo", "ui", "un",
              "ue", "uai", "uan", "uang", "ueng", "ve", "vn", "van")
    syllables = {i + f for i in initials for f in finals if _SYLLABLE.fullmatch(i + f)}
    return frozenset(s[:n] for s in syllables for n in range(1, len(s) + 1))


def is_pinyin(word: str, prefix: bool = False) -> bool:
    """Whether `word` (ASCII, lower case) is a run of pinyin syllables (`_SYLLABLE`); with `prefix`, the
    start of one (a run of syllables, then the start of another or nothing: `zengzh`, `lvw`, `huad`), as
    a prefix query's word is (`zēngzh*`)."""
    if not word or len(word) > 60:
        return False
    ends = [True] + [False] * len(word)  # ends[i]: word[:i] is a run of syllables
    for i in range(len(word)):
        if ends[i]:
            if prefix and len(word) - i <= _MAX_SYLLABLE and word[i:] in _syllable_starts():
                return True
            for j in range(i + 1, min(len(word), i + _MAX_SYLLABLE) + 1):
                if not ends[j] and _SYLLABLE.fullmatch(word, i, j):
                    ends[j] = True
    return ends[-1]


#: A run of letters other than Chinese characters (a word as typed: `lǚwei`, `électricité`).
_LETTERS = re.compile(r"[^\W\d_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _folded_word(word: str, prefix: bool) -> str | None:
    if word.isascii():
        return word
    from .analysis import without_accents  # (analysis imports this module)

    spelled = unicodedata.normalize("NFD", word).replace("u\u0308", "v")
    bare = spelled if spelled.isascii() else without_accents(spelled)
    return bare if bare is not None and is_pinyin(bare, prefix) else None


@lru_cache(maxsize=4096)
def folded_pinyin(text: str, prefix: bool = False) -> str | None:
    """`text` (normalised: lower case) with pinyin's marks as the index holds them: ü (with or without a
    tone mark) as v, as pypinyin spells it (`lǚ`, `lü` → `lv`, `lüe` → `lve`), other tone marks dropped
    (`chóu` → `chou`, `zēng zhìqiáng` → `zeng zhiqiang`) by search's one accent rule
    (kb.search.analysis.without_accents, which folds `müller` → `muller` in the text fields). Words without
    marks (and Chinese) are left as they are; None when a word with marks is not a run of pinyin syllables
    once folded (`électricité`, `müller`: European words, found in the text fields) or keeps other marks.
    With `prefix`, `text` is what stands before a prefix's `*` (or around a wildcard's): a word may end
    inside a syllable (`lǚw` → `lvw`, `zēngzh` → `zengzh`; `is_pinyin`'s prefix)."""
    if text.isascii():
        return text
    words = {w: _folded_word(w, prefix) for w in _LETTERS.findall(text)}
    if any(f is None for f in words.values()):
        return None
    return _LETTERS.sub(lambda m: words[m.group()] or "", text)


def umlaut_pinyin(word: str, prefix: bool = False) -> bool:
    """Whether `word` (normalised) is pinyin typed with ü (`lü`, `lǚwei`, `chulüe`; with `prefix`, the
    start of such pinyin: `lüw` of `lüw*`): looked up as pinyin (lv, lvwei, chulve), not also as the Latin
    word without accents (`lu`, which would find 卢 and the English name Lu Yan; `müller`, `über` are no
    pinyin and are still looked up as `muller`, `uber`)."""
    return "\u0308" in unicodedata.normalize("NFD", word) and folded_pinyin(word, prefix) is not None


@lru_cache(maxsize=4096)
def pinyin_spellings(word: str) -> tuple[str, ...]:
    """The forms a pinyin query word (`folded_pinyin`'s: ASCII, lower case) is looked up under, best first:
    the word in the index's spelling of ü (`_UMLAUT_SPELLINGS`: `lyuwei` → `lvwei`, `chulue` → `chulve`),
    then, as lesser matches, with a `lu`/`nu` (or a `nyu` inside the word) that may be ü typed without
    the key written as v (`luwei` → `luwei`, `lvwei`: 卢伟 and 吕伟). At most MAX_SPELLINGS forms."""
    if not _UMLAUT_HINT.search(word):
        return (word,)  # (most words: nothing to spell another way)
    first = word
    for pattern, spelling in _UMLAUT_SPELLINGS:
        first = pattern.sub(spelling, first)
    spots = [m for m in _MAYBE_UMLAUT.finditer(first)][:2]  # (two places: four spellings at most)
    forms = [first]
    for chosen in range(1, 2 ** len(spots)):
        out, last = [], 0
        for k, m in enumerate(spots):
            if chosen >> k & 1:
                out += [first[last:m.start()], "v"]
                last = m.end()
        forms.append("".join(out) + first[last:])
    return tuple(dict.fromkeys(forms))[:MAX_SPELLINGS]
