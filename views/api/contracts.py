"""Contracts API (LTC "MCE"): the contract a won opportunity became, and its milestones (docs/api.md).

Access is the opportunity's (kb.policy): a contract of a team-only opportunity answers 404 to anyone who may
not read that opportunity; its editors (account team, admins, the project triangle) change it.
"""
from __future__ import annotations

from flask import url_for
from flask_login import current_user

from kb import policy
from kb.idempotency import idempotent
from kb.services import contracts as service
from models import Contract, ContractMilestone, Opportunity

from . import bp
from .registry import operation
from .responses import items_of, ref
from .common import created, load_or_404, not_found
from .serializers_contracts import serialize_contract, serialize_milestone
from .bodies import load_body
from .bodies.records import ContractChanges, MilestoneChanges, NewContract, NewMilestone


def _opportunity(opportunity_id: int) -> Opportunity:
    opp = load_or_404(Opportunity, opportunity_id)
    if not policy.may_see_opportunity(current_user, opp):
        not_found()
    return opp


def _contract(contract_id: int) -> Contract:
    contract = load_or_404(Contract, contract_id, options=tuple(service.contract_options()))
    if not policy.may_see_opportunity(current_user, contract.opportunity):
        not_found()
    return contract


@bp.get("/opportunities/<int:opportunity_id>/contract")
@operation("The contract an opportunity became", response=ref("Contract"), tag="contracts")
def show_opportunity_contract(opportunity_id: int):
    """The contract the opportunity became; 404 when it has none."""
    contract = service.contract_of(_opportunity(opportunity_id))
    if contract is None:
        not_found()
    return serialize_contract(contract)


@bp.post("/opportunities/<int:opportunity_id>/contract")
@operation("Record the contract of a won opportunity", body=NewContract, status=201, response=ref("Contract"),
           tag="contracts")
@idempotent
def create_contract(opportunity_id: int):
    """201 with the contract; an opportunity not won → 422 with code `not_won`."""
    opp = _opportunity(opportunity_id)
    contract = service.create_contract(opportunity=opp, author=current_user, **load_body(NewContract))
    return created(serialize_contract(contract), url_for("api.show_contract", contract_id=contract.id))


@bp.get("/contracts/<int:contract_id>")
@operation("Read a contract", response=ref("Contract"), tag="contracts")
def show_contract(contract_id: int):
    return serialize_contract(_contract(contract_id))


@bp.patch("/contracts/<int:contract_id>")
@operation("Change a contract", body=ContractChanges, partial=True, response=ref("Contract"),
           tag="contracts")
def update_contract(contract_id: int):
    """Change the given fields; a stale `version` → 409."""
    contract = _contract(contract_id)
    data = load_body(ContractChanges, partial=True, current=serialize_contract(contract))
    version = data.pop("version", None)
    service.update_contract(contract=contract, author=current_user, base_version=version, **data)
    return serialize_contract(contract)


@bp.get("/contracts/<int:contract_id>/milestones")
@operation("A contract's milestones", response=items_of("Milestone"), tag="contracts")
def list_milestones(contract_id: int):
    """Every milestone of the contract, by planned date."""
    return {"items": [serialize_milestone(m) for m in _contract(contract_id).milestones]}


@bp.post("/contracts/<int:contract_id>/milestones")
@operation("Add a milestone", body=NewMilestone, status=201, response=ref("Milestone"), tag="contracts")
@idempotent
def add_milestone(contract_id: int):
    contract = _contract(contract_id)
    milestone = service.add_milestone(contract=contract, author=current_user, **load_body(NewMilestone))
    return created(serialize_milestone(milestone), url_for("api.list_milestones", contract_id=contract.id))


@bp.patch("/milestones/<int:milestone_id>")
@operation("Change a milestone", body=MilestoneChanges, partial=True, response=ref("Milestone"),
           tag="contracts")
def update_milestone(milestone_id: int):
    """Change the given fields (`actual_on` and `actual_amount` mark it done); stale `version` → 409."""
    milestone = load_or_404(ContractMilestone, milestone_id)
    if not policy.may_see_opportunity(current_user, milestone.contract.opportunity):
        not_found()
    data = load_body(MilestoneChanges, partial=True, current=serialize_milestone(milestone))
    version = data.pop("version", None)
    service.update_milestone(milestone=milestone, author=current_user, base_version=version, **data)
    return serialize_milestone(milestone)
