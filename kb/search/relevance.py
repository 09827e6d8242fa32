"""Judged relevance: how many judged queries have their expected records among the first results.

Used by the relevance test and `bench/relevance.py`; judgements name records by what people see (an
account's name, a person's name, a plan's account and period, an interaction's title), resolved here to
search document keys.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Account, AccountPlan, Interaction, Stakeholder

from .documents import doc_key
from .searching import SearchParams, search


@dataclass
class Judged:
    """One judged query's outcome: the expected keys, the top keys found and whether all are in them."""

    kind: str
    query: str
    expected: list[str]
    top: list[str]

    @property
    def ok(self) -> bool:
        return set(self.expected) <= set(self.top)


def resolve(session: Session, record: tuple[str, ...]) -> str:
    """The document key of a named record, e.g. ("account", "华东移动通信有限公司") → "account:1".

    Raises LookupError when no such record exists (a judgement that no longer matches the demo data)."""
    kind, name, *rest = record
    if kind == "account":
        stmt = select(Account.id).where(Account.name == name)
    elif kind == "stakeholder":
        stmt = select(Stakeholder.id).where(Stakeholder.name == name)
    elif kind == "plan":
        stmt = select(AccountPlan.id).join(Account).where(Account.name == name, AccountPlan.period == rest[0])
    elif kind == "interaction":
        stmt = select(Interaction.id).where(Interaction.title == name)
    else:
        raise LookupError(f"unknown record kind {kind!r}")
    found = session.scalars(stmt.limit(2)).all()
    if len(found) != 1:
        raise LookupError(f"{record!r} names {len(found)} records")
    return doc_key(kind, found[0])


def judge(session: Session, user: Any, judgements: Iterable[tuple[str, str, list[tuple[str, ...]]]], *,
          top: int = 3) -> list[Judged]:
    """Run each judged query as `user` (inside a request context) and compare its first `top` hits."""
    outcomes = []
    for kind, query, records in judgements:
        expected = [resolve(session, r) for r in records]
        found = search(SearchParams(q=query, per_page=top), user, with_facets=False)
        outcomes.append(Judged(kind, query, expected, [hit.key for hit in found.hits[:top]]))
    return outcomes
