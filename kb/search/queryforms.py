"""Query words written another way than the text (issue 7 of session 8, kinds 1 and 2).

- **Latin words joined by a hyphen or slash** (`East-China`, `ECMC/Suzhou`, `SD-WAN`): the text may have
  them apart or together ("East China", "EastChina"). The indexed compound (`east-china`, at one position)
  is found by its whole form; a query word is looked up under that whole form only, so it also becomes
  the phrase of its parts and the parts written together: `east-china OR "east china" OR eastchina`.
  Other dashes between letters are a hyphen there (`East–China`, `latin_hyphens`).
  Words with digits or dots (`S/4HANA`, `1.5`, `example.com`, `C++`) are left as they are: they find
  their whole token, and their parts are indexed too (kb.search.wordforms).
- **One letter and a number** (`700M`, `V5.2.1`): its one-letter part is not indexed on its own inside
  the compound (one letter would find everything), so the text "700 M" is found by the phrase
  `"700 m"`; and what people type apart (`700 M`, `V 5.2.1`) is written together in the query first
  (`join_letter_and_number`), so it finds "700M" — not every text with 700 in it.
- **Joined parts in any order** (issue 7 of session 9, kind 2): a word of Latin/digit parts joined by `-`,
  `/`, `_` (with a letter in it: `Suzhou-ECMC`, `58-tongcheng`, `S/4HANA`; not a date such as
  `2026-11-30`) also finds its parts each as a word, in any order (`suzhou AND ecmc` finds "ECMC Suzhou
  Branch"), as the account list filter matches them (kb.account_keys.joined_parts). Inside a quoted phrase
  the order is kept (a phrase is ordered). A part may be a number with dots or have accented letters
  (`1.5-Galaxy`, `France-Électricité`; issue 7 of session 9, tester's defect 5), and a part of one
  character stays with its neighbour, as the index holds it (`YT-S/4HANA` → `yt AND s/4hana`).
- **An ampersand typed with spaces** (`AT & T`, `R & D`, `P & G`; issue 7 §2, session 10): a one-letter
  part is no word of the index inside the compound `at&t`, so `at AND t` found nothing; a word of one
  letter or digit beside `&` is written joined to its neighbour first (`join_ampersand`: `AT&T`), and a
  word joined by `&` is also looked for as the phrase of its parts (`at&t OR "at t"`), which finds the
  text "AT & T" too. `Johnson & Johnson` (no one-letter side) stays two words.
- **A prefix of joined parts** (`East-Chi*`, `joined_prefix`): also written together (`eastchi*`) and as
  its parts (`east AND chi*`).
- **Latin and Chinese typed together** (`移动ECMC`, `huadong移动`, `58同城`) are separate words, split where
  the script changes (`split_scripts`), each of which must match — as the list filter splits them; a
  field prefix keeps both (`title:移动ECMC` → `title:(移动 ECMC)`), and a prefix stays on its part
  (`华东移动Ec*` → `华东移动 Ec*`). Inside quotes nothing is split.
- **Inside a quoted phrase** the same holds (`phrase_variants`): `"East China" pilot` finds "East-China
  pilot" and `"700M 带宽"` finds "700 M 带宽" (and the reverse): the phrase is also looked for with two
  neighbouring Latin words or numbers written together, and with a joined word or a letter–number word
  written apart.
"""
from __future__ import annotations

import re

from whoosh import query as wq

from .analysis import CJK_CHARS, stem_word

