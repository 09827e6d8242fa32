"""Reading interactions (拜访记录) and open next steps: the lists pages show, each filtered by what the viewer
may see (kb.policy.interaction_visible_clause). Split from kb/services/interactions.py (the writes), which
re-exports every name here."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from models import Account, Interaction, NextStep, Stakeholder, interaction_stakeholder

from .. import policy
from ..db import session
from ..policy import interaction_visible_clause
from .counted import rows_and_total


def interaction_options() -> list[Any]:
    """Loader options: all the interaction partials and pages touch, no lazy loads (steps' owners joined)."""
    return [
        selectinload(Interaction.stakeholders),
        selectinload(Interaction.attendees),
        selectinload(Interaction.next_steps).joinedload(NextStep.owner),
    ]


def visible_interactions_stmt(*, viewer: Any, account_id: int | None = None) -> Any:
    """SELECT of the (not archived) interactions `viewer` may see, newest first."""
    stmt = (
        select(Interaction)
        .where(interaction_visible_clause(viewer), Interaction.archived_at.is_(None))
        .order_by(Interaction.occurred_on.desc(), Interaction.id.desc())
    )
    if account_id is not None:
        stmt = stmt.where(Interaction.account_id == account_id)
    return stmt


def recent_interactions(*, account_id: int, viewer: Any, limit: int = 10) -> list[Interaction]:
    """The account's latest interactions `viewer` may see; stakeholders/attendees/next steps eager-loaded."""
    stmt = visible_interactions_stmt(viewer=viewer, account_id=account_id).options(*interaction_options())
    return list(session.scalars(stmt.limit(limit)))


def recent_interactions_and_total(*, account_id: int, viewer: Any, limit: int = 10
                                  ) -> tuple[list[Interaction], int]:
    """`recent_interactions` and `count_interactions` in one statement (plus the eager loads)."""
    stmt = visible_interactions_stmt(viewer=viewer, account_id=account_id).options(*interaction_options())
    return rows_and_total(stmt, limit=limit)


def count_interactions(*, account_id: int, viewer: Any) -> int:
    """How many of the account's interactions `viewer` may see."""
    stmt = visible_interactions_stmt(viewer=viewer, account_id=account_id).order_by(None)
    return session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def stakeholder_interactions_stmt(*, stakeholder: Stakeholder, viewer: Any) -> Any:
    """SELECT of the interactions where `stakeholder` was met that `viewer` may see, newest first, with
    their stakeholders, attendees and next steps eager-loaded (for kb.pagination.paginate)."""
    met = select(interaction_stakeholder.c.interaction_id).where(
        interaction_stakeholder.c.stakeholder_id == stakeholder.id)  # not .any(): no join of the stakeholder
    return (
        visible_interactions_stmt(viewer=viewer, account_id=stakeholder.account_id)
        .where(Interaction.id.in_(met))
        .options(*interaction_options())
    )


def stakeholder_interactions(*, stakeholder: Stakeholder, viewer: Any, limit: int = 50) -> list[Interaction]:
    """Interactions where `stakeholder` was met, limited to those `viewer` may see."""
    stmt = stakeholder_interactions_stmt(stakeholder=stakeholder, viewer=viewer)
    return list(session.scalars(stmt.limit(limit)))


def open_next_steps(*, viewer: Any, account_id: int | None = None, owner_id: int | None = None,
                    limit: int = 50) -> list[NextStep]:
    """Open (not done) next steps of interactions `viewer` may see, by due date (undated last).

    Each step has its owner, interaction and the interaction's account loaded.
    """
    return list(session.scalars(_open_next_steps_stmt(viewer=viewer, account_id=account_id,
                                                      owner_id=owner_id).limit(limit)))


def open_next_steps_and_total(*, viewer: Any, account_id: int | None = None, owner_id: int | None = None,
                              limit: int) -> tuple[list[NextStep], int]:
    """`open_next_steps` of an account or of an owner (up to `limit`) and how many there are in all (as
    kb.services.bounded.count_open_next_steps counts an account's), in one statement (plus the owners'
    load): home's "my open next steps" and the account page's list use it."""
    return rows_and_total(_open_next_steps_stmt(viewer=viewer, account_id=account_id, owner_id=owner_id),
                          limit=limit)


def _open_next_steps_stmt(*, viewer: Any, account_id: int | None, owner_id: int | None) -> Any:
    visible = interaction_visible_clause(viewer)
    if owner_id is not None:
        visible = NextStep.id.in_(_owned_visible_step_ids(viewer=viewer, owner_id=owner_id))
    stmt = (
        select(NextStep)
        .join(NextStep.interaction)
        .join(Interaction.account)
        .where(
            NextStep.done.is_(False),
            Interaction.archived_at.is_(None),
            visible,
        )
        .options(
            contains_eager(NextStep.interaction).contains_eager(Interaction.account),
            selectinload(NextStep.owner),
        )
        .order_by(NextStep.due_on.is_(None), NextStep.due_on, Interaction.occurred_on, NextStep.id)
    )
    if account_id is not None:
        stmt = stmt.where(Interaction.account_id == account_id)
    else:
        stmt = stmt.where(Account.archived_at.is_(None))
    if owner_id is not None:
        stmt = stmt.where(NextStep.owner_id == owner_id)
    return stmt


def _owned_visible_step_ids(*, viewer: Any, owner_id: int) -> Any:
    """SELECT of the ids of `owner_id`'s open next steps on interactions `viewer` may see (the rule of
    kb.policy.interaction_visible_clause, applied to the interaction's columns as carried by the CTE).

    The owner's few open steps are picked first (ix_next_step_owner_open) in a MATERIALIZED CTE, then
    filtered: issue 9, on PostgreSQL the visibility test on the interaction table itself made the planner
    scan every interaction (160k at 2,000 accounts) to join a handful of steps."""
    mine = (select(NextStep.id, Interaction.visibility, Interaction.account_id)
            .join(NextStep.interaction)
            .where(NextStep.owner_id == owner_id, NextStep.done.is_(False), Interaction.archived_at.is_(None))
            .cte("owned_open_steps").prefix_with("MATERIALIZED"))
    return select(mine.c.id).where(policy.team_only_clause(viewer, mine.c.visibility, mine.c.account_id))
