"""Lead to Cash API: leads, opportunities (+ project-triangle seats, risks) and risks (docs/api.md).

Team-only records are absent from lists and answer 404 by id for anyone who may not read them
(kb.policy: the account team, the opportunity's project triangle, admins).
"""
from __future__ import annotations

from flask import url_for
from flask_login import current_user

from kb import policy
from kb.db import session
from kb.idempotency import idempotent
from kb.pagination import paginate
from kb.services import leads as lead_service
from kb.services import ltc_risks as risk_service
from kb.services import opportunities as opp_service
from kb.services import opportunity_seats as seat_service
from kb.services.opening_triangle import group_holders
from models import (
    Account, Lead, Opportunity, OpportunitySeat, Risk,
)
from views.list_filters import LEAD_QUERY, OPPORTUNITY_QUERY, lead_filters, opportunity_filters

from . import bp
from .registry import operation
from .responses import items_of, ref
from .common import created, load_or_404, not_found, page_body
from .bodies import load_body
from .bodies.ltc import (
    ConvertInput, LeadChanges, NewLead, NewOpportunity, NewRisk, OpportunityChanges, OpportunitySeatInput,
    RiskChanges, SeatEnd,
)
from .query import PAGING
from .serializers_ltc import serialize_lead, serialize_opportunity, serialize_risk, serialize_seat


LEAD_FILTERS = PAGING + LEAD_QUERY
OPPORTUNITY_FILTERS = PAGING + OPPORTUNITY_QUERY
LEAD_LINKS = {"GetLead": ("show_lead", {"lead_id": "$response.body#/id"}),
              "UpdateLead": ("update_lead", {"lead_id": "$response.body#/id"})}
OPPORTUNITY_LINKS = {"GetOpportunity": ("show_opportunity", {"opportunity_id": "$response.body#/id"}),
                     "UpdateOpportunity": ("update_opportunity", {"opportunity_id": "$response.body#/id"})}
#: Description of the operations that open an opportunity (its project triangle is formed then).
OPENING_SEATS = ("The project iron triangle is formed on the opening day from `seats` "
                 "(`{\"AR\": user_id, \"SR\": …, \"FR\": …}`, null: no seat for that role). Without "
                 "`seats`, the holders of the account's customer-group triangle seats in force take them; "
                 "`\"seats\": {}` forms none. An unknown, inactive or viewer user → 422 on `seats.AR` etc.")


def _lead(lead_id: int) -> Lead:
    lead = load_or_404(Lead, lead_id, options=tuple(lead_service.lead_options()))
    if not policy.may_see_lead(current_user, lead):
        not_found()
    return lead


def _opportunity(opportunity_id: int) -> Opportunity:
    opp = load_or_404(Opportunity, opportunity_id, options=tuple(opp_service.opportunity_options()))
    if not policy.may_see_opportunity(current_user, opp):
        not_found()
    return opp


@bp.get("/leads")
@operation("List leads", query=LEAD_FILTERS, response=items_of("Lead", paged=True), tag="leads")
def list_leads():
    """Filters: `account` (id), `status`."""
    args = LEAD_FILTERS.load()
    stmt = lead_service.visible_leads_stmt(viewer=current_user, **lead_filters(args))
    stmt = stmt.options(*lead_service.lead_options())
    return page_body(paginate(session, stmt, args["page"], args["per_page"]), serialize_lead)


@bp.post("/leads")
@operation("Create a lead", body=NewLead, status=201, response=ref("Lead"), tag="leads",
           extra={"links": LEAD_LINKS})
@idempotent
def create_lead():
    data = load_body(NewLead)
    account_id = data.pop("account_id", None)
    account = load_or_404(Account, account_id) if account_id else None
    lead = lead_service.create_lead(author=current_user, account=account, **data)
    return created(serialize_lead(lead), url_for("api.show_lead", lead_id=lead.id))


@bp.get("/leads/<int:lead_id>")
@operation("Read a lead", response=ref("Lead"), tag="leads")
def show_lead(lead_id: int):
    return serialize_lead(_lead(lead_id))


@bp.patch("/leads/<int:lead_id>")
@operation("Change a lead", body=LeadChanges, partial=True, response=ref("Lead"), tag="leads")
def update_lead(lead_id: int):
    """Change the given fields; a stale `version` → 409."""
    lead = _lead(lead_id)
    data = load_body(LeadChanges, partial=True, current=serialize_lead(lead))
    version = data.pop("version", None)
    lead_service.update_lead(lead=lead, author=current_user, base_version=version, **data)
    return serialize_lead(lead)


@bp.post("/leads/<int:lead_id>/convert")
@operation("Convert a lead into an opportunity", body=ConvertInput, status=201, response=ref("Conversion"),
           tag="leads", description=OPENING_SEATS)
def convert_lead(lead_id: int):
    """201 `{"opportunity_id"}`; without a confirmed budget 422 with code `budget_not_confirmed`."""
    lead = _lead(lead_id)
    data = load_body(ConvertInput)
    seats = data["seats"] if "seats" in data else group_holders(lead.account) if lead.account else {}
    opp = lead_service.convert_lead(lead=lead, author=current_user, name=data.get("name", ""),
                                    base_version=data.get("version"), seats=seats)
    return created({"opportunity_id": opp.id, "lead": serialize_lead(lead)},
                   url_for("api.show_opportunity", opportunity_id=opp.id))


@bp.get("/opportunities")
@operation("List opportunities", query=OPPORTUNITY_FILTERS, response=items_of("Opportunity", paged=True),
           tag="opportunities")
