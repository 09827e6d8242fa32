"""Records → JSON-ready dicts. Field names here are the API contract (docs/api.md): change nothing lightly.

Dates are ``YYYY-MM-DD``; datetimes ISO 8601 with their UTC offset. Enums are given by value.
"""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from kb import clock, policy
from kb.clock import today
from kb.db import session
from models import (
    ANSWER_FIELDS, Account, AccountPlan, CustomerGroup, Interaction, NextStep, PlanRevision, SeatState,
    Stakeholder, TriangleSeat, User,
)


def _dt(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _d(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _enum(value: enum.Enum | None) -> Any:
    return value.value if value is not None else None


def _audit(obj: Any) -> dict[str, Any]:
    return {
        "created_at": _dt(obj.created_at), "updated_at": _dt(obj.updated_at),
        "created_by_id": obj.created_by_id, "updated_by_id": obj.updated_by_id,
    }


def serialize_user(user: User, *, full: bool = False) -> dict[str, Any]:
    """`id, email, name, role` (+ `active`, `locale` for the admin list)."""
    data = {"id": user.id, "email": user.email, "name": user.name, "role": _enum(user.role)}
    if full:
        data.update(active=user.active, locale=user.locale, created_at=_dt(user.created_at),
                    version=user.version)
    return data


def serialize_account(account: Account) -> dict[str, Any]:
    return {
        "id": account.id, "name": account.name, "name_en": account.name_en,
        "aliases": list(account.aliases or []), "industry": account.industry, "region": account.region,
        "tier": _enum(account.tier), "coverage": _enum(account.coverage), "description": account.description,
        "customer_group_id": account.customer_group_id, "parent_id": account.parent_id,
        "archived": account.archived, "version": account.version, **_audit(account),
    }


def serialize_plan(plan: AccountPlan) -> dict[str, Any]:
    # By id, not through `plan.updated_by`: that relationship may still hold the editor before this save.
    author = session.get(User, plan.updated_by_id) if plan.updated_by_id else None
    data: dict[str, Any] = {"account_id": plan.account_id, "period": plan.period}
    data.update({key: getattr(plan, key) or "" for key in ANSWER_FIELDS})
    data.update(
        decision_maker_ids=sorted(s.id for s in plan.decision_maker_links),
        sections=dict(plan.sections or {}), status=_enum(plan.status), reviewed_on=_d(plan.reviewed_on),
        version=plan.version, created_at=_dt(plan.created_at), updated_at=_dt(plan.updated_at),
        updated_by={"id": author.id, "name": author.name} if author is not None else None,
    )
    from .serializers_targets import serialize_targets  # late: it imports serializers_ltc, which imports us

    data["targets"] = serialize_targets(plan)
    return data


def serialize_revision(revision: PlanRevision) -> dict[str, Any]:
    return {
        "number": revision.number, "author_id": revision.author_id, "created_at": _dt(revision.created_at),
        "comment": revision.comment, "restored_from": revision.restored_from, "content": revision.content,
    }


#: Contact details: personal data for the account team and admins only, like private notes.
CONTACT_KEYS = ("phone", "mobile", "email", "wechat_id", "assistant_name", "assistant_contact")


def serialize_stakeholder(stakeholder: Stakeholder, *, with_private: bool) -> dict[str, Any]:
    """With `with_private` False the `private_notes` key and the contact keys (CONTACT_KEYS) are left out
    altogether."""
    primary = next((o.user_id for o in stakeholder.owners if o.is_primary), None)
    data = {
        "id": stakeholder.id, "account_id": stakeholder.account_id, "name": stakeholder.name,
        "title": stakeholder.title, "department": stakeholder.department,
        "reports_to_id": stakeholder.reports_to_id, "decision_role": _enum(stakeholder.decision_role),
        "attitude": _enum(stakeholder.attitude), "influence": _enum(stakeholder.influence),
        "layer": _enum(stakeholder.layer), "relationship_level": stakeholder.relationship_level,
        "owner_ids": [o.user_id for o in stakeholder.owners], "primary_owner_id": primary,
        "notes": stakeholder.notes, "archived": stakeholder.archived_at is not None,
        "version": stakeholder.version, **_audit(stakeholder),
    }
    if with_private:
        data["private_notes"] = stakeholder.private_notes
        data.update({key: getattr(stakeholder, key) for key in CONTACT_KEYS})
    return data


def serialize_next_step(step: NextStep) -> dict[str, Any]:
    """`overdue` (read-only): open and due before today in the configured zone (KB_TIMEZONE)."""
    return {"id": step.id, "text": step.text, "owner_id": step.owner_id, "due_on": _d(step.due_on),
            "done": step.done, "overdue": step.is_overdue(clock.today()), "version": step.version}


def serialize_interaction(interaction: Interaction) -> dict[str, Any]:
    return {
        "id": interaction.id, "account_id": interaction.account_id,
        "occurred_on": _d(interaction.occurred_on),
        "kind": _enum(interaction.kind), "title": interaction.title, "summary": interaction.summary,
        "stakeholder_ids": [s.id for s in interaction.stakeholders],
        "attendee_ids": [u.id for u in interaction.attendees],
        "next_steps": [serialize_next_step(s) for s in interaction.next_steps],
        "visibility": _enum(interaction.visibility), "version": interaction.version, **_audit(interaction),
    }


def serialize_seat(seat: TriangleSeat, day: date | None = None) -> dict[str, Any]:
    """A seat, with its `state` on `day` (default today): scheduled, in_force or ended."""
    return {"id": seat.id, "user_id": seat.user_id, "role": _enum(seat.role),
            "started_on": _d(seat.started_on), "ended_on": _d(seat.ended_on), "note": seat.note,
            "state": seat.state_on(day or today()).value}


def serialize_group(group: CustomerGroup) -> dict[str, Any]:
    """A group with its seats in force today (newest first), seats scheduled to start later (soonest
    first) and past seats (most recently ended first)."""
    day = today()
    seats = sorted(group.seats, key=lambda s: (s.started_on, s.id), reverse=True)
    by_state: dict[SeatState, list[TriangleSeat]] = {state: [] for state in SeatState}
    for seat in seats:
        by_state[seat.state_on(day)].append(seat)
    past = sorted(by_state[SeatState.ENDED], key=lambda s: (s.ended_on, s.id), reverse=True)
    return {
        "id": group.id, "name": group.name, "name_en": group.name_en, "description": group.description,
        "current_seats": [serialize_seat(s, day) for s in by_state[SeatState.IN_FORCE]],
        "scheduled_seats": [serialize_seat(s, day) for s in reversed(by_state[SeatState.SCHEDULED])],
        "past_seats": [serialize_seat(s, day) for s in past], "version": group.version, **_audit(group),
    }


def serialize_current(current: Any, viewer: Any = None) -> Any:
    """What a Conflict carries as the stored record, in its API form (as `viewer` may read it)."""
    if isinstance(current, AccountPlan):
        return serialize_plan(current)
    if isinstance(current, Stakeholder):
        private = viewer is not None and policy.sees_team_content(viewer, current.account_id)
        return serialize_stakeholder(current, with_private=private)
    serializers = {Account: serialize_account, Interaction: serialize_interaction,
                   NextStep: serialize_next_step, CustomerGroup: serialize_group}
    if isinstance(current, User):
        return serialize_user(current, full=True)
    from .serializers_ltc import SERIALIZERS as LTC_SERIALIZERS  # leads, opportunities, risks

    serializers.update(LTC_SERIALIZERS)
    from .serializers_contracts import SERIALIZERS as CONTRACT_SERIALIZERS

    serializers.update(CONTRACT_SERIALIZERS)
    serialize = serializers.get(type(current))
    return serialize(current) if serialize is not None else None
