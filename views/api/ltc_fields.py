"""JSON input shapes of the Lead to Cash API (leads, opportunities, seats, risks); services check meaning."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from kb.services import leads, ltc_risks, opportunities
from models import (
    LeadSource, LeadStatus, Light, OpportunityStage, OpportunityStatus, RiskStatus, SeatRole, Visibility,
)

from .validation import (
    MAX_ID, READ_ONLY, Field, Invalid, Schema, boolean, choice, id_list, integer, iso_date, string,
)


def amount(*, nullable: bool = True) -> Field:
    """An amount as a JSON number or a decimal string (the service checks sign and precision)."""
    def check(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise Invalid(_("Must be a number or a decimal string, e.g. \"1250000.00\"."))
        if isinstance(value, str) and len(value) > 40:
            raise Invalid(_("Must be a number or a decimal string, e.g. \"1250000.00\"."))
        return value
    return Field(check, False, nullable, {"anyOf": [
        {"type": "number"}, {"type": "string", "maxLength": 40, "examples": ["1250000.00"]}]})


def seat_map() -> Field:
    """The project triangle formed on opening: ``{"AR": user_id | null, "SR": …, "FR": …}`` (null or a
    role left out: no seat); the service checks who may hold a seat (errors on ``seats.AR`` etc.)."""
    roles = tuple(role.value for role in SeatRole)

    def check(value: Any) -> dict[str, int | None]:
        if not isinstance(value, dict):
            raise Invalid(_("Must be an object."))
        unknown = sorted(set(value) - set(roles))
        if unknown:
            raise Invalid(_("Unknown keys: %(keys)s. Allowed: %(allowed)s.", keys=", ".join(unknown),
                            allowed=", ".join(roles)))
        errors = {}
        for key, item in value.items():
            if item is not None and (isinstance(item, bool) or not isinstance(item, int) or not
                                     1 <= item <= MAX_ID):
                errors[key] = _("Must be a user id or null.")
        if errors:
            raise Invalid(errors)
        return dict(value)
    return Field(check, False, False, {
        "type": "object", "additionalProperties": False,
        "description": "Project iron triangle formed on the opening day: user id per role (null: no seat). "
                       "Left out: the holders of the account's customer-group triangle seats in force; "
                       "{} forms none.",
        "properties": {r: {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_ID} for r in roles}})


def percent() -> Field:
    return integer(minimum=0, maximum=100, nullable=True)


#: What GET returns but PATCH never takes.
LTC_READ_ONLY = READ_ONLY | frozenset({
    "opportunity_id", "lead_id", "opened_on", "closed_on", "decision_cycle_days", "stage_history",
    "light_history", "overdue", "resolved_on"})

LEAD = Schema({
    "account_id": integer(minimum=1, nullable=True),
    "prospect_name": string(200), "title": string(leads.TITLE_MAX, min_length=1, required=True),
    "description": string(leads.DESCRIPTION_MAX, strip=False), "source": choice(LeadSource),
    "estimated_amount": amount(), "currency": string(3), "owner_id": integer(minimum=1, nullable=True),
    "status": choice(LeadStatus), "drop_reason": string(leads.REASON_MAX), "budget_confirmed": boolean(),
    "budget_amount": amount(), "budget_confirmed_on": iso_date(nullable=True),
    "visibility": choice(Visibility),
}, ignore=LTC_READ_ONLY - {"account_id"})
LEAD_CHANGES = Schema({**LEAD.fields, "version": integer(minimum=0, nullable=True)},
                      ignore=LTC_READ_ONLY - {"account_id"})
CONVERT = Schema({"name": string(opportunities.NAME_MAX), "version": integer(minimum=0, nullable=True),
                  "seats": seat_map()})

OPPORTUNITY = Schema({
    "account_id": integer(minimum=1, required=True),
    "name": string(opportunities.NAME_MAX, min_length=1, required=True), "stage": choice(OpportunityStage),
    "status": choice(OpportunityStatus), "close_reason": string(opportunities.SHORT_MAX), "amount": amount(),
    "currency": string(3), "expected_close_on": iso_date(nullable=True), "win_probability": percent(),
    "competitors": string(opportunities.SHORT_MAX), "solution": string(opportunities.TEXT_MAX, strip=False),
    "notes": string(opportunities.TEXT_MAX, strip=False), "visibility": choice(Visibility),
    "stakeholder_ids": id_list(max_items=100), "key_project": boolean(),
    "light": choice(Light).nullable_copy(), "light_reason": string(opportunities.SHORT_MAX),
    "key_owner_id": integer(minimum=1, nullable=True), "next_review_on": iso_date(nullable=True),
    "seats": seat_map(),
}, ignore=LTC_READ_ONLY - {"account_id"})
OPPORTUNITY_CHANGES = Schema({**{k: v for k, v in OPPORTUNITY.fields.items() if k not in ("account_id", "seats")},
                              "version": integer(minimum=0, nullable=True)}, ignore=LTC_READ_ONLY)

SEAT = Schema({"user_id": integer(minimum=1, required=True), "role": choice(SeatRole, required=True),
               "started_on": iso_date(nullable=True), "note": string(500)},
              ignore=READ_ONLY | {"user_name", "state", "ended_on", "opportunity_id"})
SEAT_END = Schema({"ended_on": iso_date(nullable=True)})

RISK = Schema({
    "description": string(ltc_risks.DESCRIPTION_MAX, min_length=1, required=True),
    "owner_id": integer(minimum=1, nullable=True), "due_on": iso_date(nullable=True),
    "status": choice(RiskStatus), "resolution": string(ltc_risks.RESOLUTION_MAX, strip=False),
}, ignore=LTC_READ_ONLY)
RISK_CHANGES = Schema({**RISK.fields, "version": integer(minimum=0, nullable=True)}, ignore=LTC_READ_ONLY)