#: A query word of letters joined by hyphens, slashes or underscores (normalised: lower case): at most this many parts.
_JOINED = re.compile(r"[^\W\d_]+(?:[-/_][^\W\d_]+){1,3}")
_JOINERS = re.compile(r"[-/_]")
#: A query word of letter/digit parts joined by hyphens, slashes or underscores, with a letter somewhere
#: (`suzhou-ecmc`, `58-tongcheng`, `s/4hana`): also found by its parts in any order (at most 8 parts, as
#: the list filter's MAX_QUERY_WORDS).
_JOINED_ANY = re.compile(r"[^\W_]+(?:[-/_][^\W_]+){1,7}")
_NUMBER = r"\d+(?:[.,]\d+)*"
#: A query word of parts as in `_JOINED_ANY`, where a part may also be a number with dots (`1.5-galaxy`,
#: `galaxy/1.5`) and have letters other than ASCII (`électricité-france`), but no Chinese: its parts in any
#: order (`written_apart`).
_PART = rf"(?:\d+(?:\.\d+)+|[^\W_{CJK_CHARS}]+(?:\+\+|#)?)"  # (`c++`, `c#` parts too: `ruisi/c#`)
_JOINED_PARTS = re.compile(rf"{_PART}(?:[-/_]{_PART}){{1,7}}")
#: One letter right before or after a number, as the analyser sees a query word (`700m`, `v5.2.1`).
_LETTER_NUMBER = re.compile(rf"(?P<a>[a-z])(?P<b>{_NUMBER})|(?P<c>{_NUMBER})(?P<d>[a-z])")
#: In what was typed: a number and one letter apart (`700 M`, `V 5.2.1`), standing alone (not a field
#: prefix, a wildcard, or part of a longer word).
_APART = re.compile(rf"(?<![\w.,:/\-+#*?])(?:(?P<n1>{_NUMBER})[ \t]+(?P<l1>[A-Za-z])"
                    rf"|(?P<l2>[A-Za-z])[ \t]+(?P<n2>{_NUMBER}))(?![\w:*?+#/\-]|[.,]\d)")


#: Dashes other than the hyphen (‐ ‑ ‒ – — ― and the minus sign) between Latin letters (or a letter and a
#: digit), as a word processor or an input method types them in `East–China`, `58–tongcheng`.
_LATIN_DASH = re.compile(r"(?<=[A-Za-z])[\u2010-\u2015\u2212](?=[A-Za-z0-9])|(?<=[0-9])[\u2010-\u2015\u2212](?=[A-Za-z])")


def latin_hyphens(text: str) -> str:
    """`text` with other dashes between Latin letters as the hyphen (`East–China` → `East-China`)."""
    if text.isascii():  # (the dashes it changes are outside ASCII)
        return text
    return _LATIN_DASH.sub("-", text)


#: A word (outside quotes) whose first part is `C++`, `C#` or `F#`, joined to more parts: the analyser splits
#: it into a phrase (`c++ zs`), which keeps the order; with that part last it is one word (`zs-c++`), whose
#: parts are found in any order (`written_apart`).
_MARK_FIRST = re.compile(r"(?<![^\s(:])((?i:c\+\+|[cf]#))([-/_])([^\W_]+(?:[-/_][^\W_]+){0,6})(?![^\s)])")


def mark_part_last(text: str) -> str:
    """`text` (outside quotes) with a joined word that starts with `C++`, `C#` or `F#` written with that
    part last (`C++-ZS` → `ZS-C++`, `C#/Ruisi` → `Ruisi/C#`): the same parts, found in any order as every
    joined word is (issue 7 of session 9, tester 9t's defect 5)."""
    if "+" not in text and "#" not in text:
        return text
    return _MARK_FIRST.sub(lambda m: f"{m.group(3)}{m.group(2)}{m.group(1)}", text)


#: In what was typed: a Latin word (of two letters or more, joined parts too: `Wi-Fi`) and one digit apart
#: (`Wi-Fi 6`, `Windows 7`), standing alone: a one-digit part is not indexed inside a compound (`Wi-Fi6`).
_WORD_DIGIT_APART = re.compile(r"(?<![\w.,:/\-+#*?])(?P<w>[A-Za-z]+(?:[-/_][A-Za-z]+)*[A-Za-z])"
                               r"[ \t]+(?P<d>\d)(?![\w:*?+#/\-]|[.,]\d)")


def join_letter_and_number(text: str) -> str:
    """`text` (outside quotes) with a number and one letter typed apart written together: `700 M` →
    `700M`, `V 5.2.1` → `V5.2.1`; and a word and one digit: `Wi-Fi 6` → `Wi-Fi6` (which also finds the
    text "Wi-Fi 6": `written_apart`). Other words are left alone (`700 MB` already finds `700MB`: its
    parts are indexed)."""
    if not any(ch.isdigit() for ch in text):
        return text

    def together(m: re.Match[str]) -> str:
        return (m.group("n1") + m.group("l1")) if m.group("n1") else (m.group("l2") + m.group("n2"))

    return _WORD_DIGIT_APART.sub(r"\g<w>\g<d>", _APART.sub(together, text))


