"""The brief before a visit, led by the people we are meeting (issue 8 §6).

For each stakeholder the user says they will meet: who they are (role, attitude, influence, relationship
level, our owners), our history with them (how many interactions met them and since when), their last
interactions and the promises still open from interactions where they were present — all limited to what
the reader may see (kb.policy.interaction_visible_clause). A fixed number of statements whatever the number
of people (at most MAX_PEOPLE) and of their interactions (window functions pick each person's latest rows).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from models import Interaction, NextStep, Stakeholder, interaction_stakeholder

from .. import clock
from ..db import session
from ..policy import interaction_visible_clause
from .errors import ValidationFailed
from .stakeholders import chain_options

#: People a brief leads with at most; interactions and open promises shown per person.
MAX_PEOPLE, LAST_INTERACTIONS, OPEN_PROMISES = 8, 3, 5


@dataclass
class MeetingPerson:
    """One stakeholder we meet, with our history: `met_count` interactions since `first_met`."""

    stakeholder: Stakeholder
    met_count: int = 0
    first_met: date | None = None
    last_interactions: list[Interaction] = field(default_factory=list)
    open_promises: list[NextStep] = field(default_factory=list)


def meeting_people(*, account_id: int, stakeholder_ids: list[int], viewer: Any) -> list[MeetingPerson]:
    """The brief's people to meet, in the order chosen (duplicates dropped).

    Raises ValidationFailed (field "meeting") when more than MAX_PEOPLE are chosen or an id is not an
    active stakeholder of the account.
    """
    ids = list(dict.fromkeys(stakeholder_ids))
    if not ids:
        return []
    if len(ids) > MAX_PEOPLE:
        message = _("Choose at most %(max)d people to meet.", max=MAX_PEOPLE)
        raise ValidationFailed(message, fields={"meeting": message})
    people = {s.id: s for s in session.scalars(
        select(Stakeholder).where(Stakeholder.id.in_(ids), Stakeholder.account_id == account_id,
                                  Stakeholder.archived_at.is_(None)).options(*chain_options()))}
    if len(people) != len(ids):
        message = _("Choose people of this account from the list.")
        raise ValidationFailed(message, fields={"meeting": message})
    result = {sid: MeetingPerson(stakeholder=people[sid]) for sid in ids}
    met = (select(interaction_stakeholder.c.stakeholder_id, Interaction)
           .join(Interaction, Interaction.id == interaction_stakeholder.c.interaction_id)
           .where(interaction_stakeholder.c.stakeholder_id.in_(ids), Interaction.archived_at.is_(None),
                  Interaction.occurred_on <= clock.today(),  # a planned visit is not history yet
                  interaction_visible_clause(viewer)))
    for sid, count, first in session.execute(
            met.with_only_columns(interaction_stakeholder.c.stakeholder_id, func.count(),
                                  func.min(Interaction.occurred_on))
            .group_by(interaction_stakeholder.c.stakeholder_id)):
        result[sid].met_count, result[sid].first_met = count, first
    isc = interaction_stakeholder.c
    ranked = (met.with_only_columns(isc.stakeholder_id, Interaction.id, func.row_number().over(
        partition_by=isc.stakeholder_id, order_by=(Interaction.occurred_on.desc(), Interaction.id.desc()))
        .label("rank")).subquery())
    for sid, interaction in session.execute(
            select(ranked.c.stakeholder_id, Interaction).join(Interaction, Interaction.id == ranked.c.id)
            .where(ranked.c.rank <= LAST_INTERACTIONS)
            .order_by(Interaction.occurred_on.desc(), Interaction.id.desc())):
        result[sid].last_interactions.append(interaction)
    open_steps = (
        select(isc.stakeholder_id, NextStep.id, func.row_number().over(
            partition_by=isc.stakeholder_id,
            order_by=(NextStep.due_on.is_(None), NextStep.due_on, NextStep.id)).label("rank"))
        .join(Interaction, Interaction.id == NextStep.interaction_id)
        .join(interaction_stakeholder, isc.interaction_id == Interaction.id)
        .where(isc.stakeholder_id.in_(ids), NextStep.done.is_(False), Interaction.archived_at.is_(None),
               interaction_visible_clause(viewer))).subquery()
    for sid, step in session.execute(
            select(open_steps.c.stakeholder_id, NextStep).join(open_steps, open_steps.c.id == NextStep.id)
            .where(open_steps.c.rank <= OPEN_PROMISES)
            .options(selectinload(NextStep.interaction), selectinload(NextStep.owner))
            .order_by(NextStep.due_on.is_(None), NextStep.due_on, NextStep.id)):
        result[sid].open_promises.append(step)
    return [result[sid] for sid in ids]
