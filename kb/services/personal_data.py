"""Personal data of a stakeholder: export everything held about one person, and erase it.

Stakeholders are people: an admin can hand over (export) all personal data held about one of them, and
erase it. Erasing replaces the name by a placeholder, clears contact details and private notes, purges the
field history, replaces the old name in the account's stored texts (plans and every plan revision,
interactions and their next steps, the stakeholder's notes) and in the note of any handover naming them, so
it is found nowhere, search included (the changed rows go through the search outbox); interactions stay,
linked to the placeholder. The erasure is recorded: who, when, which stakeholder id — never the name.
"""
from __future__ import annotations

import enum
import logging
import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import selectinload

from models import (
    ANSWER_FIELDS, AccountPlan, Handover, Interaction, PersonalDataErasure, PlanRevision, Stakeholder,
    StakeholderChange, User, interaction_stakeholder,
)

from .. import policy
from ..db import session
from . import stakeholder_history
from .stakeholder_contacts import CONTACT_FIELDS

logger = logging.getLogger(__name__)

#: At most this many interactions, plans and revisions are read per export or erasure (bounded work).
MAX_ROWS = 5_000
PLACEHOLDER_ZH = "已删除的联系人 #%d"
PLACEHOLDER_EN = "Erased contact #%d"


def _value(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _names(stakeholder: Stakeholder) -> list[str]:
    """The names to purge: Chinese and English name, each at least two characters, longest first."""
    names = {n.strip() for n in (stakeholder.name, stakeholder.name_en) if n and len(n.strip()) >= 2}
    return sorted(names, key=len, reverse=True)


def _mentions(text: Any, names: list[str]) -> bool:
    blob = str(text).casefold()
    return any(n.casefold() in blob for n in names)


def _met_interactions(stakeholder_id: int) -> list[Interaction]:
    return list(session.scalars(
        select(Interaction).join(interaction_stakeholder,
                                 interaction_stakeholder.c.interaction_id == Interaction.id)
        .where(interaction_stakeholder.c.stakeholder_id == stakeholder_id)
        .options(selectinload(Interaction.next_steps)).order_by(Interaction.occurred_on, Interaction.id)
        .limit(MAX_ROWS)
    ))


def _revisions(account_id: int) -> list[PlanRevision]:
    return list(session.scalars(
        select(PlanRevision).join(AccountPlan, AccountPlan.id == PlanRevision.plan_id)
        .where(AccountPlan.account_id == account_id).order_by(PlanRevision.id).limit(MAX_ROWS)
    ))


def export_personal_data(*, stakeholder: Stakeholder, actor: User) -> dict[str, Any]:
    """Everything held about one stakeholder, as JSON-ready data: `record`, `contacts`, `private_notes`,
    `interactions` (those that met them), `plan_revisions` (those mentioning the name: plan id, number,
    created_at), `history` (field changes) and `erasures`.

    Raises PermissionDenied unless `actor` is an admin (kb.policy.check_may_manage). Bounded: at most
    MAX_ROWS interactions and revisions are read.
    """
    policy.check_may_manage(actor)
    s = stakeholder
    names = _names(s)
    record = {key: _value(getattr(s, key)) for key in (
        "id", "account_id", "name", "name_en", "title", "department", "reports_to_id", "decision_role",
        "attitude", "influence", "layer", "relationship_level", "notes", "created_at", "updated_at")}
    record["owner_ids"] = [o.user_id for o in s.owners]
    interactions = [{"id": i.id, "occurred_on": i.occurred_on.isoformat(), "kind": i.kind.value,
                     "title": i.title, "summary": i.summary, "visibility": i.visibility.value,
                     "next_steps": [step.text for step in i.next_steps]} for i in _met_interactions(s.id)]
    revisions = [{"plan_id": r.plan_id, "number": r.number, "created_at": r.created_at.isoformat()}
                 for r in _revisions(s.account_id) if names and _mentions(r.content, names)]
    erasures = [{"erased_by_id": e.erased_by_id, "erased_at": e.erased_at.isoformat()}
                for e in session.scalars(select(PersonalDataErasure)
                                         .where(PersonalDataErasure.stakeholder_id == s.id))]
    return {
        "stakeholder_id": s.id, "record": record,
        "contacts": {field: getattr(s, field) for field in CONTACT_FIELDS},
        "private_notes": s.private_notes, "interactions": interactions, "plan_revisions": revisions,
        "history": stakeholder_history.history_rows(stakeholder_id=s.id), "erasures": erasures,
    }


def _purge(value: Any, pattern: re.Pattern[str], placeholder: str) -> Any:
    """`value` (text, or lists and dicts of text, as JSON holds them) with every match replaced."""
    if isinstance(value, str):
        return pattern.sub(placeholder, value)
    if isinstance(value, list):
        return [_purge(v, pattern, placeholder) for v in value]
    if isinstance(value, dict):
        return {k: _purge(v, pattern, placeholder) for k, v in value.items()}
    return value


def _purge_texts(account_id: int, pattern: re.Pattern[str], placeholder: str) -> int:
    """Replace the old name in the account's plans, plan revisions, interactions and next steps; bump the
    version of changed interactions (an edit form opened before cannot write the name back). Returns how
    many records changed."""
    changed = 0
    plans = session.scalars(select(AccountPlan).where(AccountPlan.account_id == account_id).limit(MAX_ROWS))
    for plan in plans:
        before = [getattr(plan, f) for f in ANSWER_FIELDS] + [plan.sections]
        for f in ANSWER_FIELDS:
            setattr(plan, f, _purge(getattr(plan, f), pattern, placeholder))
        plan.sections = _purge(dict(plan.sections or {}), pattern, placeholder)
        if before != [getattr(plan, f) for f in ANSWER_FIELDS] + [plan.sections]:
            changed += 1  # the plan's version numbers its revisions: it stays, no revision is added
    for revision in _revisions(account_id):
        content = _purge(revision.content, pattern, placeholder)
        if content != revision.content:
            revision.content = content
            changed += 1
    interactions = session.scalars(select(Interaction).where(Interaction.account_id == account_id)
                                   .options(selectinload(Interaction.next_steps)).limit(MAX_ROWS))
    for i in interactions:
        before = (i.title, i.summary, [step.text for step in i.next_steps])
        i.title, i.summary = _purge(i.title, pattern, placeholder), _purge(i.summary, pattern, placeholder)
        for step in i.next_steps:
            step.text = _purge(step.text, pattern, placeholder)
        if before != (i.title, i.summary, [step.text for step in i.next_steps]):
            i.version += 1
            changed += 1
    return changed


def _purge_handover_notes(names: list[str], pattern: re.Pattern[str], placeholder: str) -> int:
    """Replace the old name in the note of every handover that mentions it (handover pages and briefs
    show the note, whoever's account it was). The candidates are found in SQL (bounded by MAX_ROWS);
    the regular expression does the replacing. Returns how many notes changed."""
    mentions = [Handover.note.ilike(f"%{n}%", escape="\\") for n in
                (n.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for n in names)]
    changed = 0
    for handover in session.scalars(select(Handover).where(or_(*mentions)).limit(MAX_ROWS)):
        note = _purge(handover.note or "", pattern, placeholder)
        if note != handover.note:
            handover.note = note
            changed += 1
    return changed


def erase_personal_data(*, stakeholder: Stakeholder, actor: User) -> PersonalDataErasure:
    """Erase the personal data held about `stakeholder` (see the module docstring) and record it.

    Adds and flushes; the caller commits. Raises PermissionDenied unless `actor` is an admin. Erasing
    twice is harmless (the placeholder has nothing left to purge).
    """
    policy.check_may_manage(actor)
    s = stakeholder
    names = _names(s)
    placeholder = PLACEHOLDER_ZH % s.id
    if names:
        pattern = re.compile("|".join(re.escape(n) for n in names), re.IGNORECASE)
        _purge_texts(s.account_id, pattern, placeholder)
        _purge_handover_notes(names, pattern, placeholder)
        s.notes = _purge(s.notes or "", pattern, placeholder)
    s.name, s.name_en = placeholder, PLACEHOLDER_EN % s.id
    s.private_notes = ""
    for field in CONTACT_FIELDS:
        setattr(s, field, "")
    s.version += 1
    s.touch(actor.id)
    session.execute(delete(StakeholderChange).where(StakeholderChange.stakeholder_id == s.id))
    erasure = PersonalDataErasure(stakeholder_id=s.id, erased_by_id=actor.id)
    session.add(erasure)
    session.flush()
    logger.info("personal data of stakeholder %s erased by user %s", s.id, actor.id)
    return erasure


def erasure_of(stakeholder_id: int) -> PersonalDataErasure | None:
    """The latest erasure of a stakeholder's personal data, if any."""
    return session.scalars(
        select(PersonalDataErasure).where(PersonalDataErasure.stakeholder_id == stakeholder_id)
        .order_by(PersonalDataErasure.id.desc()).limit(1)
    ).first()


def stakeholder_with_erasure(*, stakeholder_id: int, options: Sequence[Any] = ()
                             ) -> tuple[Stakeholder, PersonalDataErasure | None] | None:
    """(the stakeholder, its latest erasure as `erasure_of` gives it, or None) in one statement, or None
    when there is no such stakeholder. `options`: loader options for the stakeholder (joined eager loads
    keep it one statement). Issue 9: the stakeholder page read the erasure in a statement of its own."""
    latest = (select(func.max(PersonalDataErasure.id))
              .where(PersonalDataErasure.stakeholder_id == Stakeholder.id)
              .correlate(Stakeholder).scalar_subquery())
    row = session.execute(
        select(Stakeholder, PersonalDataErasure)
        .outerjoin(PersonalDataErasure, and_(PersonalDataErasure.stakeholder_id == Stakeholder.id,
                                             PersonalDataErasure.id == latest))
        .where(Stakeholder.id == stakeholder_id).options(*options)
    ).unique().first()
    return None if row is None else (row[0], row[1])
