"""Lead to Cash records → JSON-ready dicts (the API contract in docs/api.md, "Leads and opportunities").

Amounts are strings with two decimals (``"1250000.00"``: exact, no float rounding), dates ``YYYY-MM-DD``.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from kb import clock
from kb.services.opportunities import decision_cycle_days, stage_spans
from models import Lead, Opportunity, OpportunitySeat, Risk

from .serializers import _audit, _d, _enum


def money(value: Decimal | None) -> str | None:
    """An amount as an exact string with two decimals, or None."""
    return None if value is None else f"{value:.2f}"


def serialize_lead(lead: Lead) -> dict[str, Any]:
    """`id, account_id, prospect_name, title, description, source, estimated_amount, currency, owner_id,
    status, drop_reason, budget_confirmed, budget_amount, budget_confirmed_on, opportunity_id, visibility,
    version` (+ audit)."""
    return {
        "id": lead.id, "account_id": lead.account_id, "prospect_name": lead.prospect_name,
        "title": lead.title,
        "description": lead.description, "source": _enum(lead.source),
        "estimated_amount": money(lead.estimated_amount), "currency": lead.currency,
        "owner_id": lead.owner_id, "status": _enum(lead.status), "drop_reason": lead.drop_reason,
        "budget_confirmed": lead.budget_confirmed,
        "budget_amount": money(lead.budget_amount), "budget_confirmed_on": _d(lead.budget_confirmed_on),
        "opportunity_id": lead.opportunity.id if lead.opportunity is not None else None,
        "visibility": _enum(lead.visibility), "version": lead.version, **_audit(lead),
    }


def serialize_seat(seat: OpportunitySeat) -> dict[str, Any]:
    """A project-triangle seat with its state today (`scheduled`, `in_force`, `ended`; a seat cancelled
    before its start, e.g. by closing the opportunity, is `ended`)."""
    today = clock.today()
    state = ("in_force" if seat.in_force(today)
             else "scheduled" if seat.started_on > today and not seat.cancelled else "ended")
    return {"id": seat.id, "opportunity_id": seat.opportunity_id, "user_id": seat.user_id,
            "user_name": seat.user.name if seat.user is not None else None, "role": _enum(seat.role),
            "started_on": _d(seat.started_on), "ended_on": _d(seat.ended_on), "state": state,
            "note": seat.note}


def serialize_opportunity(opp: Opportunity) -> dict[str, Any]:
    """The opportunity, its computed stage durations and decision cycle, key-project fields and light
    history; seats are at `/opportunities/<id>/seats`."""
    return {
        "id": opp.id, "account_id": opp.account_id, "lead_id": opp.lead_id, "name": opp.name,
        "stage": _enum(opp.stage), "status": _enum(opp.status), "close_reason": opp.close_reason,
        "amount": money(opp.amount), "currency": opp.currency, "expected_close_on": _d(opp.expected_close_on),
        "win_probability": opp.win_probability, "competitors": opp.competitors, "solution": opp.solution,
        "notes": opp.notes, "visibility": _enum(opp.visibility),
        "stakeholder_ids": [s.id for s in opp.stakeholders],
        "opened_on": _d(opp.opened_on), "closed_on": _d(opp.closed_on),
        "decision_cycle_days": decision_cycle_days(opp),
        "stage_history": [{"stage": _enum(s.stage), "started_on": _d(s.started_on),
                           "ended_on": _d(s.ended_on), "days": s.days} for s in stage_spans(opp)],
        "key_project": opp.key_project, "light": _enum(opp.light), "light_reason": opp.light_reason,
        "key_owner_id": opp.key_owner_id, "next_review_on": _d(opp.next_review_on),
        "light_history": [{"light": _enum(c.light), "reason": c.reason, "changed_on": _d(c.changed_on),
                           "changed_by_id": c.changed_by_id}
                          for c in sorted(opp.light_changes, key=lambda c: c.id, reverse=True)],
        "version": opp.version, **_audit(opp),
    }


def serialize_risk(risk: Risk) -> dict[str, Any]:
    """`id, account_id, opportunity_id, description, owner_id, due_on, status, resolution, resolved_on,
    overdue, version` (+ audit)."""
    return {
        "id": risk.id, "account_id": risk.account_id, "opportunity_id": risk.opportunity_id,
        "description": risk.description, "owner_id": risk.owner_id, "due_on": _d(risk.due_on),
        "status": _enum(risk.status), "resolution": risk.resolution, "resolved_on": _d(risk.resolved_on),
        "overdue": risk.is_overdue(clock.today()), "version": risk.version, **_audit(risk),
    }


SERIALIZERS = {Lead: serialize_lead, Opportunity: serialize_opportunity, Risk: serialize_risk}
__all__ = ["SERIALIZERS", "money", "serialize_lead", "serialize_opportunity", "serialize_risk",
           "serialize_seat"]
