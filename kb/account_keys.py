"""The normalised search key of an account, kept in step with its names in one place.

`Account.search_key` holds `normalize(name + name_en + aliases)` (kb.textnorm), one name per line, so the
account list filter (`/accounts?q=`, `GET /api/v1/accounts?q=`) can match a normalised query with a plain
`LIKE` on every database: SQLite's `lower()` folds only ASCII, and neither database knows traditional and
simplified Chinese are the same. A mapper event sets the key on every insert and update, whoever writes
the account (services, the demo loader, imports, tests); migration 0005 fills existing rows with
`account_search_key` too. `Account.sort_key` (the name's pinyin, for the list's order) is kept the same way,
filled by migration 0006.

`Account.pinyin_key` is the account's word key (`account_word_key`): the Latin/digit words of its names
under the forms search indexes them by (s/4hana, s/4, hana), a line break, then the pinyin forms search
finds it by (the account document's `pinyin` field, kb.search.documents.account_pinyin: runs of full
syllables, initials of whole names), each with a space on both sides, so a `LIKE` matches a whole word or
the start of one (of a pinyin form only, without `*`). The one rule for "a query matches an account's
names" is `account_name_clause` (documented there, in docs/api.md and README.md): it agrees with search
on names; quoted phrases are kb.account_phrases. Filled by migration 0020, refilled by 0023 and 0024.
A change to the pinyin rule (kb.search.pinyin) that rebuilds the index (SCHEMA_VERSION) needs a
migration that refills this key the way 0020 does, or the list and search drift apart for accounts not
saved since.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, event, false, or_

from models import Account

from .account_phrases import phrase_pattern
from .account_query import ListTerm, list_query_clause, query_message, read_list_query
from .inputs import CONTROL_CHARACTERS, INVISIBLE
from .search.analysis import _TOKENS as _SEARCH_TOKENS  # (search's own word rule: one rule, one place)
from .search.analysis import without_accents
from .search.documents import account_pinyin
from .search.pinyin import folded_pinyin, pinyin_spellings, umlaut_pinyin
from .search.query import (MIN_LITERAL_PREFIX, PINYIN_PREFIX_MIN, ime_quotes, ime_to_ascii, left_out_message,
                           literal_weight, too_short_message, too_short_prefixes)
from .search.queryforms import word_then_number
from .search.querytidy import short_glued_prefixes
from .search.wordforms import apostrophe_words, index_forms, is_compound
from .textnorm import normalize

#: At most this many words in a list filter query (two LIKEs a word at most: bounded work); more is refused
#: with a message (`query_problem`), not silently matched as nothing.
MAX_QUERY_WORDS = 8
#: At most this many characters in a list filter query (search's own bound).
MAX_QUERY_LENGTH = 200
#: Quotation marks (ASCII and what input methods type): a filter has no phrases, so they separate words.
_QUOTES = re.compile("[\"\u201c\u201d\u2018\u2019\u300c\u300d\u300e\u300f\u301d\u301e\u301f\uff02"
                     "\u201e\u00ab\u00bb]")
#: Punctuation around a word that is not part of it: `(ECMC)`, `Co.,` → ecmc, co; a leading dot (.net) and
#: a trailing + or # (c++, c#) stay, as search keeps them.
_WORD_EDGES = re.compile(r"^[^\w.]+|[^\w+#]+$")
_CJK_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAS_CJK = re.compile(f"[{_CJK_CHARS}]")
#: Runs of one script in a query word: Chinese characters, or anything else (Latin, digits, punctuation):
#: "huadong移动" → huadong, 移动 (each a word, as search splits them).
_SCRIPT_RUNS = re.compile(f"[{_CJK_CHARS}]+|[^{_CJK_CHARS}]+")
#: What joins the Latin/digit parts of one typed word (East-China, ECMC/Suzhou, YX_Mart, 58–tongcheng).
_JOINER = re.compile(r"(?<=[^\W_])[-/_\u2013]+(?=[^\W_])")
#: A word that may be a pinyin form (what the pinyin field holds: ASCII letters and digits).
_PINYIN_WORD = re.compile(r"[a-z0-9]{2,}")


def account_search_key(name: str | None, name_en: str | None, aliases: Any) -> str:
    """The normalised names of an account, one per line (aliases that are not text are left out)."""
    names = [name or "", name_en or "", *(a for a in (aliases or []) if isinstance(a, str))]
    return "\n".join(normalize(n).strip() for n in names if n and n.strip())


def account_sort_key(name: str | None) -> str:
    """The name's pinyin in lower case, a space, then the name: 长沙银行 → "changshayinhang 长沙银行".

    Ordering by it puts Chinese names in pinyin order (长沙 before 华东), as a reader expects, rather
    than in code point order; the name after the pinyin keeps homophones apart in a stable order.
    """
    from pypinyin import lazy_pinyin  # imported on first use: its dictionaries take a second to load

    name = (name or "").strip()
    return f"{''.join(lazy_pinyin(name)).lower().replace(' ', '')} {name}"


def account_pinyin_key(name: str | None, aliases: Any) -> str:
    """The pinyin forms of the name and aliases with a space around each, or "" when they have none:
    长沙银行 → " changshayinhang changsha shayinhang … yinhang hang csyh "
    (kb.search.documents.account_pinyin)."""
    forms = account_pinyin(name, aliases)
    return f" {forms} " if forms else ""


def _as_typed(word: str) -> str:
    return word


def name_words(text: str) -> list[str]:
    """The Latin/digit words of a name (normalised) under the forms search indexes them by (its analyser's
    words, kb.search.analysis; a compound under every form of kb.search.wordforms.index_forms, unstemmed:
    whole, written together, every run of its parts and a run with a letter written together, but no part
    of one letter or digit):
    "S/4HANA 5G" → ["s/4hana", "s4hana", "s/4", "4hana", "hana", "s4", "5g"]; "iPhone15" → ["iphone15",
    "iphone", "15"]; "Wi-Fi6" has "wifi"; "Galaxy-1.5" has "1.5" but not "5" (search finds it by neither `5`
    nor `Galaxy 5`); a word with accents also without them ("Électricité" → ["électricité", "electricite"],
    kb.search.analysis.without_accents); words joined by an apostrophe also together ("O'Neil" → ["o",
    "neil", "oneil"], kb.search.wordforms.apostrophe_words)."""
    words: list[str] = []
    normal = normalize(text or "")
    for match in _SEARCH_TOKENS.finditer(normal):
        word = match.group("word")
        for form in (word, without_accents(word)) if word else ():  # électricité also as electricite
            if form:
                words += index_forms(form, _as_typed) if is_compound(form) else [form]
    for _start, _end, joined in apostrophe_words(normal):  # l'oréal also as loréal, loreal
        words += [form for form in (joined, without_accents(joined)) if form]
    return words


def account_word_key(name: str | None, name_en: str | None, aliases: Any) -> str:
    """What a Latin or digit query word is matched against: the words of the name, English name and
    aliases (`name_words`), a line break, then the pinyin forms (`account_pinyin_key`), each with a space
    on both sides: ("长沙银行", "Bank of Changsha", []) → " bank of changsha \n chang changsha … csyh ".
    (The line break tells the forms apart: only they are matched by a word's start without `*`.)"""
    names = [name or "", name_en or "", *(a for a in (aliases or []) if isinstance(a, str))]
    words = " ".join(dict.fromkeys(w for n in names for w in name_words(n)))
    forms = account_pinyin_key(name, aliases)
    if not forms:
        return f" {words} " if words else ""
    return f" {words} \n{forms}" if words else f" \n{forms}"


def query_words(q: str) -> list[str]:
    """The words of a list filter query, as search separates them (kb.search.query.ime_to_ascii:
    whitespace, IME and ASCII punctuation between words, a dash next to a Chinese character; quotes are
    dropped) and normalised (kb.textnorm); punctuation around a word is dropped, tokens such as s/4hana,
    c++ and 1.5 stay whole; Latin and Chinese typed together are split where the script changes; a repeated
    word once: "华东，移动" → ["华东", "移动"]; "“华东移动”" → ["华东移动"]; "仁和Renhe" → ["仁和", "renhe"];
    "AT & T" → ["at&t"] (a one-letter word beside `&` joined, kb.search.queryforms.join_ampersand)."""
    return list(dict.fromkeys(_typed_words(q)))


def _typed_words(q: str) -> list[str]:
    """`query_words` with repeats."""
    text = ime_to_ascii(_QUOTES.sub(" ", unicodedata.normalize("NFKC", q or "")))
    words = (_starred(run) for w in normalize(text).split() for run in _SCRIPT_RUNS.findall(w))
    return [w for w in words if w]


_STAR = re.compile(r"\*[^\w*]*$")


def _starred(run: str) -> str:
    """A typed word without the punctuation around it, a Latin one ending in `*` with its one star (a
    prefix, as in search); a Chinese word with `*` is the word (search finds the same for both)."""
    word, star = _WORD_EDGES.sub("", run), _STAR.search(run)
    if not word or not star or _HAS_CJK.search(word):
        return word
    # (what stood before the star, as search takes it: `1.*` is the start "1."; `ecm**` the start "ecm")
    head = _WORD_EDGES.sub("", run[:star.start()] + "a")[:-1].rstrip("*")
    return f"{head}*" if head else ""


def joined_parts(word: str) -> list[str]:
    """The Latin/digit parts of a query word joined by `-`, `/`, `_` or `–` ("east-china" → ["east",
    "china"]; "s/4hana" → ["s", "4hana"]), or [] when it has none or over MAX_QUERY_WORDS of them."""
    parts = [p for p in (_WORD_EDGES.sub("", p) for p in _JOINER.split(word)) if p]
    return parts if 1 < len(parts) <= MAX_QUERY_WORDS else []


def _without_short_prefixes(q: str) -> tuple[str, list[str]]:
    """`q` without the one-character prefixes search leaves out (`华东 y*` → `华东`, `华东移动E*` → `华东移动`:
    kb.search.querytidy.short_glued_prefixes, after the same NFKC and IME quotes), and those prefixes as
    typed; a query of such prefixes only (`y*`) is kept, and refused by `query_problem`."""
    return short_glued_prefixes(unicodedata.normalize("NFKC", ime_quotes(q or "")))


def query_notice(q: str | None) -> str | None:
    """What the list says about how it read filter query `q` (translated; None: nothing to say, no `q`, or
    a `q` it refuses — `query_problem` says why), as search says it: a one-letter prefix beside other words
    left out (kb.search.query.left_out_message: `华东 y*` → "y* was left out of the search: …"), then how
    the rest was read (kb.account_query.query_message: `华为 or 中兴` read as OR, no words to find, …).
    The page shows it above the list; the API gives it as the page's `message`, as search's API does."""
    if not q or query_problem(q):
        return None
    kept, left = _without_short_prefixes(q)
    notes = (left_out_message(left), query_message(kept))
    return " ".join(n for n in notes if n) or None


def query_problem(q: str) -> str | None:
    """Why the list filter refuses query `q` (translated, for the field), or None when it takes it:
    over MAX_QUERY_LENGTH characters, a control character (it would match nothing any reader typed), over
    MAX_QUERY_WORDS words, or a prefix of fewer than MIN_LITERAL_PREFIX letters that search does not just
    leave out (`y*` alone: search refuses it too; several, `E* M*`, are named in one sentence). The page
    shows the message and ignores the filter; the API answers 422."""
    if len(q or "") > MAX_QUERY_LENGTH:
        return _("At most %(n)d characters.", n=MAX_QUERY_LENGTH)
    found = CONTROL_CHARACTERS.search(q or "")
    if found:
        return _("Remove the control character U+%(code)04X (at character %(position)d) from the search.",
                 code=ord(found.group()), position=found.start() + 1)
    # (AND, OR, NOT and a minus sign are no words: kb.account_query; `华东 y*`: 华东, as search)
    words = read_list_query(_without_short_prefixes(q)[0]).words
    if len(words) > MAX_QUERY_WORDS:
        return _("Type at most %(n)d words.", n=MAX_QUERY_WORDS)
    short = [w for w in words if w.endswith("*") and literal_weight(w) < MIN_LITERAL_PREFIX]
    named = too_short_prefixes(unicodedata.normalize("NFKC", ime_quotes(q))) if short else []
    if len(named) > 1:  # `E* M*`: one sentence naming them all, as search says it (kb.search.shortprefix)
        return too_short_message(named, list_filter=True)
    if any(ch.isdigit() for w in short for ch in w):  # search's rule; the list has no dates nor `?`
        return _("This filter is too broad: put at least two letters or digits (or one Chinese "
                 "character) before *.")
    if short:
        return _("This filter is too broad: put at least two letters (or one Chinese character) before *.")
    return None


def _word_clause(word: str) -> ColumnElement[bool]:
    """One normalised query word (`query_words`): with Chinese characters, part of a name
    (`Account.search_key`); else cut into words as search's analyser cuts it (`RS-.NET` → rs, .net;
    `C#/Ruisi` → c#, ruisi), each of which must match (`_one_word`), a final `*` on the last."""
    if _HAS_CJK.search(word):
        return Account.search_key.contains(word, autoescape=True)
    star, word = word.endswith("*"), word.rstrip("*")
    spellings = _pinyin_spellings(word, star)  # lüdi, lyudi, ludi: also as lvdi (kb.search.pinyin), as search
    if not umlaut_pinyin(word, prefix=star):  # (lü is pinyin, not the Latin word lu: umlaut_pinyin)
        word = without_accents(word) or word  # as search looks an accented word up (kb.search.analysis)
    others = [s for s in spellings if s != word]
    if others:
        typed = _typed_word_clause(word, star)
        return or_(typed, *(_prefix_clause(s) if star else _latin_clause(s) for s in others))
    return _typed_word_clause(word, star)


def _pinyin_spellings(word: str, star: bool) -> tuple[str, ...]:
    """The pinyin spellings search looks a query word up under (kb.search.pinyin.pinyin_spellings of its
    folded_pinyin: `lüdi`, `lyudi` → lvdi; `ludi` → ludi, lvdi), or () when it cannot be pinyin; with
    `star`, the word before a `*`, which may end inside a syllable (`lüd` → lvd, `zēngzh` → zengzh)."""
    folded = folded_pinyin(word, prefix=star)
    return pinyin_spellings(folded) if folded and _PINYIN_WORD.fullmatch(folded) else ()


def _typed_word_clause(word: str, star: bool) -> ColumnElement[bool]:
    tokens = [m.group() for m in _SEARCH_TOKENS.finditer(word) if m.group("word")]
    if len(tokens) > 1:
        return and_(*(_one_word(t, star and i == len(tokens) - 1) for i, t in enumerate(tokens)))
    return _one_word(word, star)


def _one_word(word: str, star: bool) -> ColumnElement[bool]:
    """One Latin/digit word: a whole word of a name or a pinyin form (`Account.pinyin_key`), or the start
    of a pinyin form from PINYIN_PREFIX_MIN characters (`_latin_clause`); with `star`, the start of any
    of them (as search's `eas*`; the views refuse a star after fewer than MIN_LITERAL_PREFIX letters). A
    word of joined parts (`joined_parts`) also when its parts match, each as a word, or they match written
    together (east-china → "East China", "EastChina"), with `star` the last part a start
    (`East-Chi*` → "China East", as search's joined_prefix); a word starting with a dot (.com) also
    without it ("58.com" has the word com); a word joined by `&` also as the phrase of its parts (`at&t` →
    "AT & T", kb.search.queryforms; `AT & T` typed is `at&t`, `query_words`); letters and a number typed
    together (`iphone16`) also as those words next to each other ("iPhone 16",
    kb.search.queryforms.word_then_number)."""
    parts = joined_parts(word)
    if star:
        if not parts:
            return _prefix_clause(word)
        last = [and_(*map(_latin_clause, parts[:-1]), _prefix_clause(parts[-1]))] \
            if len(parts[-1]) >= MIN_LITERAL_PREFIX else []
        return or_(_prefix_clause(word), _prefix_clause("".join(parts)), *last)
    if parts:
        return or_(_latin_clause(word), _latin_clause("".join(parts)), and_(*_parts_apart(parts)))
    if word.startswith(".") and word[1:].isalnum():
        return or_(_latin_clause(word), _latin_clause(word[1:]))
    amp = [p for p in word.split("&") if p]
    if len(amp) > 1 and all(p.isalnum() for p in amp):  # at&t also as the phrase "at t", as search does
        return or_(_latin_clause(word), Account.search_key.regexp_match(phrase_pattern(amp)))
    if (apart := word_then_number(word)) is not None:  # iphone16 also "iPhone 16", as search's phrase
        return or_(_latin_clause(word), _phrase_clause(list(apart)))
    return _latin_clause(word)


def _parts_apart(parts: list[str]) -> list[ColumnElement[bool]]:
    """The parts of a joined word each as a word (any order), but a part of one letter, which is no word
    of its own (search indexes none, kb.search.wordforms), written together with its neighbour either way:
    `Commerce-E` → commerce AND (ecommerce OR commercee), so it finds "E-Commerce" (indexed also as
    ecommerce), as search does, and `China-Q` finds no "China"."""
    clauses = []
    for i, part in enumerate(parts):
        if len(part) > 1:
            clauses.append(_latin_clause(part))
            continue
        near = parts[i + 1] if i + 1 < len(parts) else parts[i - 1]
        clauses.append(or_(_latin_clause(part + near), _latin_clause(near + part)))
    return clauses


def _latin_clause(word: str) -> ColumnElement[bool]:
    """A whole word of `Account.pinyin_key`, or from PINYIN_PREFIX_MIN characters the start of a pinyin
    form (after the key's line break: `yinh` → yinhang; `mobi` is not the start of the word Mobile, as in
    search, which widens only pinyin to a prefix)."""
    whole = Account.pinyin_key.contains(f" {word} ", autoescape=True)
    if len(word) < PINYIN_PREFIX_MIN:
        return whole
    escaped = word.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return or_(whole, Account.pinyin_key.like(f"%\n% {escaped}%", escape="/"))


def _prefix_clause(word: str) -> ColumnElement[bool]:
    """The start of any word of `Account.pinyin_key` (a name's word or a pinyin form)."""
    return Account.pinyin_key.contains(f" {word}", autoescape=True)


def account_name_clause(q: str) -> ColumnElement[bool] | None:
    """The list filter's condition for what a reader typed (None: `q` is blank or invisible; a query of
    punctuation only matches nothing). The one rule for "a query matches an account's names":

    - `q` is split into words the way search splits it and normalised (`query_words`); every word must
      match (AND, as search);
    - a word with Chinese characters matches as part of a name, English name or alias (东移 → 华东移动);
    - a Latin/digit word is a whole word of a name, English name or alias (`name_words`: `ecmc`, `bank`,
      `hana`, `s/4` in YT-S/4HANA, `ecommerce` for E-Commerce — the forms search indexes; not `5` in
      Galaxy-1.5) or a whole pinyin form search finds the account by (`zgyd`, `yinhang`, `hua`,
      `58tongcheng`); from PINYIN_PREFIX_MIN characters also the start of a pinyin form (`changsha`,
      `huad`) but not of an English word (`mobi`, `chin`: search widens only pinyin). So `hua`, `he`, `ma`
      never match the inside of "Chuanyu", "Northern", "Email", and `angsha` (inside a form) matches
      nothing — as in search;
    - a Latin word ending in `*` is the start of any word or form, from MIN_LITERAL_PREFIX letters
      (`eas*`, `mob*`, `zgy*`; `query_problem` refuses `e*` with search's message); a Chinese word with
      `*` is the word (`华东移动*`);
    - a company form ending a Chinese word or a run of Latin words is left out, as search leaves it out
      (kb.search.querytext.drop_company_forms: `华东移动有限公司` → 华东移动, `Renhe Healthcare Group Co.,
      Ltd.` → renhe, healthcare); accents never count (`Élec*`, `"Électricité de France"`);
    - a word mixing Latin and Chinese is split where the script changes (`huadong移动` → huadong, 移动);
      a Latin word is cut as search's analyser cuts it (`RS-.NET` → rs, .net; `C#/Ruisi`); Latin/digit
      parts joined by `-`, `/`, `_`, `–` match as the whole word (S/4HANA, SD-WAN), written together
      (EastChina) or each as a word in any order (`ECMC/Suzhou` → "ECMC Suzhou Branch"; a one-letter part
      written together with its neighbour: `Commerce-E`); with `*`, the last part a start (`East-Chi*`);
      `.com` also matches the word com ("58.com"); `AT & T` is the word `at&t` (as search reads it), which
      matches "AT&T" or "AT & T";
    - a one-letter or one-digit prefix beside other words (`华东 y*`, `华东移动E*`) is left out, as search
      leaves it out (`query_notice` says so); alone (`y*`) it is refused (`query_problem`);
    - a quoted phrase (kb.account_phrases) matches a name, English name or alias with its words next to
      each other in that order (`"East China"`, not `"China East"`), or — Latin words only — its words
      written together as a word (`"chang sha"` → changsha, as search's phrase variants); one word in
      quotes is that word. An unclosed quote's words are words, as search reads them.

    - `OR`, `AND`, `NOT` (also `or`, `and`, `not` between words, and `-word`) combine terms as in
      search (kb.account_query): `ECMC OR 南方电信`, `ECMC NOT 苏州`, `华为 -中兴`.

    At most MAX_QUERY_WORDS words are used (the views refuse more with `query_problem`).
    """
    kept = _without_short_prefixes(q)[0]  # `华东 y*`: 华东, as search (query_notice)
    clause = list_query_clause(read_list_query(kept), _term_clause, MAX_QUERY_WORDS)
    if clause is None:
        return None if not INVISIBLE.sub("", q or "").strip() else false()
    return clause


def _term_clause(term: ListTerm) -> ColumnElement[bool]:
    """One term of a list query (kb.account_query): a quoted phrase, or every word of a typed word."""
    if term.phrase:
        return _phrase_clause(term.words)
    return and_(*map(_word_clause, term.words)) if len(term.words) > 1 else _word_clause(term.words[0])


def _phrase_clause(words: list[str]) -> ColumnElement[bool]:
    """A quoted phrase's normalised words (`phrase_words`): in order in one name, or one word."""
    if len(words) == 1:
        return _word_clause(words[0])
    in_order = Account.search_key.regexp_match(phrase_pattern(words))
    if any(_HAS_CJK.search(w) for w in words):
        return in_order
    return or_(in_order, _latin_clause("".join(without_accents(w) or w for w in words)))


def _set_key(_mapper: Any, _connection: Any, account: Account) -> None:
    account.search_key = account_search_key(account.name, account.name_en, account.aliases)
    account.sort_key = account_sort_key(account.name)
    account.pinyin_key = account_word_key(account.name, account.name_en, account.aliases)


if not event.contains(Account, "before_insert", _set_key):
    event.listen(Account, "before_insert", _set_key)
    event.listen(Account, "before_update", _set_key)
