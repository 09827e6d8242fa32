"""What the relationship-risk rule reads of many stakeholders, as plain rows rather than ORM objects.

kb.services.relationship_risk checks a person through a handful of attributes: id, account, decision role,
influence, attitude, reports-to, and each owner's user id, primary flag, and user's active flag and name.
A page that only *counts* people at risk (the group page's accounts table: every person of 25 accounts)
or checks many to list a few (the dashboard: up to RISK_SCAN_LIMIT people) does not need whole
`Stakeholder` objects with their owners and users: building hundreds of them per request was most of those
pages' time at 2,000 accounts, and their garbage most of the rest (issue 9). `load_facts` reads the same
attributes in two statements into small records (named tuples, a __slots__ class) the rule's functions
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
    """The stakeholders matching `where` (SQL conditions on `Stakeholder`), ordered by `order_by` (the
    stakeholder id last, for a stable order) and at most `limit` of them, with their owners: two
    statements, however many people and owners (one, when there is neither `order_by` nor `limit`: the
    owners joined to the people). Raises nothing."""
    if limit is None and not order_by:
        return _load_joined(where)
    stmt = (select(Stakeholder.id, Stakeholder.account_id, Stakeholder.decision_role, Stakeholder.influence,
                   Stakeholder.attitude, Stakeholder.reports_to_id)
            .where(*where).order_by(*order_by, Stakeholder.id))
    if limit is not None:
        stmt = stmt.limit(limit)
    people = [StakeholderFacts(*row) for row in read_rows(stmt)]
    if not people:
        return []
    by_id = {p.id: p for p in people}
    for stakeholder_id, user_id, is_primary, active, name in read_rows(
            select(StakeholderOwner.stakeholder_id, StakeholderOwner.user_id, StakeholderOwner.is_primary,
                   User.active, User.name)
            .join(User, User.id == StakeholderOwner.user_id)
            # the ids themselves, not the people's statement again (its sort, for a LIMIT, ran twice)
            .where(in_ids(StakeholderOwner.stakeholder_id, by_id))
            # the order of Stakeholder.owners: the primary first
            .order_by(StakeholderOwner.stakeholder_id, StakeholderOwner.is_primary.desc(),
                      StakeholderOwner.user_id)):
        by_id[stakeholder_id].owners.append(
            OwnerFacts(user_id, bool(is_primary), OwnerUser(bool(active), name)))
    return people


def _load_joined(where: Sequence[Any]) -> list[StakeholderFacts]:
    """load_facts without order or limit in one statement: each person's row once per owner (once when
    they have none), by stakeholder id and then as Stakeholder.owners orders owners (issue 9: the group
    page's count over every person of 25 accounts read the owners by a list of ~500 ids)."""
    people: list[StakeholderFacts] = []
    last: StakeholderFacts | None = None
    for (stakeholder_id, account_id, role, influence, attitude, boss, user_id, is_primary, active,
         name) in read_rows(_joined_stmt(where)):
        if last is None or last.id != stakeholder_id:
            last = StakeholderFacts(stakeholder_id, account_id, role, influence, attitude, boss)
            people.append(last)
        if user_id is not None:
            last.owners.append(OwnerFacts(user_id, bool(is_primary), OwnerUser(bool(active), name)))
    return people


def _joined_stmt(where: Sequence[Any]) -> Any:
    """_load_joined's statement: the people with their owners and the owners' users, one row per owner.

    On PostgreSQL each person's owners are a LATERAL subquery: one seek of stakeholder_owner's primary key
    (stakeholder first) per person and of user's per owner. As a plain outer join, PostgreSQL hashed every
    stakeholder_owner row (60,000 at 2,000 accounts: 3 ms of the group page's 200 people, SQLite 0.2 ms;
    issue 9) — its cost model prices a few hundred seeks above one scan. SQLite has no LATERAL and seeks by
    key anyway."""
    columns = (Stakeholder.id, Stakeholder.account_id, Stakeholder.decision_role, Stakeholder.influence,
               Stakeholder.attitude, Stakeholder.reports_to_id)
    if session.connection().dialect.name != "postgresql":
        return (select(*columns, StakeholderOwner.user_id, StakeholderOwner.is_primary, User.active, User.name)
                .outerjoin(StakeholderOwner, StakeholderOwner.stakeholder_id == Stakeholder.id)
                .outerjoin(User, User.id == StakeholderOwner.user_id)
                .where(*where)
                .order_by(Stakeholder.id, StakeholderOwner.is_primary.desc(), StakeholderOwner.user_id))
    owners = (select(StakeholderOwner.user_id, StakeholderOwner.is_primary)
              .where(StakeholderOwner.stakeholder_id == Stakeholder.id)
              # OFFSET 0 keeps it a subquery per person: without it PostgreSQL pulls a simple LATERAL
              # subquery up into the join, and hashes every owner again
              .offset(0).lateral("owners"))
    # (the users joined outside: a few hundred, read once, rather than looked up in the subquery per person)
    return (select(*columns, owners.c.user_id, owners.c.is_primary, User.active, User.name)
            .select_from(Stakeholder).outerjoin(owners, true())
            .outerjoin(User, User.id == owners.c.user_id)
            .where(*where)
            .order_by(Stakeholder.id, owners.c.is_primary.desc(), owners.c.user_id))
