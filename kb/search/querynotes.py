"""Queries that are odd rather than wrong, answered with a message instead of silently nothing (issue 7
of session 8, kind 4):

- `type:account type:plan`: a document has one type, so all words required would find nothing; the
  types are alternatives (`merge_types`: any of them), and the message says so; the same for
  `industry:` and `region:`.
- `foo:bar`: there is no field `foo`; Whoosh searches the words as text, and the message names the fields
  there are (`unknown_fields`).
- `title:` with nothing after it: the message (kb.search.query) and the prefix is left out of the search
  (`drop_dangling`), so `title: 战略` searches 战略 and `title:` alone searches nothing.
"""
from __future__ import annotations

import re

from whoosh import query as wq

#: What a reader may write before `:` (kb.search.query.USER_FIELDS and its aliases, and `text`).
KNOWN_FIELDS = ("title", "body", "text", "content", "pinyin", "type", "kind", "industry", "region")
_FIELD_PREFIX = re.compile(r"(?:^|(?<=[\s(]))([^\W\d_]\w*):(?=[^\s:/])")
_DANGLING = re.compile(r"(^|\s)\w+:(?=\s|$)")


def unknown_fields(text: str) -> list[str]:
    """The `name:` prefixes in `text` (outside quotes) that are no field, in order, once each."""
    outside = " ".join(text.split('"')[::2])
    found = [m.group(1) for m in _FIELD_PREFIX.finditer(outside)]
    return list(dict.fromkeys(f for f in found if f.lower() not in KNOWN_FIELDS))


def drop_dangling(text: str) -> str:
    """`text` without field prefixes followed by nothing (`title: 战略` → `战略`)."""
    return _DANGLING.sub(r"\1", text).strip()


#: Fields of which a document has one value: several values required together are alternatives.
SINGLE_VALUED = ("type", "industry", "region")


def merge_types(q: wq.Query) -> tuple[wq.Query, list[tuple[str, list[str]]]]:
    """`q` with several values of one single-valued field (`type:`, `industry:`, `region:`) required
    together made alternatives (Or), and [(field, those values)] (empty: `q` unchanged). A new query:
    `q` may be a cached one."""
    merged: dict[str, list[str]] = {}

    def single(node: wq.Query, name: str) -> bool:
        return isinstance(node, wq.Term) and node.fieldname == name

    def visit(node: wq.Query) -> wq.Query:
        node = node.apply(visit) if node.children() else node
        if not isinstance(node, wq.And):
            return node
        kids = list(node.subqueries)
        for name in SINGLE_VALUED:
            values = [c for c in kids if single(c, name)]
            if len(values) > 1:
                merged.setdefault(name, []).extend(str(v.text) for v in values)
                kids = [c for c in kids if not single(c, name)] + [wq.Or(values)]
        if kids == list(node.subqueries):
            return node
        return wq.And(kids, boost=node.boost) if len(kids) > 1 else kids[0]

    if not any(isinstance(t, wq.Term) and t.fieldname in SINGLE_VALUED for t in q.leaves()):
        return q, []
    out = visit(q)
    found = [(name, list(dict.fromkeys(values))) for name, values in merged.items()]
    return (out, found) if found else (q, [])
