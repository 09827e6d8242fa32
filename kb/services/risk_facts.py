"""What the relationship-risk rule reads of many stakeholders, as plain rows rather than ORM objects.

kb.services.relationship_risk checks a person through a handful of attributes: id, account, decision role,
influence, attitude, reports-to, and each owner's user id, primary flag, and user's active flag and name.
A page that only *counts* people at risk (the group page's accounts table: every person of 25 accounts)
or checks many to list a few (the dashboard: up to RISK_SCAN_LIMIT people) does not need whole
`Stakeholder` objects with their owners and users: building hundreds of them per request was most of those
pages' time at 2,000 accounts, and their garbage most of the rest (issue 9). `load_facts` reads the same
attributes in one statement into small records (named tuples, a __slots__ class) the rule's functions
accept unchanged, so the rule
stays one piece of code.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import select, true

from models import Attitude, DecisionRole, Influence, Stakeholder, StakeholderOwner, User

from ..db import session
from ..id_lists import in_ids


class OwnerUser(NamedTuple):
    """The owner's user as the rule reads it."""

    active: bool
    name: str


class OwnerFacts(NamedTuple):
    """One owner of a stakeholder as the rule reads it (`StakeholderFacts`'s attributes of the same names)."""

    user_id: int
    is_primary: bool
    user: OwnerUser


class StakeholderFacts:
    """A stakeholder as the rule reads it (`Stakeholder`'s attributes of the same names); `owners` primary
    first. A plain class with __slots__ (issue 9: frozen dataclasses cost several times as much to build,
    hundreds per request)."""

    __slots__ = ("id", "account_id", "decision_role", "influence", "attitude", "reports_to_id", "owners")

    def __init__(self, id: int, account_id: int, decision_role: DecisionRole,  # noqa: A002 - the attribute
                 influence: Influence, attitude: Attitude, reports_to_id: int | None) -> None:
        self.id = id
        self.account_id = account_id
        self.decision_role = decision_role
        self.influence = influence
        self.attitude = attitude
        self.reports_to_id = reports_to_id
        self.owners: list[OwnerFacts] = []

    def __repr__(self) -> str:
        return f"StakeholderFacts(id={self.id}, account_id={self.account_id})"


def read_rows(stmt: Any) -> Any:
    """The rows of `stmt` (a select of columns) as plain tuples, read through the session's connection
    without the ORM's per-row processing (issue 9: the rule reads a thousand rows or more for a group page,
    and that processing was a fifth of reading them); pending changes are flushed first, as
    `session.execute`'s autoflush would. Raises what executing the statement raises."""
    if session.autoflush:
        session.flush()
    return session.connection().execute(stmt)


def load_facts(*, where: Sequence[Any], order_by: Sequence[Any] = (), limit: int | None = None
               ) -> list[StakeholderFacts]:
    """The stakeholders matching `where` (SQL conditions on `Stakeholder`), ordered by `order_by` (ascending
    SQL expressions over Stakeholder's columns; the stakeholder id last, for a stable order) and at most
    `limit` of them, with their owners: ONE statement, however many people and owners (issue 9: on
    PostgreSQL each statement is a round trip; the ordered, limited people and their owners were two).
    Raises nothing."""
    if limit is None and not order_by:
        people: Any = Stakeholder.__table__
        person = [Stakeholder.id, Stakeholder.account_id, Stakeholder.decision_role, Stakeholder.influence,
                  Stakeholder.attitude, Stakeholder.reports_to_id]
        filters, order = list(where), [Stakeholder.id]
    else:
        # the people picked first (their order and limit), their sort keys kept as columns to order the rows
        # of their owners the same way
        keys = [expression.label(f"sort_{i}") for i, expression in enumerate(order_by)]
        picked = (select(*_fact_columns(), *keys).where(*where).order_by(*order_by, Stakeholder.id)
                  .limit(limit).subquery("picked"))
        people, filters = picked, []
        person = [picked.c[column.key] for column in _fact_columns()]
        order = [*(picked.c[key.name] for key in keys), picked.c.id]
    joined, user_id, is_primary = _with_owners(people, person[0])
    return _facts(read_rows(
        select(*person, user_id, is_primary, User.active, User.name).select_from(joined).where(*filters)
        # the order of Stakeholder.owners: the primary first
        .order_by(*order, is_primary.desc(), user_id)))


def _fact_columns() -> list[Any]:
    """The six facts of a person the rule reads, as Stakeholder columns (in StakeholderFacts's order)."""
    return [Stakeholder.id, Stakeholder.account_id, Stakeholder.decision_role, Stakeholder.influence,
            Stakeholder.attitude, Stakeholder.reports_to_id]


def _facts(rows: Any) -> list[StakeholderFacts]:
    """StakeholderFacts from rows of (the person's six facts, owner's user id, is_primary, user's active flag
    and name), each person's rows together (once with NULL owner columns when they have no owner)."""
    people: list[StakeholderFacts] = []
    last: StakeholderFacts | None = None
    for (stakeholder_id, account_id, role, influence, attitude, boss, user_id, is_primary, active,
         name) in rows:
        if last is None or last.id != stakeholder_id:
            last = StakeholderFacts(stakeholder_id, account_id, role, influence, attitude, boss)
            people.append(last)
        if user_id is not None:
            last.owners.append(OwnerFacts(user_id, bool(is_primary), OwnerUser(bool(active), name)))
    return people


def _with_owners(people: Any, person_id: Any) -> tuple[Any, Any, Any]:
    """(`people` — a FROM clause whose `person_id` column is a stakeholder's id — outer-joined to each
    person's owners and their users, the owner's user id column, its is_primary column).

    On PostgreSQL each person's owners are a LATERAL subquery: one seek of stakeholder_owner's primary key
    (stakeholder first) per person. As a plain outer join, PostgreSQL hashed every stakeholder_owner row
    (60,000 at 2,000 accounts: 3 ms for the group page's 200 people, SQLite 0.2 ms; issue 9) — its cost model
    prices a few hundred seeks above one scan. SQLite has no LATERAL and seeks by key anyway. The users are
    joined outside (a few hundred, read once)."""
    if session.connection().dialect.name != "postgresql":
        joined = people.outerjoin(StakeholderOwner, StakeholderOwner.stakeholder_id == person_id)
        user_id, is_primary = StakeholderOwner.user_id, StakeholderOwner.is_primary
    else:
        owners = (select(StakeholderOwner.user_id, StakeholderOwner.is_primary)
                  .where(StakeholderOwner.stakeholder_id == person_id)
                  # OFFSET 0 keeps it a subquery per person: without it PostgreSQL pulls a simple LATERAL
                  # subquery up into the join, and hashes every owner again
                  .offset(0).lateral("owners"))
        joined = people.outerjoin(owners, true())
        user_id, is_primary = owners.c.user_id, owners.c.is_primary
    return joined.outerjoin(User, User.id == user_id), user_id, is_primary
