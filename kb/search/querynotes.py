"""Queries that are odd rather than wrong, answered with a message instead of silently nothing (issue 7
of session 8, kind 4):

- `type:account type:plan`: a document has one type, so all words required would find nothing; the
  types are alternatives (`merge_types`: any of them), and the message says so.
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


def merge_types(q: wq.Query) -> tuple[wq.Query, list[str]]:
    """`q` with several `type:` words required together made alternatives (Or), and those types (empty:
    `q` unchanged). A new query: `q` may be a cached one."""
    merged: list[str] = []

    def visit(node: wq.Query) -> wq.Query:
        node = node.apply(visit) if node.children() else node
        if not isinstance(node, wq.And):
            return node
        types = [c for c in node.subqueries if isinstance(c, wq.Term) and c.fieldname == "type"]
        if len(types) < 2:
            return node
        merged.extend(str(t.text) for t in types)
        rest = [c for c in node.subqueries if not (isinstance(c, wq.Term) and c.fieldname == "type")]
        alternatives = wq.Or(types)
        return wq.And([*rest, alternatives], boost=node.boost) if rest else alternatives

    if not any(isinstance(t, wq.Term) and t.fieldname == "type" for t in q.leaves()):
        return q, []
    out = visit(q)
    return (out, list(dict.fromkeys(merged))) if merged else (q, [])
