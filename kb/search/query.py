"""Parsing what people type into a Whoosh query, with friendly messages instead of errors.

Syntax (documented on the search page): words are all required; `"…"` is a phrase; `AND`, `OR`, `NOT`
and parentheses combine; `title:`, `body:` (or `text:`), `type:`, `industry:` and `region:` limit a word
to one field; `word*` matches a prefix (after Chinese, the word itself: `cjk_prefix`). A single Chinese character
matches every word containing it. Latin and Chinese typed together are separate words; joined Latin parts
also match in any order outside quotes (kb.search.queryforms).
What input methods type works too: “…” and ‘…’ are phrases, full-width ：（）and spaces are ASCII, and a
phone number with dashes or spaces is one word (kb.search.querytext); words are normalised (kb.textnorm).
"""
from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from flask_babel import gettext as _
from whoosh import query as wq
from whoosh.fields import Schema
from whoosh.qparser import FieldAliasPlugin, MultifieldParser

from .analysis import is_cjk
from .documents import exact_name_key
from .fastpath import BigramPhrase
from .pinyin import folded_pinyin, pinyin_spellings
from .plainquery import field_plans, plain_query
from .fieldvalues import stored_values
from .querynotes import SINGLE_VALUED, drop_dangling, merge_types
from .querytidy import (balance_parentheses, expand_lists, fields_listed, fold_fields, quote_addresses,
                        short_glued_prefixes)
from .shortprefix import (MIN_LITERAL_PREFIX, left_out_message, literal_weight,  # noqa: F401 — (re-exported)
                          too_short_message, too_short_prefixes)
from .queryforms import joined_prefix, phrase_variants, written_apart
from .queryleaves import (OTHER_SPELLING_WEIGHT, PINYIN_PREFIX_MIN, cjk_prefix,  # noqa: F401 — (re-exported)
                          ordered_pinyin, pinyin_leaf, spelled_wildcard)
from .queryops import spelled_notes, spelled_operators, tidy_operators
from .querytext import IME_QUOTES, ime_quotes, ime_to_ascii  # noqa: F401 — (re-exported)
from .schema import DOC_TYPES, TEXT_FIELDS, build_schema

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
#: Field prefixes people may use (others are searched as plain text).
USER_FIELDS = ("title", "body", "pinyin", "type", "industry", "region")
FIELD_ALIASES = {"body": ["text", "content"], "type": ["kind"]}
#: Fields analysed as Chinese bigrams + English stems (single characters and phrases get special care).
_CJK_TEXT_FIELDS = ("title", "body", "names")
_DANGLING_FIELD = re.compile(r"(^|\s)(\w+):(\s|$)")
_OPERATORS_ONLY = re.compile(r"^(\s*(AND|OR|NOT|ANDNOT|ANDMAYBE)\s*)+$")
@dataclass
class ParsedQuery:
    """A user's query: the Whoosh query to run (None: nothing to run) and a message to show."""

    text: str
    query: wq.Query | None
    message: str | None = None
    #: What a name must equal for the exact-name bonus (`with_exact_name_bonus`): the text before
    #: lower-case operators were read as operators, so "Procter and Gamble" still ranks that account first.
    name_text: str = ""


def _user_schema() -> Schema:
    full = build_schema()
    return Schema(**{name: full[name] for name in dict.fromkeys([*USER_FIELDS, *TEXT_FIELDS])})


_SCHEMA = _user_schema()


class QuotedWord(wq.Term):
    """A quoted phrase of one word, as the parser writes it (`"ECMC-Suzhou"`): `widen` makes it a plain
    term whose joined parts keep their order (a phrase is ordered)."""


class _QuotingPhrase(wq.Phrase):
    """The parser's phrase: normalised as Whoosh's, but a phrase of one word becomes a `QuotedWord` and
    one of several a plain `wq.Phrase` (what `widen` and the fast paths know)."""

    def normalize(self) -> wq.Query:
        q = super().normalize()
        if type(q) is wq.Term:
            word = QuotedWord(q.fieldname, q.text, boost=q.boost)
            word.startchar, word.endchar = getattr(q, "startchar", None), getattr(q, "endchar", None)
            return word
        if isinstance(q, _QuotingPhrase):
            return wq.Phrase(q.fieldname, q.words, slop=q.slop, boost=q.boost, char_ranges=q.char_ranges)
        return q


def make_parser() -> MultifieldParser:
    """A parser over the text fields, with field aliases; unknown prefixes are searched as text."""
    parser = MultifieldParser(list(TEXT_FIELDS), _SCHEMA, fieldboosts=TEXT_FIELDS, phraseclass=_QuotingPhrase)
    parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
    return parser


