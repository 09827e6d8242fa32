"""Bodies of the Lead to Cash API (leads, opportunities, project-triangle seats, risks)."""
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, WithJsonSchema, WrapValidator, create_model, model_validator
from pydantic_core import PydanticCustomError

from kb.inputs import MAX_ID
from kb.services import leads, ltc_risks, opportunities, opportunity_seats
from models import (
    LeadSource, LeadStatus, Light, OpportunityStage, OpportunityStatus, RiskStatus, SeatRole, Visibility,
)

from .base import READ_ONLY, Amount, BodyModel, Choice, Id, IdList, Int, IsoDate, Text, Version
from .records import MAX_LINKED, Currency

#: What GET returns but PATCH never takes.
LTC_READ_ONLY = READ_ONLY | frozenset({
    "opportunity_id", "lead_id", "opened_on", "closed_on", "decision_cycle_days", "stage_history",
    "light_history", "overdue", "resolved_on"})
ROLES = tuple(role.value for role in SeatRole)
#: A probability in percent.
Percent = Int(0, 100) | None


def _seat_user(value: Any, handler: Any) -> Any:
    try:
        return handler(value)
    except Exception:  # noqa: BLE001 — any failure of this one value: the same message
        raise PydanticCustomError("seat_user", "Must be a user id or null.") from None


class _SeatMap(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    @model_validator(mode="before")
    @classmethod
    def _known_roles(cls, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(ROLES))
            if unknown:
                raise PydanticCustomError("unknown_keys", "", {"keys": ", ".join(map(str, unknown)),
                                                               "allowed": ", ".join(ROLES)})
        return data


#: `{"AR": user_id | null, "SR": …, "FR": …}` (null or a role left out: no seat); the service checks who
#: may hold a seat (errors on `seats.AR` etc.).
SeatMapInput = create_model(  # type: ignore[call-overload]
    "SeatMapInput", __base__=_SeatMap,
    **{role: (Annotated[Id | None, WrapValidator(_seat_user)], None) for role in ROLES})
#: The seat map as a body field, documented inline (as the tests and clients read it).
SeatMap = Annotated[SeatMapInput, WithJsonSchema({
    "type": "object", "additionalProperties": False,
    "description": "Project iron triangle formed on the opening day: user id per role (null: no seat). "
                   "Left out: the holders of the account's customer-group triangle seats in force; {} forms none.",
    "properties": {role: {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_ID} for role in ROLES}})]


class NewLead(BodyModel):
    """POST /leads."""

    ignored: ClassVar[frozenset[str]] = LTC_READ_ONLY - {"account_id"}
    account_id: Id | None = None
    prospect_name: Text(leads.PROSPECT_MAX) = None
    title: Text(leads.TITLE_MAX, min=1)
    description: Text(leads.DESCRIPTION_MAX, strip=False) = None
    source: Choice(LeadSource) = None
    estimated_amount: Amount | None = None
    currency: Currency = None
    owner_id: Id | None = None
    status: Choice(LeadStatus) = None
    drop_reason: Text(leads.REASON_MAX) = None
    budget_confirmed: bool = None
    budget_amount: Amount | None = None
    budget_confirmed_on: IsoDate | None = None
    visibility: Choice(Visibility) = None


class LeadChanges(NewLead):
    """PATCH /leads/<id> (partial)."""

    version: Version = None


class ConvertInput(BodyModel):
    """POST /leads/<id>/convert."""

    name: Text(opportunities.NAME_MAX) = None
    version: Version = None
    seats: SeatMap = None


class _Opportunity(BodyModel):
    ignored: ClassVar[frozenset[str]] = LTC_READ_ONLY - {"account_id"}
    name: Text(opportunities.NAME_MAX, min=1)
    stage: Choice(OpportunityStage) = None
    status: Choice(OpportunityStatus) = None
    close_reason: Text(opportunities.SHORT_MAX) = None
    amount: Amount | None = None
    currency: Currency = None
    expected_close_on: IsoDate | None = None
    win_probability: Percent = None
    competitors: Text(opportunities.SHORT_MAX) = None
    solution: Text(opportunities.TEXT_MAX, strip=False) = None
    notes: Text(opportunities.TEXT_MAX, strip=False) = None
    visibility: Choice(Visibility) = None
    stakeholder_ids: IdList(MAX_LINKED) = None
    key_project: bool = None
    light: Choice(Light) | None = None
    light_reason: Text(opportunities.SHORT_MAX) = None
    key_owner_id: Id | None = None
    next_review_on: IsoDate | None = None


class NewOpportunity(_Opportunity):
    """POST /opportunities."""

    account_id: Id
    seats: SeatMap = None


class OpportunityChanges(_Opportunity):
    """PATCH /opportunities/<id> (partial)."""

    ignored: ClassVar[frozenset[str]] = LTC_READ_ONLY
    version: Version = None


class OpportunitySeatInput(BodyModel):
    """POST /opportunities/<id>/seats."""

    ignored: ClassVar[frozenset[str]] = READ_ONLY | {"user_name", "state", "ended_on", "opportunity_id"}
    user_id: Id
    role: Choice(SeatRole)
    started_on: IsoDate | None = None
    note: Text(opportunity_seats.NOTE_MAX) = None


class SeatEnd(BodyModel):
    """POST /opportunity-seats/<id>/end."""

    ended_on: IsoDate | None = None


class NewRisk(BodyModel):
    """POST /opportunities/<id>/risks."""

    ignored: ClassVar[frozenset[str]] = LTC_READ_ONLY
    description: Text(ltc_risks.DESCRIPTION_MAX, min=1)
    owner_id: Id | None = None
    due_on: IsoDate | None = None
    status: Choice(RiskStatus) = None
    resolution: Text(ltc_risks.RESOLUTION_MAX, strip=False) = None


class RiskChanges(NewRisk):
    """PATCH /risks/<id> (partial)."""

    version: Version = None


__all__ = ["ConvertInput", "LTC_READ_ONLY", "LeadChanges", "NewLead", "NewOpportunity", "NewRisk",
           "OpportunityChanges", "OpportunitySeatInput", "RiskChanges", "SeatEnd", "SeatMapInput"]
