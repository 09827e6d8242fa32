"""Contract pages (LTC "MCE", minimal): record the contract of a won opportunity, its page with milestones
(add, edit, mark done), an account's contracts; and the account page's cash panel (`contracts_panel`).

Access is the opportunity's (kb.policy): 404 for who may not read it, 403 for who may not change it.
"""
from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kb import clock, policy
from kb.db import session
from kb.form_errors import on_service_error
from kb.services import contract_cash
from kb.services import contracts as service
from kb.services.errors import Conflict
from models import Account, Contract, ContractMilestone, Opportunity, OpportunityStatus
from views import once
from views.conflicts import conflict_page_rows, render_form_page

from . import bp
from .common import amount_text, load_account, load_opportunity, page_of, typed_amount
from .contract_forms import ContractForm, MarkDoneForm, MilestoneForm


def _load(contract_id: int) -> Contract:
    contract = session.get(Contract, contract_id, options=service.contract_options())
    if contract is None or not policy.may_see_opportunity(current_user, contract.opportunity):
        abort(404)
    return contract


def _load_milestone(milestone_id: int) -> ContractMilestone:
    milestone = session.get(ContractMilestone, milestone_id)
    if milestone is None or not policy.may_see_opportunity(current_user, milestone.contract.opportunity):
        abort(404)
    return milestone


def _require_edit(opp: Opportunity) -> None:
    """Off the account team and the project triangle: 403; archived account: the reason (409) on GET."""
    policy.require(policy.may_archive_account(current_user, opp.account_id)
                   or policy.may_edit_opportunity(current_user, opp))
    if request.method == "GET":
        policy.check_may_edit_opportunity(current_user, opp)


@bp.app_template_global("contracts_panel")
def contracts_panel(account: Account) -> contract_cash.CashSummary:
    """What is signed on `account` and what cash is still to come, as the reader may see it."""
    return contract_cash.account_cash(viewer=current_user, account_id=account.id)


@bp.app_template_global("opportunity_contract")
def opportunity_contract(opp: Opportunity) -> Contract | None:
    """The contract `opp` became (the reader already sees `opp`)."""
    return service.contract_of(opp) if opp.status == OpportunityStatus.WON else None


@bp.route("/accounts/<int:account_id>/contracts")
def account_contracts(account_id: int):
    account = load_account(account_id)
    stmt = service.visible_contracts_stmt(viewer=current_user, account_id=account.id)
    return render_template("ltc/contracts.html", account=account, to_come=contract_cash.to_come,
                           page=page_of(stmt.options(*service.contract_options())))


@bp.route("/contracts/<int:contract_id>")
def show_contract(contract_id: int):
    contract = _load(contract_id)
    return render_template("ltc/contract.html", contract=contract, opp=contract.opportunity,
                           account=contract.opportunity.account, done_form=MarkDoneForm(),
                           can_edit=policy.may_edit_opportunity(current_user, contract.opportunity),
                           received=contract_cash.received(contract), to_come=contract_cash.to_come(contract))


def _contract_fields(form: ContractForm) -> dict[str, Any]:
    return {"number": form.number.data or "", "signed_on": form.signed_on.data,
            "amount": typed_amount(form.amount.data), "currency": form.currency.data,
            "notes": form.notes.data or ""}


def _contract_data(contract: Contract) -> dict[str, Any]:
    return {"number": contract.number, "signed_on": contract.signed_on,
            "amount": amount_text(contract.amount), "currency": contract.currency, "notes": contract.notes,
            "version": contract.version}


def _render_contract(form: ContractForm, opp: Opportunity, contract: Contract | None,
                     conflict: list | None = None) -> Any:
    discard = url_for(".edit_contract", contract_id=contract.id) if contract is not None else None
    return render_form_page("ltc/contract_form.html", form, conflict=conflict, discard_url=discard,
                            opp=opp, account=opp.account, contract=contract,
                            not_won=opp.status != OpportunityStatus.WON)


@bp.route("/opportunities/<int:opportunity_id>/contract/new", methods=["GET", "POST"])
def new_contract(opportunity_id: int):
    opp = load_opportunity(opportunity_id)
    _require_edit(opp)
    if (existing := service.contract_of(opp)) is not None:
        return redirect(url_for(".show_contract", contract_id=existing.id))
    form = ContractForm(currency=opp.currency, amount=amount_text(opp.amount)) if request.method == "GET" \
        else ContractForm()
    if form.validate_on_submit():
        if (done := once.already_submitted(form)) is not None:
            return done
        on_service_error(form, lambda: _render_contract(form, opp, None))
        contract = service.create_contract(opportunity=opp, author=current_user, **_contract_fields(form))
        flash(_("Contract recorded."), "success")
        return redirect(once.remember(form, url_for(".show_contract", contract_id=contract.id)))
    return _render_contract(form, opp, None)