#: Parsed queries kept per (normalised) text: the same words are searched again and again (paging, the
#: access-filtered and unfiltered forms, many people). A small LRU of query trees (~2 KB each).
PARSE_CACHE_SIZE = 512
#: A text of plain words (letters, digits, Chinese characters; no syntax) separated by spaces is parsed by
#: asking each text field's analyser directly, as the parser's own word node does, without the generic
#: tagging and grouping machinery (~85 µs → ~15 µs). All-capital ASCII words may be operators: parsed fully.
_PLAIN_WORD = re.compile(r"\w+")
_CAPITALS = re.compile(r"[A-Z]+")


def _plain_words(text: str) -> wq.Query | None:
    """The parsed, widened and normalised query of plain words separated by spaces (None: not that;
    parse it fully). The same query as the parser's (plainquery.py: each word analysed once per distinct
    analyser): tests/test_search_parse_cache.py and test_search_plainquery.py compare them."""
    words = text.split()
    if _PLANS is None or not words or not all(
            _PLAIN_WORD.fullmatch(w) and not _CAPITALS.fullmatch(w) for w in words):
        return None
    return plain_query(_PLANS, words, widen)


@lru_cache(maxsize=1)
def _parser() -> MultifieldParser:
    return make_parser()


#: How each text field makes a plain word's leaf (None: a field the plain path cannot build: the parser).
_PLANS = field_plans(_SCHEMA, TEXT_FIELDS) if make_parser().group.qclass is wq.And else None


class _Parse(NamedTuple):
    query: wq.Query
    phrase: bool  # holds a BigramPhrase
    error: bool  # holds a syntax error (_has_error)
    broad: bool  # too broad to run (_too_broad)
    fielded: bool  # names a single-valued field (`type:`, `industry:`, `region:`): merge_types may apply


@lru_cache(maxsize=PARSE_CACHE_SIZE)
def _parsed(text: str) -> _Parse:
    q = _plain_words(text)
    if q is not None:  # (plain words hold no syntax error and nothing too broad: pinyin prefixes are long)
        return _Parse(q, _has_phrase(q), False, False, False)  # (and only text fields)
    if q is None:
        q = make_parser().parse(text)
        q = q.accept(widen).normalize() if q is not wq.NullQuery else q
    return _Parse(q, _has_phrase(q), _has_error(q), _too_broad(q), _fielded(q))


def _fielded(q: wq.Query) -> bool:
    return any(isinstance(t, wq.Term) and t.fieldname in SINGLE_VALUED for t in q.leaves())


def _fresh_phrase(q: wq.Query) -> wq.Query:
    return q.copy() if isinstance(q, BigramPhrase) else q


def _has_phrase(q: wq.Query) -> bool:
    return isinstance(q, BigramPhrase) or any(_has_phrase(c) for c in q.children())


def _checked(text: str) -> _Parse:
    parsed = _parsed(text)
    return parsed._replace(query=parsed.query.accept(_fresh_phrase)) if parsed.phrase else parsed


def parse_text(text: str) -> wq.Query:
    """`text` (already through `ime_to_ascii`, stripped) as a widened, normalised Whoosh query; may raise
    what Whoosh's parser raises. Answers are kept in a bounded LRU (`PARSE_CACHE_SIZE` texts); a query
    with phrases is given with fresh phrase objects (a `BigramPhrase` keeps what one search verified)."""
    return _checked(text).query


def widen(q: wq.Query) -> wq.Query:
    """Applied to each leaf of a parsed query: one Chinese character → the single-character field (title
    and text together); long pinyin words → prefix; a phrase in the pinyin field (no positions) → all its
    words; other phrases → `BigramPhrase` (same matches as Whoosh's phrase, found faster); a Chinese
    prefix → the word itself (`cjk_prefix`)."""
    ordered = type(q) is QuotedWord
    if ordered:
        q = _plain_term(q)
    if type(q) is wq.Wildcard and q.fieldname == "body" and isinstance(q.text, str) and "?" in q.text:
        return spelled_wildcard(q)
    if type(q) is wq.Prefix and q.fieldname in _CJK_TEXT_FIELDS and isinstance(q.text, str) and is_cjk(q.text):
        return cjk_prefix(q)
    if type(q) is wq.Prefix and q.fieldname in _CJK_TEXT_FIELDS and (joined := joined_prefix(q)) is not None:
        return joined
    if type(q) is wq.Prefix and q.fieldname == "pinyin" and isinstance(q.text, str) and q.text.isalnum():
        return pinyin_leaf(q.fieldname, q.text, q.boost, prefix=True, min_prefix=1)  # lyuw* → lvw* (a word's)
    if isinstance(q, wq.Term) and isinstance(q.text, str):
        if q.fieldname in _CJK_TEXT_FIELDS and len(q.text) == 1 and is_cjk(q.text):
            return wq.Term("chars", q.text, boost=q.boost)
        if q.fieldname in _CJK_TEXT_FIELDS and (apart := written_apart(q, any_order=not ordered)) is not None:
            return apart  # East-China also finds "East China"; 700M "700 M" (kb.search.queryforms)
        if q.fieldname == "pinyin":
            return pinyin_leaf(q.fieldname, q.text, q.boost, prefix=True)
    if type(q) is wq.Phrase and q.fieldname in _CJK_TEXT_FIELDS and q.slop == 1:
        phrase = BigramPhrase(q.fieldname, list(q.words), boost=q.boost, char_ranges=q.char_ranges)
        others = phrase_variants(list(q.words))  # "East China" also finds East-China (queryforms)
        if not others:
            return phrase
        return wq.Or([phrase, *(BigramPhrase(q.fieldname, v, boost=q.boost) if len(v) > 1
                                else wq.Term(q.fieldname, v[0], boost=q.boost) for v in others)])
    if isinstance(q, wq.Phrase) and q.fieldname in _SCHEMA and not _SCHEMA[q.fieldname].format.supports(
            "positions"):  # a quoted phrase reaches the pinyin field too: Whoosh would raise there
        return ordered_pinyin(q)
    return q


