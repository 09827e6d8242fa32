"""Plain words (no query syntax) → the query Whoosh's parser makes of them, each word analysed once.

Whoosh's parser (and `query._word_query` before this) runs every text field's analyser on every word:
title, body and names share one analyser (`MixedTokenizer`), so the same word was tokenised three times,
and then the tree was copied by `accept(widen)`. Here a word is tokenised once per *distinct* analyser
(fields whose analysers are equal — Whoosh compares analysers by value, ours by class: they have no
settings — give the same tokens), the leaves are built already widened (`query.widen`), and the tree is
normalised once. tests/test_search_plainquery.py checks, over a table of inputs (Chinese, Latin, digits,
mixed tokens, traditional and full-width characters), that each field's forms are its analyser's and that
the query equals the parser's.
"""
from __future__ import annotations

from typing import Any, Callable, NamedTuple

from whoosh import query as wq
from whoosh.fields import Schema


class FieldPlan(NamedTuple):
    """How one text field turns a word's tokens into a query leaf."""

    name: str
    boost: float
    analyzer: Any  # the field's analyser (equal analysers give equal tokens)
    multitoken: str  # the field's `multitoken_query`: "phrase" or "default" (the parser's And)


def field_plans(schema: Schema, fields: dict[str, float]) -> tuple[FieldPlan, ...] | None:
    """The plans of `fields` (name → boost, in the parser's order); None: a field this module cannot
    build as the parser does (a self-parsing field, or another multitoken rule) — use the parser."""
    plans = []
    for name, boost in fields.items():
        field = schema[name]
        spec = (field.multitoken_query or "default").lower()
        if field.self_parsing() or field.analyzer is None or spec not in ("phrase", "default"):
            return None
        plans.append(FieldPlan(name, boost, field.analyzer, spec))
    return tuple(plans)


def word_forms(plans: tuple[FieldPlan, ...], word: str) -> list[list[str]]:
    """Each field's query tokens of `word`, as `field.process_text(word, mode="query")` gives them; a
    field whose analyser equals an earlier field's shares its list (do not modify the lists)."""
    seen: list[tuple[Any, list[str]]] = []
    out: list[list[str]] = []
    for plan in plans:
        for analyzer, forms in seen:
            if analyzer == plan.analyzer:
                break
        else:
            forms = [t.text for t in plan.analyzer(word, mode="query", tokenize=True, removestops=True)]
            seen.append((plan.analyzer, forms))
        out.append(forms)
    return out


def plain_query(plans: tuple[FieldPlan, ...], words: list[str],
                widen: Callable[[wq.Query], wq.Query]) -> wq.Query | None:
    """The widened, normalised query of `words` (plain words: no syntax, no operators) over the fields of
    `plans`, equal to `parser.parse(" ".join(words)).accept(widen).normalize()`; None: a word gives no
    token in any field (a stop word: the parser decides)."""
    groups: list[wq.Query] = []
    for word in words:
        parts: list[wq.Query] = []
        for plan, forms in zip(plans, word_forms(plans, word)):
            if not forms:
                continue  # (no words in this field, as Chinese in the pinyin field: the parser leaves it out)
            if len(forms) == 1:
                parts.append(widen(wq.Term(plan.name, forms[0], boost=plan.boost)))
            elif plan.multitoken == "phrase":
                parts.append(widen(wq.Phrase(plan.name, list(forms), boost=plan.boost)))
            else:  # the parser's default group (And), each word widened
                parts.append(_normalized(wq.And, [widen(wq.Term(plan.name, f, boost=plan.boost)) for f in forms]))
        if not parts:
            return None
        groups.append(_normalized(wq.Or, parts))
    return _normalized(wq.And, groups)


_LEAVES = (wq.Term, wq.Prefix, wq.Phrase)


def _normal_child(q: wq.Query, kind: type[wq.CompoundQuery]) -> bool:
    """Whether `q` is unchanged by its normal form and is not merged into a `kind` holding it: a leaf (a
    term, a prefix, a phrase of several words), or an And/Or other than `kind` of two or more different
    leaves."""
    if isinstance(q, _LEAVES):
        return True
    if type(q) not in (wq.And, wq.Or) or type(q) is kind or q.boost != 1.0:
        return False
    subs = q.subqueries
    return len(subs) > 1 and all(isinstance(s, _LEAVES) for s in subs) and len(set(subs)) == len(subs)


def _normalized(kind: type[wq.CompoundQuery], subqueries: list[wq.Query]) -> wq.Query:
    """`kind(subqueries).normalize()`, without its copying where it would change nothing: normal children
    (`_normal_child`), all different (a compound of one is that one)."""
    if all(_normal_child(s, kind) for s in subqueries):
        if len(subqueries) == 1:
            return subqueries[0]  # (a compound of one query is that query; the compound's boost is 1.0)
        if len(set(subqueries)) == len(subqueries):
            return kind(subqueries)
    return kind(subqueries).normalize()
