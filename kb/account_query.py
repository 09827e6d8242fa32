"""AND, OR and NOT in the account list filter (`/accounts?q=`, `GET /api/v1/accounts?q=`), read as search
reads them (issue 7, session 10: the tester's defects 1 to 3).

The operators are read by search's own rules (kb.search.queryops): lower-case `or`/`and`/`not` between two
words are the operators, `-word` is `NOT word`, operators that join nothing are left out and doubled ones
read as one — with search's messages. Then, as search's parser (Whoosh) groups them:

- `OR` joins the term before it and the term after it: `ECMC OR 南方电信` lists either; `ECMC 苏州 OR 南京`
  is ECMC and (苏州 or 南京); `a OR b OR c` any of the three;
- `NOT` leaves out the term after it: `ECMC NOT 苏州`, `NOT 苏州 ECMC`, `ECMC -苏州`;
- `AND` between two terms binds them before OR does (`a AND b OR c` is (a and b) or c); else every
  term is required anyway;
- a term is a word or a quoted phrase, matched as kb.account_keys matches them (`account_name_clause`).

Parentheses group nothing in the list (they are punctuation around a word). A query with no word to look
for (`!!!`, `😀`, `"`) lists nothing, with search's message. The work is bounded: at most
MAX_QUERY_WORDS words (kb.account_keys.query_problem refuses more, operators not counted).
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, not_, or_

from .account_phrases import phrase_words
from .inputs import INVISIBLE
from .search.queryops import spelled_notes, spelled_operators, tidy_operators
from .search.querytext import IME_QUOTES, ime_to_ascii

_OPERATORS = ("AND", "OR", "NOT")


@dataclass
class ListTerm:
    """One term of a list query: its normalised words, whether they are a quoted phrase, whether the
    term is left out (NOT), and the operator typed between it and the term before it ("AND", "OR", "")."""

    words: list[str]
    phrase: bool = False
    excluded: bool = False
    join: str = ""


@dataclass
class ListQuery:
    """A list filter query read: its terms in order and the messages about how it was read."""

    terms: list[ListTerm] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def words(self) -> list[str]:
        """Every word of every term (what the word cap counts), in order."""
        return [w for t in self.terms for w in t.words]

    @property
    def message(self) -> str | None:
        """The messages as one text, or None."""
        return " ".join(self.notes) or None


def _typed_text(q: str) -> str:
    """`q` with what input methods type as ASCII quotes and compatibility forms folded (NFKC)."""
    return unicodedata.normalize("NFKC", (q or "").translate(IME_QUOTES)).translate(IME_QUOTES)


def _field_names() -> frozenset[str]:
    """Search's field prefixes and their aliases (kb.search.query: title, body/text/content, type/kind, …)."""
    from .search.query import FIELD_ALIASES, USER_FIELDS

    return frozenset([*USER_FIELDS, *(a for aliases in FIELD_ALIASES.values() for a in aliases)])


def _without_field(token: str, fields: list[str]) -> str:
    """`token` without a search field prefix (`industry:银行` → `银行`), the prefix noted in `fields`: the
    list matches names only."""
    name, colon, value = token.partition(":")
    if colon and name.lstrip("(").lower() in _field_names():
        fields.append(name.lstrip("(") + ":")
        return name[:len(name) - len(name.lstrip("("))] + value
    return token


def _pieces(text: str, fields: list[str] | None = None) -> list[tuple[str, object]]:
    """("op", "OR") / ("phrase", words) / ("words", words) in order; an unclosed quote's words are words.
    A search field prefix (`industry:`, `title:`) is left out of a word and noted in `fields`."""
    from .account_keys import query_words  # (account_keys uses this module: imported when called)

    fields = [] if fields is None else fields

    parts = text.split('"')
    closed = len(parts) - 1 if len(parts) % 2 else len(parts) - 2
    pieces: list[tuple[str, object]] = []
    for i, part in enumerate(parts):
        if i % 2 and i < closed:
            words = phrase_words(part)
            if words:
                pieces.append(("phrase", words))
            continue
        # the part as search reads it before splitting it into words: `Wi-Fi 6` as Wi-Fi6, `AT & T` as AT&T,
        # a company form ending a name left out (`Renhe Healthcare Group Co., Ltd.`), punctuation as spaces
        for token in ime_to_ascii(part).split():
            token = _without_field(token, fields)
            if token.strip("()") in _OPERATORS:
                pieces.append(("op", token.strip("()")))
            elif words := query_words(token):
                pieces.append(("words", words))
    return pieces


def read_list_query(q: str) -> ListQuery:
    """The terms of list filter query `q` and the messages on how it was read (translated): lower-case
    operators and minus signs read as operators, operators that join nothing left out (search's rules,
    kb.search.queryops); "no words to look for" when `q` is visible but has no word."""
    text, spelled = spelled_operators(_typed_text(q))
    notes = spelled_notes(spelled)
    text, tidied = tidy_operators(text)
    notes += tidied
    read = ListQuery(notes=notes)
    excluded, join = False, ""
    fields: list[str] = []
    for kind, value in _pieces(text, fields):
        if kind == "op":
            excluded = excluded or value == "NOT"
            join = "OR" if value == "OR" or join == "OR" else "AND" if value == "AND" else join
            continue
        words = list(value)  # type: ignore[call-overload]
        read.terms.append(ListTerm(words, phrase=kind == "phrase", excluded=excluded,
                                   join=join if read.terms else ""))
        excluded, join = False, ""
    if fields:
        read.notes.append(_("The account list matches names only: %(fields)s was left out (use the filters "
                            "beside the list, or search for it).", fields=", ".join(dict.fromkeys(fields))))
    if not read.terms and INVISIBLE.sub("", q or "").strip():
        read.notes.append(_("Your search has no words to look for."))
    return read


def query_message(q: str | None) -> str | None:
    """What the list says about how it read filter query `q` (translated; None: nothing to say, or no
    `q`): the page shows it above the list, the API answers it as `message` (as search's)."""
    return read_list_query(q).message if q else None


def list_query_clause(read: ListQuery, term_clause: Callable[[ListTerm], ColumnElement[bool]],
                      limit: int) -> ColumnElement[bool] | None:
    """The condition for `read`'s terms (None: no terms), grouped as search's parser groups them: NOT
    on the term after it, then a typed AND joining its two neighbours, then OR, then every group required
    (`a b OR c` is a AND (b OR c); `a AND b OR c` is (a AND b) OR c). `term_clause(term)` gives a term's
    condition. At most `limit` words are used."""
    atoms: list[tuple[str, ColumnElement[bool]]] = []  # (the first term's join, the terms joined by AND)
    used = 0
    for term in read.terms:
        used += len(term.words)
        if used > limit:
            break
        clause = not_(term_clause(term)) if term.excluded else term_clause(term)
        if term.join == "AND" and atoms:  # an AND typed binds tighter than OR, as in search
            atoms[-1] = (atoms[-1][0], and_(atoms[-1][1], clause))
        else:
            atoms.append((term.join, clause))
    groups: list[list[ColumnElement[bool]]] = []
    for join, clause in atoms:
        if join == "OR" and groups:
            groups[-1].append(clause)
        else:
            groups.append([clause])
    if not groups:
        return None
    return and_(*(or_(*g) if len(g) > 1 else g[0] for g in groups))


__all__ = ["ListQuery", "ListTerm", "list_query_clause", "query_message", "read_list_query"]