def _plain_term(q: wq.Term) -> wq.Term:
    term = wq.Term(q.fieldname, q.text, boost=q.boost)
    term.startchar, term.endchar = q.startchar, q.endchar
    return term


#: Score added to documents one of whose names is exactly what was typed (an account's name or alias,
#: a person's name): far above any text score, so the account or person is shown first.
EXACT_NAME_BONUS = 1000.0
_SYNTAX = re.compile(r'["()*:]|\b(AND|OR|NOT|ANDNOT|ANDMAYBE)\b')


def with_exact_name_bonus(q: wq.Query, text: str, typed: str = "") -> wq.Query:
    """`q`, scored higher where a name equals the whole of `text` (plain words only; the same matches),
    or the whole of `typed`, the query as typed (a name typed with its company form, `华东移动通信有限公司`,
    of which `text` has dropped the form: kb.search.querytext.drop_company_forms)."""
    plain = [t for t in (text, typed) if t and not _SYNTAX.search(t)]
    keys = [k for k in dict.fromkeys(map(exact_name_key, plain)) if k]
    if not keys:
        return q
    for key in list(keys):  # a name's pinyin typed with tone marks or ü (`lǚ wěi`, `lyuwei`) as the exact
        folded = folded_pinyin(key) if key.isalpha() else None  # field spells it (lvwei)
        keys += pinyin_spellings(folded)[:1] if folded else ()
    keys = list(dict.fromkeys(keys))
    exact = wq.Or([wq.Term("exact", k) for k in keys]) if len(keys) > 1 else wq.Term("exact", keys[0])
    bonus = wq.ConstantScoreQuery(wq.And([exact, q]), score=EXACT_NAME_BONUS)
    return wq.Or([q, bonus])


def _has_error(q: wq.Query) -> bool:
    if isinstance(q, wq.qcore._NullQuery):
        return False
    if q.__class__.__name__ == "ErrorQuery":
        return True
    return any(_has_error(c) for c in q.children())


def _too_broad(q: wq.Query) -> bool:
    """Whether `q` holds a leaf whose work grows with the whole index: everything (`*`), a range over
    words (`[a TO 龥]`), or a prefix/wildcard with fewer than MIN_LITERAL_PREFIX letters before it."""
    if isinstance(q, (wq.Every, wq.RangeMixin)):
        return True
    if isinstance(q, (wq.Prefix, wq.Wildcard)) and isinstance(q.text, str):
        return literal_weight(q.text) < MIN_LITERAL_PREFIX
    return any(_too_broad(c) for c in q.children())


def _unknown_types(q: wq.Query) -> list[str]:
    """The `type:` values in `q` that name no kind of document (such a word can only find nothing)."""
    if isinstance(q, wq.Term) and q.fieldname == "type":
        return [] if q.text in DOC_TYPES else [str(q.text)]
    return [t for c in q.children() for t in _unknown_types(c)]


#: Question marks ending a word (a question, not a wildcard: `what?`, `华为？`); inside a word `?` is one
#: character (`str?tegy`, `spelled_wildcard`). (A pasted address's `?` is quoted: quote_addresses.)
_TRAILING_QUESTION = re.compile(r"(?<=[^\s?*])\?+(?=\s|\)|$)")