#: In what was typed: `&` with spaces around it between two Latin/digit words, one of which is a single
#: letter or digit (`AT & T`, `R & D`, `M&A` is already joined), standing alone.
_AMPERSAND_APART = re.compile(r"(?<![\w.,:/\-+#*?&])(?P<a>[A-Za-z0-9]+)(?:[ \t]+&[ \t]*|[ \t]*&[ \t]+)"
                              r"(?P<b>[A-Za-z0-9]+)(?![\w:*?+#/\-&])")
#: A query word of Latin/digit parts joined by `&` (`at&t`, `r&d`).
_AMPERSAND_WORD = re.compile(r"[^\W_]+(?:&[^\W_]+)+")


def join_ampersand(text: str) -> str:
    """`text` (outside quotes) with `&` typed between spaces joined to its words when one of them is a
    single letter or digit: `AT & T` → `AT&T`, `R & D` → `R&D`; `Johnson & Johnson` is left alone (both
    words are indexed on their own, as typed)."""
    if "&" not in text:
        return text

    def joined(m: re.Match[str]) -> str:
        a, b = m.group("a"), m.group("b")
        return f"{a}&{b}" if min(len(a), len(b)) == 1 else m.group(0)

    return _AMPERSAND_APART.sub(joined, text)


def _phrase(fieldname: str, words: list[str], boost: float) -> wq.Query:
    from .query import widen  # (query imports this module)

    return widen(wq.Phrase(fieldname, words, boost=boost))


#: Where the script changes inside a word: a Chinese character next to a letter or digit (移动|ECMC).
#: `c++`, `c#` (`F#`) and `.net` keep their marks: `C++长沙` → `C++ 长沙`, not `C ++长沙`.
_SCRIPT_CHANGE = re.compile(rf"(?<=[{CJK_CHARS}])(?=[^\W_{CJK_CHARS}]|(?i:\.net)\b)|(?<=[^\W_{CJK_CHARS}])(?=[{CJK_CHARS}])"
                            rf"|(?<=[^\W_{CJK_CHARS}]\+\+)(?=[{CJK_CHARS}])|(?<=[^\W_{CJK_CHARS}]#)(?=[{CJK_CHARS}])")
#: A word outside quotes (after a space or an opening parenthesis), with its field prefix if it has one.
_FIELD_WORD = re.compile(r"(?<![^\s(])([A-Za-z]\w*:)?([^\s()]+)")


def split_scripts(text: str) -> str:
    """`text` (outside quotes) with Latin/digit and Chinese typed together as separate words, split where
    the script changes: `移动ECMC` → `移动 ECMC`, `huadong移动` → `huadong 移动`, `58同城` → `58 同城`,
    `华东移动Ec*` → `华东移动 Ec*`; a field prefix keeps every part: `title:移动ECMC` → `title:(移动 ECMC)`.
    Words of one script are left alone (`iPhone15`, `S/4HANA`, `V5.2.1`, 华东移动)."""
    def one(m: re.Match[str]) -> str:
        apart = _SCRIPT_CHANGE.sub(" ", m.group(2))
        if apart == m.group(2):
            return m.group(0)
        return f"{m.group(1)}({apart})" if m.group(1) else apart

    if text.isascii():  # (no Chinese character: no change of script to split at)
        return text
    return _FIELD_WORD.sub(one, text) if _SCRIPT_CHANGE.search(text) else text


def _part_form(part: str) -> str:
    """How the index holds one part of a joined word: a word of letters stemmed, others as they are."""
    return stem_word(part) if part.isalpha() else part