@bp.route("/contracts/<int:contract_id>/edit", methods=["GET", "POST"])
def edit_contract(contract_id: int):
    contract = _load(contract_id)
    opp = contract.opportunity
    _require_edit(opp)
    form = ContractForm() if request.method == "POST" else ContractForm(data=_contract_data(contract))
    if form.validate_on_submit():
        on_service_error(form, lambda: _render_contract(form, opp, contract))
        try:
            service.update_contract(contract=contract, author=current_user,
                                    base_version=form.version.version(), **_contract_fields(form))
        except Conflict:
            rows = conflict_page_rows(form, ContractForm(formdata=None, data=_contract_data(contract)),
                                      contract.version)
            return _render_contract(form, opp, contract, rows)
        flash(_("Changes saved."), "success")
        return redirect(url_for(".show_contract", contract_id=contract.id))
    return _render_contract(form, opp, contract)


def _milestone_fields(form: MilestoneForm) -> dict[str, Any]:
    return {"kind": form.kind.data, "title": form.title.data or "", "planned_on": form.planned_on.data,
            "planned_amount": typed_amount(form.planned_amount.data), "actual_on": form.actual_on.data,
            "actual_amount": typed_amount(form.actual_amount.data)}


def _milestone_data(m: ContractMilestone) -> dict[str, Any]:
    return {"kind": m.kind.value, "title": m.title, "planned_on": m.planned_on, "actual_on": m.actual_on,
            "planned_amount": amount_text(m.planned_amount), "actual_amount": amount_text(m.actual_amount),
            "version": m.version}


def _render_milestone(form: MilestoneForm, contract: Contract, milestone: ContractMilestone | None,
                      conflict: list | None = None) -> Any:
    discard = url_for(".edit_milestone", milestone_id=milestone.id) if milestone is not None else None
    return render_form_page("ltc/milestone_form.html", form, conflict=conflict, discard_url=discard,
                            contract=contract, account=contract.opportunity.account, milestone=milestone)


@bp.route("/contracts/<int:contract_id>/milestones/new", methods=["GET", "POST"])
def new_milestone(contract_id: int):
    contract = _load(contract_id)
    _require_edit(contract.opportunity)
    form = MilestoneForm()
    if form.validate_on_submit():
        if (done := once.already_submitted(form)) is not None:
            return done
        on_service_error(form, lambda: _render_milestone(form, contract, None))
        service.add_milestone(contract=contract, author=current_user, **_milestone_fields(form))
        flash(_("Milestone added."), "success")
        return redirect(once.remember(form, url_for(".show_contract", contract_id=contract.id)))
    return _render_milestone(form, contract, None)


@bp.route("/milestones/<int:milestone_id>/edit", methods=["GET", "POST"])
def edit_milestone(milestone_id: int):
    milestone = _load_milestone(milestone_id)
    contract = milestone.contract
    _require_edit(contract.opportunity)
    form = MilestoneForm() if request.method == "POST" else MilestoneForm(data=_milestone_data(milestone))
    if form.validate_on_submit():
        on_service_error(form, lambda: _render_milestone(form, contract, milestone))
        try:
            service.update_milestone(milestone=milestone, author=current_user,
                                     base_version=form.version.version(), **_milestone_fields(form))
        except Conflict:
            rows = conflict_page_rows(form, MilestoneForm(formdata=None, data=_milestone_data(milestone)),
                                      milestone.version)
            return _render_milestone(form, contract, milestone, rows)
        flash(_("Changes saved."), "success")
        return redirect(url_for(".show_contract", contract_id=contract.id))
    return _render_milestone(form, contract, milestone)


@bp.route("/milestones/<int:milestone_id>/done", methods=["POST"])
def milestone_done(milestone_id: int):
    """Mark done today with the planned amount; a stale version → the conflict on the edit page."""
    milestone = _load_milestone(milestone_id)
    _require_edit(milestone.contract.opportunity)
    form = MarkDoneForm()
    if not form.validate_on_submit():
        abort(400)
    # Refused (e.g. the payments received would pass the contract amount): the contract page with the reason.
    on_service_error(None, lambda: show_contract(milestone.contract_id))
    try:
        service.mark_milestone_done(milestone=milestone, author=current_user,
                                    base_version=form.version.version(), actual_on=clock.today())
    except Conflict:
        flash(_("Someone saved this milestone in the meantime; check it and try again."), "warning")
        return show_contract(milestone.contract_id), 409
    flash(_("Milestone marked done."), "success")
    return redirect(url_for(".show_contract", contract_id=milestone.contract_id))