#: Control characters (not tab or newline, which are spaces anyway): a pasted one is read as a space.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def parse_user_query(text: str) -> ParsedQuery:
    """Parse `text`; never raises. Malformed input gives a message and, where possible, a query."""
    text = quote_addresses(unicodedata.normalize("NFKC", ime_quotes(expand_lists(text or ""))))
    named = too_short_prefixes(text) if "*" in text or "?" in text else []
    text, short = short_glued_prefixes(text)  # (a pasted address's `?` is a character: quote_addresses)
    name_text = ime_to_ascii(text).strip()
    text, spelled = spelled_operators(text)  # 华为 or 中兴, 华为 -中兴 (before a dash is a separator)
    text = ime_to_ascii(text).strip()
    text = _TRAILING_QUESTION.sub("", text) if '"' not in text else text  # what? → what (not a wildcard)
    messages: list[str] = spelled_notes(spelled) + [m for m in (left_out_message(short),) if m]
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH]
        messages.append(_("Your search was shortened to its first %(n)d characters.", n=MAX_QUERY_LENGTH))
    if _CONTROL.search(text):  # (not silently: the reader sees what was searched)
        text = _CONTROL.sub(" ", text).strip()
        messages.append(_("A control character in your search was read as a space."))
    if not text:
        return ParsedQuery(text, None, _("Type a word to search for."))
    if text.count('"') % 2:
        messages.append(_("A quotation mark was not closed, so the words were searched separately."))
    text, changed = balance_parentheses(text)
    if changed:
        messages.append(_("Parentheses were not in pairs, so the search was read as if they were."))
    if not _OPERATORS_ONLY.match(text):
        text, tidied = tidy_operators(text)  # 华为 OR OR 云 → 华为 OR 云 (queryops, as the list)
        messages += tidied
    if _DANGLING_FIELD.search(text):
        messages.append(_("A field prefix needs a word right after it, for example title:战略."))
        text = drop_dangling(text)  # `title: 战略` searches 战略; `title:` alone, nothing
        if not text:
            return ParsedQuery(text, None, " ".join(messages))
    text, unknown_prefixes = fold_fields(text)  # TITLE: → title:; name:韩立群 → (韩立群 ANDMAYBE name)
    if unknown_prefixes:
        messages.append(_("%(names)s is not a field, so those words were searched as text. The fields are "
                          "%(fields)s.", names=", ".join(f"{n}:" for n in unknown_prefixes),
                          fields=fields_listed()))
    if _OPERATORS_ONLY.match(text):  # nothing is searched, as the message says (not the words and, or, not)
        messages.append(_("AND, OR and NOT go between words, for example 客户 AND 战略; to search for the word "
                          "itself, type it in lower case."))
        return ParsedQuery(text, None, " ".join(messages))
    try:
        q, _phrase, error, broad, fielded = _checked(text)
    except Exception:  # noqa: BLE001 — Whoosh's parser has odd corners; a query must never cause a 500
        logger.info("unparseable search query %r", text, exc_info=True)
        q, error, broad, fielded = None, True, False, False
    if q is None or error:
        messages.append(_("We could not understand this search. Try plain words, or see the help below."))
        return ParsedQuery(text, None, " ".join(messages))
    if q is wq.NullQuery:
        messages.append(_("Your search has no words to look for."))
        return ParsedQuery(text, None, " ".join(messages))
    if broad and len(named) > 1:  # E* M*: one sentence naming every short prefix, left out or not
        messages = [m for m in messages if m != left_out_message(short)] + [too_short_message(named)]
        return ParsedQuery(text, None, " ".join(messages))
    if broad and re.search(r"(?<![^\s(:])\d\W?[*?]", text):  # 5*: a digit is named as such
        messages.append(_("This search is too broad: put at least two letters or digits (or one Chinese "
                          "character) before * or ?, and use the date filters instead of ranges."))
        return ParsedQuery(text, None, " ".join(messages))
    if broad:
        messages.append(_("This search is too broad: put at least two letters (or one Chinese character) "
                          "before * or ?, and use the date filters instead of ranges."))
        return ParsedQuery(text, None, " ".join(messages))
    if not fielded:  # (no type:, industry: or region: word: nothing to merge or name; the walks skipped)
        return ParsedQuery(text, q, " ".join(messages) or None)
    q, alternatives = merge_types(q)
    for name, values in alternatives:
        messages.append(_("A record has only one %(field)s, so %(values)s are alternatives: results with any "
                          "of them are shown.", field=f"{name}:", values=", ".join(f"{name}:{v}" for v in values)))
    q, unknown_values = stored_values(q)  # industry:銀行, industry:Banking, type:客户 (kb.search.fieldvalues)
    for field, value, there in unknown_values:
        messages.append(_("There is no %(field)s value %(value)s: write %(field)s with one of %(values)s.",
                          field=f"{field}:", value=value, values=", ".join(there) or "—"))
    unknown = list(dict.fromkeys(_unknown_types(q)))
    if unknown:
        messages.append(_("There is no type %(value)s: write type: with one of %(types)s.",
                          value=", ".join(unknown), types=", ".join(DOC_TYPES)))
    return ParsedQuery(text, q, " ".join(messages) or None, name_text=name_text if spelled else text)