def written_apart(term: wq.Term, any_order: bool = True) -> wq.Query | None:
    """The alternatives of a text-field query word whose text may write it apart or together (see the
    module doc), as an Or with the word itself first; None: the word as it is. `any_order` False (a
    quoted word: a phrase is ordered): a joined word's parts only in their order."""
    text = term.text
    if not isinstance(text, str) or len(text) > 40 or text.isalpha():
        return None  # (letters only: no joiner, no number — the usual word has no other form)
    if _AMPERSAND_WORD.fullmatch(text):  # `at&t` also as "at t" (the text "AT & T"), not as `att`,
        from .fastpath import BigramPhrase  # which would find any "ma" for `M&A` (phrase_variants)

        words = [_part_form(p) for p in text.split("&")]
        return wq.Or([term, BigramPhrase(term.fieldname, words, boost=term.boost)])
    if _JOINED_PARTS.fullmatch(text) and any(ch.isalpha() for ch in text):
        typed, merged = _JOINERS.split(text), _typed_parts(text)
        parts = [_part_form(p) for p in (merged if len(merged) > 1 else typed)]
        # the parts as typed, and with a one-character part kept with its neighbour (`yt`, `s/4hana`)
        aparts = [typed, *([merged] if len(merged) > 1 and merged != typed else [])]
        apart = [_all_of(term, dict.fromkeys(_part_form(p) for p in ps)) for ps in aparts]
        # (the phrase of the parts only for words of letters, as before: with digits, `s/4hana`'s index
        # forms already hold it written together, and the parts in any order cover it apart)
        phrase = [_phrase(term.fieldname, parts, term.boost)] if _JOINED.fullmatch(text) or not any_order else []
        digit = re.fullmatch(r"(.*[^\W\d_])(\d)", text)  # `wi-fi6` also as "wi-fi 6" (one digit: no part)
        spaced = [_phrase(term.fieldname, [digit.group(1), digit.group(2)], term.boost)] if digit else []
        return wq.Or([term, *phrase, wq.Term(term.fieldname, _part_form("".join(typed)), boost=term.boost),
                      *(apart if any_order else []), *spaced])
    if (number_apart := _word_then_number(term)) is not None:
        return number_apart
    m = _LETTER_NUMBER.fullmatch(text) if text.isascii() else None
    if m and len(m.group("b") or m.group("c")) > 1:  # (`5G`: "5 g" would read every text's 5)
        parts = [m.group("a"), m.group("b")] if m.group("a") else [m.group("c"), m.group("d")]
        return wq.Or([term, _phrase(term.fieldname, parts, term.boost)])
    return None


#: A query word of Latin letters (two or more) then a number: digits (`wifi6`, `iphone16`), or a number with
#: dots (`galaxy1.5`).
_WORD_NUMBER = re.compile(r"(?P<w>[a-z]{2,})(?P<n>\d+(?:\.\d+)*)")


def word_then_number(word: str) -> tuple[str, str] | None:
    """The letters and the whole number (digits, no dots) of a query word typed together (`iphone16` →
    (`iphone`, `16`)), which a text may write apart ("iPhone 16"): search looks it up also as that phrase
    (`_word_then_number`), the account list filter as those words next to each other
    (kb.account_keys); None: not such a word (`galaxy1.5`, whose parts match in any order, `s4hana`)."""
    m = _WORD_NUMBER.fullmatch(word)
    return (m.group("w"), m.group("n")) if m and "." not in m.group("n") else None


def _word_then_number(term: wq.Term) -> wq.Query | None:
    """A word and a number written together (`galaxy1.5`, `wifi6`, `iphone16`), also found written apart or
    joined (issue 7 of session 9, tester 9t's defects 3 and 6): a dotted number's parts in any order, as a
    joined word's (`galaxi AND 1.5` finds "Galaxy-1.5", "Galaxy 1.5"); digits as the phrase (`"wifi 6"`
    finds "WiFi 6", `"iphon 16"` finds "iPhone 16"). None: not such a word."""
    m = _WORD_NUMBER.fullmatch(term.text)
    if m is None:
        return None
    word, number = stem_word(m.group("w")), m.group("n")
    if "." not in number:  # (`iphone16` also finds "iPhone 16": issue 7 §2, session 10)
        return wq.Or([term, _phrase(term.fieldname, [word, number], term.boost)])
    return wq.Or([term, _all_of(term, {word: None, number: None})])


def _all_of(term: wq.Term, forms: dict[str, None]) -> wq.Query:
    words = [wq.Term(term.fieldname, f, boost=term.boost) for f in forms]
    return wq.And(words) if len(words) > 1 else words[0]


