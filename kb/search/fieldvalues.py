"""Values after `industry:`, `region:` and `type:` as readers write them (issue 7, session 10, tester's
defect 4): the index holds an account's stored industry and region (`银行`, `华东`) and a document's kind
(`account`, `interaction`); a reader types what the screen shows, in either language and script.

- `industry:` / `region:`: the typed value is normalised (kb.textnorm: traditional → simplified, width,
  case) and matched against the values in use and the managed list's labels in both languages
  (`industry:銀行`, `industry:Banking`, `region:華東` → 银行, 华东); a value that names none of them is
  searched as typed, with a message listing the values there are (`unknown_values`);
- `type:`: the kind's code, or its label in Chinese or English as the search page names it
  (kb.labels.TYPE_LABELS: `type:客户`, `type:拜访记录`, `type:Interaction`, `type:account plan`).

The lists are read once a request at most (the reference lists are cached per request; a handful of rows).
"""
from __future__ import annotations

from flask import has_app_context
from whoosh import query as wq

from ..textnorm import normalize
from .schema import DOC_TYPES

#: Fields whose value is a managed list's (kb.services.reference_lists) or free text accounts use.
LISTED_FIELDS = ("industry", "region")
#: At most this many values are named in a message (a long free-text list would drown it).
MAX_NAMED_VALUES = 20


def _type_names() -> dict[str, str]:
    """{normalised label or code: kind} for every kind, its labels in Chinese and English."""
    from flask_babel import force_locale

    from ..labels import TYPE_LABELS

    names = {normalize(kind): kind for kind in DOC_TYPES}
    names.update({normalize(kind.replace("_", " ")): kind for kind in DOC_TYPES})
    if has_app_context():
        for locale in ("zh", "en"):
            with force_locale(locale):
                names.update({normalize(str(label)): kind for kind, label in TYPE_LABELS.items()})
    return names


def _listed_names(field: str) -> tuple[dict[str, str], list[str]]:
    """({normalised value or label: stored value}, the labels in the reader's language) of `field`."""
    from ..group_names import ui_is_english
    from ..services.accounts import distinct_values

    names: dict[str, str] = {}
    for value, label in distinct_values(field, english=True):
        names.setdefault(normalize(value), value)
        names.setdefault(normalize(label), value)
    shown = [label for _value, label in distinct_values(field, english=ui_is_english())]
    return names, shown


def stored_values(q: wq.Query) -> tuple[wq.Query, list[tuple[str, str, tuple[str, ...]]]]:
    """`q` with each `type:`, `industry:`, `region:` value as the index holds it, and [(field, value as
    typed, the values there are)] for values that name nothing (searched as typed, normalised). A new
    query where anything changed (`q` may be a cached one). Outside an app (no database) only the kinds'
    codes and the normalisation apply."""
    fields = {t.fieldname for t in q.leaves() if isinstance(t, wq.Term) and isinstance(t.text, str)}
    wanted = [f for f in ("type", *LISTED_FIELDS) if f in fields]
    if not wanted:
        return q, []
    lists: dict[str, tuple[dict[str, str], list[str]]] = {}
    if "type" in wanted:
        lists["type"] = (_type_names(), list(DOC_TYPES))
    for field in LISTED_FIELDS:
        if field in wanted:
            lists[field] = _listed_names(field) if has_app_context() else ({}, [])
    unknown: list[tuple[str, str, tuple[str, ...]]] = []

    def one(node: wq.Query) -> wq.Query:
        if not (isinstance(node, wq.Term) and node.fieldname in lists and isinstance(node.text, str)):
            return node
        names, shown = lists[node.fieldname]
        stored = names.get(normalize(node.text))
        if stored is None:
            if node.fieldname != "type":  # (an unknown type has its own message: kb.search.query)
                unknown.append((node.fieldname, node.text, tuple(shown[:MAX_NAMED_VALUES])))
            stored = normalize(node.text) if node.fieldname != "type" else node.text
        if stored == node.text:
            return node
        return wq.Term(node.fieldname, stored, boost=node.boost)

    return q.accept(one), list(dict.fromkeys(unknown))
