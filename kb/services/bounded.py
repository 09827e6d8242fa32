"""Bounded reads for the pages of a wide account (thousands of stakeholders and visits).

Each function runs a fixed number of statements with a LIMIT or a COUNT, so an account page, its brief,
its onboarding view and its forms do the same work for 5 or 30,000 people. What is left out is counted,
so the page can say how many more there are and link to the paged full list.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import case, func, select

from models import DecisionRole, Influence, Interaction, NextStep, RelationshipLayer, Stakeholder

from ..db import session
from ..policy import interaction_visible_clause
from .counted import rows_and_total
from .stakeholders import chain_options, order_by_hierarchy


def _active(account_id: int) -> Any:
    return (Stakeholder.account_id == account_id, Stakeholder.archived_at.is_(None))


def _importance() -> Any:
    """0 = decision-maker, 1 = high influence, 2 = key layer, 3 = other decision roles, 4 = the rest."""
    return case(
        (Stakeholder.decision_role == DecisionRole.DECISION_MAKER, 0),
        (Stakeholder.influence == Influence.HIGH, 1),
        (Stakeholder.layer == RelationshipLayer.KEY, 2),
        (Stakeholder.decision_role != DecisionRole.USER, 3),
        else_=4,
    )


def key_people(*, account_id: int, limit: int) -> list[Stakeholder]:
    """Up to `limit` active stakeholders, those who matter most first (decision-makers, high influence,
    key layer, other decision roles), returned in hierarchy order with `chain_depth` set.

    Owners and reports-to are eager-loaded: three statements whatever the size of the account. When the
    account has at most `limit` stakeholders, this is the whole decision chain.
    """
    return key_people_and_total(account_id=account_id, limit=limit)[0]


def key_people_and_total(*, account_id: int, limit: int) -> tuple[list[Stakeholder], int]:
    """`key_people` and how many active stakeholders the account has (`count_stakeholders`), in the same
    three statements (the total is a window count of the list's statement)."""
    rows, total = rows_and_total(
        select(Stakeholder).where(*_active(account_id)).options(*chain_options())
        .order_by(_importance(), Stakeholder.name, Stakeholder.id), limit=limit)
    rows.sort(key=lambda s: (s.name, s.id))
    return order_by_hierarchy(rows), total


def count_stakeholders(*, account_id: int) -> int:
    """How many active stakeholders the account has."""
    return session.scalar(select(func.count()).select_from(Stakeholder).where(*_active(account_id))) or 0


def stakeholders_stmt(*, account_id: int) -> Any:
    """SELECT of the account's active stakeholders by name (for paging), owners and reports-to eager-loaded."""
    return (select(Stakeholder).where(*_active(account_id)).options(*chain_options())
            .order_by(Stakeholder.name, Stakeholder.id))


def picker_stakeholders(*, account_id: int, limit: int, keep: Iterable[int] = (),
                        exclude_id: int | None = None) -> list[Stakeholder]:
    """Choices for a stakeholder picker: up to `limit` of the account's active stakeholders (those who
    matter most first), plus every stakeholder of the account in `keep` (the saved or submitted choices,
    even archived ones), by name. Two statements whatever the size of the account.
    """
    stmt = select(Stakeholder).where(*_active(account_id))
    if exclude_id is not None:
        stmt = stmt.where(Stakeholder.id != exclude_id)
    rows = list(session.scalars(stmt.order_by(_importance(), Stakeholder.name, Stakeholder.id).limit(limit)))
    have = {s.id for s in rows}
    wanted = [i for i in dict.fromkeys(keep) if isinstance(i, int) and i and i not in have and i != exclude_id]
    if wanted:
        rows += session.scalars(select(Stakeholder).where(
            Stakeholder.account_id == account_id, Stakeholder.id.in_(wanted[:1000])))
    return sorted(rows, key=lambda s: (s.name, s.id))


def count_open_next_steps(*, viewer: Any, account_id: int) -> int:
    """How many open next steps of the account's interactions `viewer` may see (as open_next_steps lists)."""
    return session.scalar(
        select(func.count()).select_from(NextStep).join(NextStep.interaction).where(
            NextStep.done.is_(False), Interaction.archived_at.is_(None), interaction_visible_clause(viewer),
            Interaction.account_id == account_id)
    ) or 0


def direct_reports(*, stakeholder_id: int, limit: int) -> tuple[list[Stakeholder], int]:
    """Up to `limit` active stakeholders reporting directly to this one (by name), and how many there are."""
    where = (Stakeholder.reports_to_id == stakeholder_id, Stakeholder.archived_at.is_(None))
    return rows_and_total(select(Stakeholder).where(*where).order_by(Stakeholder.name, Stakeholder.id),
                          limit=limit)