def _typed_parts(text: str) -> list[str]:
    """The parts of a joined query word, a part of one letter or digit kept with the part after it (or
    before, when last) as typed: such a part is no word of the index inside a compound (`yt-s/4hana` →
    `yt`, `s/4hana`; kb.search.wordforms.index_forms), its compound with its neighbour is."""
    pieces = re.split(r"([-/_])", text)  # part, joiner, part, …
    parts, i = [], 0
    while i < len(pieces):
        part = pieces[i]
        while len(part) == 1 and i + 2 < len(pieces):
            part, i = part + pieces[i + 1] + pieces[i + 2], i + 2
        if len(part) == 1 and parts:
            parts[-1] = parts[-1] + pieces[i - 1] + part
        else:
            parts.append(part)
        i += 2
    return parts


def joined_prefix(q: wq.Prefix) -> wq.Query | None:
    """The alternatives of a text-field prefix of joined parts (`East-Chi*`): the prefix as typed (it
    finds East-China), written together (`eastchi*`: EastChina), and the parts before the last each as a
    word with the last as a prefix (`east AND chi*`: "East China", "China East"), that last only when it
    has the letters every prefix needs (query.MIN_LITERAL_PREFIX); None: not a joined word."""
    from .shortprefix import MIN_LITERAL_PREFIX  # (query imports this module)

    text = q.text
    if not isinstance(text, str) or not text.isascii() or len(text) > 40 or not _JOINED_ANY.fullmatch(text) \
            or not any(ch.isalpha() for ch in text):
        return None
    typed = _JOINERS.split(text)
    alternatives = [q, wq.Prefix(q.fieldname, "".join(typed), boost=q.boost)]
    if len(typed[-1]) >= MIN_LITERAL_PREFIX:
        alternatives.append(wq.And([*(wq.Term(q.fieldname, _part_form(p), boost=q.boost) for p in typed[:-1]),
                                    wq.Prefix(q.fieldname, typed[-1], boost=q.boost)]))
    return wq.Or(alternatives)


#: Phrases of more words than this are looked for as typed only.
MAX_VARIANT_WORDS = 8
#: At most this many other forms of one phrase are looked for (a long phrase of joined words may not
#: make the query explode).
MAX_PHRASE_VARIANTS = 16
_ALNUM = re.compile(rf"[a-z0-9]+|{_NUMBER}")


def _together(first: str, second: str) -> str:
    joined = first + second
    return stem_word(joined) if joined.isalpha() else joined


def _other_forms(word: str) -> list[list[str]]:
    """Other ways of writing one analysed word: a joined word apart and together (the index keeps the
    together form of every joining — hyphen, slash, underscore, none — so `eastchina` finds
    East-China, East/China, East_China and EastChina); a letter–number word apart (`v5.2.1` → `v 5.2.1`)."""
    if _JOINED.fullmatch(word):
        return [[stem_word(p) for p in _JOINERS.split(word)], [stem_word(_JOINERS.sub("", word))]]
    m = _LETTER_NUMBER.fullmatch(word)
    if m and len(m.group("b") or m.group("c")) > 1:
        return [[m.group("a"), m.group("b")] if m.group("a") else [m.group("c"), m.group("d")]]
    if (apart := word_then_number(word)) is not None:  # "iphone16 pro" also as "iphone 16 pro"
        return [[stem_word(apart[0]), apart[1]]]
    return []


def phrase_variants(words: list[str]) -> list[list[str]]:
    """Other ways a text may write the phrase of (analysed) `words`, each changing one place: two
    neighbouring Latin words or numbers together (`east china` → `eastchina`, `v 5.2.1` → `v5.2.1`), or
    one joined word apart or together (`east-china`, `east/china` → `east china`, `eastchina`), or a
    letter–number word apart (`700m` → `700 m`); at most MAX_PHRASE_VARIANTS, none for phrases of more
    than MAX_VARIANT_WORDS words."""
    if len(words) > MAX_VARIANT_WORDS or not any(w.isascii() for w in words):
        return []
    out: list[list[str]] = []
    for i, word in enumerate(words):
        if i + 1 < len(words) and _ALNUM.fullmatch(word) and _ALNUM.fullmatch(words[i + 1]):
            out.append([*words[:i], _together(word, words[i + 1]), *words[i + 2:]])
        for form in (_other_forms(word) if word.isascii() else []):
            out.append([*words[:i], *form, *words[i + 1:]])
    unique = [v for v in dict.fromkeys(map(tuple, out)) if list(v) != words]
    return [list(v) for v in unique[:MAX_PHRASE_VARIANTS]]