def list_opportunities():
    """Filters: `account`, `group` (ids), `stage`, `status`, `key_project` (true/false)."""
    args = OPPORTUNITY_FILTERS.load()
    stmt = opp_service.visible_opportunities_stmt(viewer=current_user, **opportunity_filters(args))
    stmt = stmt.options(*opp_service.opportunity_options())
    return page_body(paginate(session, stmt, args["page"], args["per_page"]), serialize_opportunity)


@bp.post("/opportunities")
@operation("Create an opportunity", body=NewOpportunity, status=201, response=ref("Opportunity"),
           tag="opportunities", extra={"links": OPPORTUNITY_LINKS}, description=OPENING_SEATS)
@idempotent
def create_opportunity():
    data = load_body(NewOpportunity)
    account = load_or_404(Account, data.pop("account_id"))
    if "seats" not in data:
        data["seats"] = group_holders(account)
    opp = opp_service.create_opportunity(account=account, author=current_user, **data)
    return created(serialize_opportunity(opp), url_for("api.show_opportunity", opportunity_id=opp.id))


@bp.get("/opportunities/<int:opportunity_id>")
@operation("Read an opportunity", response=ref("Opportunity"), tag="opportunities")
def show_opportunity(opportunity_id: int):
    return serialize_opportunity(_opportunity(opportunity_id))


@bp.patch("/opportunities/<int:opportunity_id>")
@operation("Change an opportunity", body=OpportunityChanges, partial=True, response=ref("Opportunity"),
           tag="opportunities")
def update_opportunity(opportunity_id: int):
    """Change the given fields; closing needs `close_reason`; a stale `version` → 409."""
    opp = _opportunity(opportunity_id)
    data = load_body(OpportunityChanges, partial=True, current=serialize_opportunity(opp))
    version = data.pop("version", None)
    opp_service.update_opportunity(opportunity=opp, author=current_user, base_version=version, **data)
    return serialize_opportunity(opp)


@bp.get("/opportunities/<int:opportunity_id>/seats")
@operation("The project triangle's seats", response=items_of("OpportunitySeat"), tag="opportunities")
def list_seats(opportunity_id: int):
    """Every seat of the project triangle, history included, newest start first."""
    opp = _opportunity(opportunity_id)
    return {"items": [serialize_seat(s) for s in opp.seats]}


@bp.post("/opportunities/<int:opportunity_id>/seats")
@operation("Seat a person in the project triangle", body=OpportunitySeatInput, status=201, response=ref("OpportunitySeat"),
           tag="opportunities")
@idempotent
def add_seat(opportunity_id: int):
    """Seat a person (`user_id`, `role`, `started_on`); the open seat of that role ends (a rotation)."""
    opp = _opportunity(opportunity_id)
    data = load_body(OpportunitySeatInput)
    seat = seat_service.add_project_seat(opportunity=opp, author=current_user, **data)
    return created(serialize_seat(seat), url_for("api.list_seats", opportunity_id=opp.id))


@bp.post("/opportunities/<int:opportunity_id>/seats/<int:seat_id>/end")
@operation("End a project-triangle seat", body=SeatEnd, response=ref("OpportunitySeat"), tag="opportunities")
def end_seat(opportunity_id: int, seat_id: int):
    opp = _opportunity(opportunity_id)
    seat = load_or_404(OpportunitySeat, seat_id)
    if seat.opportunity_id != opp.id:
        not_found()
    data = load_body(SeatEnd)
    seat_service.end_project_seat(seat=seat, author=current_user, ended_on=data.get("ended_on"))
    return serialize_seat(seat)


@bp.get("/opportunities/<int:opportunity_id>/risks")
@operation("An opportunity's risks", query=PAGING, response=items_of("Risk", paged=True), tag="risks")
def list_opportunity_risks(opportunity_id: int):
    opp = _opportunity(opportunity_id)
    args = PAGING.load()
    stmt = risk_service.visible_risks_stmt(viewer=current_user, account_id=opp.account_id,
                                           opportunity_id=opp.id)
    return page_body(paginate(session, stmt, args["page"], args["per_page"]), serialize_risk)


@bp.post("/opportunities/<int:opportunity_id>/risks")
@operation("Record a risk", body=NewRisk, status=201, response=ref("Risk"), tag="risks")
@idempotent
def create_opportunity_risk(opportunity_id: int):
    opp = _opportunity(opportunity_id)
    data = load_body(NewRisk)
    risk = risk_service.create_risk(author=current_user, opportunity=opp, **data)
    return created(serialize_risk(risk), url_for("api.show_risk", risk_id=risk.id))


@bp.get("/risks/<int:risk_id>")
@operation("Read a risk", response=ref("Risk"), tag="risks")
def show_risk(risk_id: int):
    risk = load_or_404(Risk, risk_id)
    if not policy.may_see_risk(current_user, risk):
        not_found()
    return serialize_risk(risk)


@bp.patch("/risks/<int:risk_id>")
@operation("Change a risk", body=RiskChanges, partial=True, response=ref("Risk"), tag="risks")
def update_risk(risk_id: int):
    risk = load_or_404(Risk, risk_id)
    if not policy.may_see_risk(current_user, risk):
        not_found()
    data = load_body(RiskChanges, partial=True, current=serialize_risk(risk))
    version = data.pop("version", None)
    risk_service.update_risk(risk=risk, author=current_user, base_version=version, **data)
    return serialize_risk(risk)
