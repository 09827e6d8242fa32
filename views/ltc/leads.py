"""Lead pages: lists (all leads the reader may see, an account's leads), show, create, edit, convert."""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kb import policy
from kb.form_errors import on_service_error
from kb.services import leads as service
from kb.services.errors import Conflict
from models import Account, Lead
from views import once
from views.list_filters import InvalidInput, lead_filters
from views.conflicts import conflict_page_rows, render_form_page
from views.stakeholders.util import audit_users, options, user_choices

from . import bp
from .common import amount_text, empty_page, load_account, load_lead, page_of, typed_amount
from .forms import ConvertForm, LeadForm
from .opening_seats import chosen_seats, prepare_seats, with_seat_fields


def _leads_page(account: Account | None, can_add: bool) -> Any:
    """The list with the query-string filters (views.list_filters); a bad filter → 422 saying which."""
    try:
        filters = lead_filters()
    except InvalidInput as exc:
        return render_template("ltc/leads.html", page=empty_page(), account=account, status=None,
                               refused_filters=exc.fields, can_add=can_add), 422
    if account is not None:
        filters["account_id"] = account.id
    stmt = service.visible_leads_stmt(viewer=current_user, **filters).options(*service.lead_options())
    return render_template("ltc/leads.html", page=page_of(stmt), account=account, status=filters["status"],
                           can_add=can_add)


@bp.route("/leads")
def leads():
    return _leads_page(None, policy.may_create_lead(current_user, None))


@bp.route("/accounts/<int:account_id>/leads")
def account_leads(account_id: int):
    account = load_account(account_id)
    return _leads_page(account, policy.may_edit_account(current_user, account))


@bp.route("/leads/<int:lead_id>")
def show_lead(lead_id: int):
    lead = load_lead(lead_id)
    return render_template("ltc/lead.html", lead=lead, can_edit=policy.may_edit_lead(current_user, lead),
                           **audit_users(lead))


def _fields(form: LeadForm) -> dict[str, Any]:
    return {
        "title": form.title.data or "", "prospect_name": form.prospect_name.data or "",
        "description": form.description.data or "", "source": form.source.data,
        "estimated_amount": typed_amount(form.estimated_amount.data), "currency": form.currency.data,
        "owner_id": form.owner_id.data or None, "status": form.status.data,
        "drop_reason": form.drop_reason.data or "", "budget_confirmed": bool(form.budget_confirmed.data),
        "budget_amount": typed_amount(form.budget_amount.data),
        "budget_confirmed_on": form.budget_confirmed_on.data,
        "visibility": form.visibility.data,
    }


def _edit_data(lead: Lead) -> dict[str, Any]:
    return {
        "title": lead.title, "prospect_name": lead.prospect_name, "description": lead.description,
        "source": lead.source.value, "estimated_amount": amount_text(lead.estimated_amount),
        "currency": lead.currency, "owner_id": lead.owner_id or 0, "status": lead.status.value,
        "drop_reason": lead.drop_reason, "budget_confirmed": lead.budget_confirmed,
        "budget_amount": amount_text(lead.budget_amount), "budget_confirmed_on": lead.budget_confirmed_on,
        "visibility": lead.visibility.value, "version": lead.version,
    }


def _prepare(form: LeadForm, lead: Lead | None) -> None:
    keep = [lead.owner_id] if lead and lead.owner_id else []
    form.owner_id.choices = user_choices(keep, blank=_("— no owner —"))
    if lead is not None and lead.account_id is None:  # a prospect's lead may be linked to an account
        form.account_id.choices = options([(0, _("— not yet an account —")),
                                           *service.linkable_accounts(user=current_user)])


def _render(form: LeadForm, account: Account | None, lead: Lead | None, conflict: list | None = None) -> Any:
    discard = url_for(".edit_lead", lead_id=lead.id) if lead is not None else None
    return render_form_page("ltc/lead_form.html", form, conflict=conflict, discard_url=discard,
                            account=account, lead=lead)


@bp.route("/leads/new", methods=["GET", "POST"])
def new_lead():
    account_id = request.args.get("account", type=int)
    account = load_account(account_id) if account_id else None
    if account is not None:
        policy.require_edit_page(current_user, account, request.method)
    else:
        policy.require(policy.may_create_lead(current_user, None))
    form = LeadForm(owner_id=current_user.id)
    _prepare(form, None)
    if form.validate_on_submit():
        if (done := once.already_submitted(form)) is not None:
            return done
        on_service_error(form, lambda: _render(form, account, None))
        lead = service.create_lead(author=current_user, account=account, **_fields(form))
        flash(_("Lead recorded."), "success")
        return redirect(once.remember(form, url_for(".show_lead", lead_id=lead.id)))
    return _render(form, account, None)


@bp.route("/leads/<int:lead_id>/edit", methods=["GET", "POST"])
def edit_lead(lead_id: int):
    lead = load_lead(lead_id)
    _require_edit(lead)
    form = LeadForm() if request.method == "POST" else LeadForm(data=_edit_data(lead))
    _prepare(form, lead)
    if form.validate_on_submit():
        on_service_error(form, lambda: _render(form, lead.account, lead))
        try:
            link = {"account_id": form.account_id.data or None} if lead.account_id is None else {}
            service.update_lead(lead=lead, author=current_user, base_version=form.version.version(),
                                **link, **_fields(form))
        except Conflict:
            stored = LeadForm(formdata=None, data=_edit_data(lead))
            _prepare(stored, lead)
            return _render(form, lead.account, lead, conflict_page_rows(form, stored, lead.version))
        flash(_("Changes saved."), "success")
        return redirect(url_for(".show_lead", lead_id=lead.id))
    return _render(form, lead.account, lead)


def _require_edit(lead: Lead) -> None:
    if lead.account_id is not None:
        policy.require_edit_page(current_user, lead.account_id, request.method)
    else:
        policy.require(policy.may_edit_lead(current_user, lead))


@bp.route("/leads/<int:lead_id>/convert", methods=["GET", "POST"])
def convert_lead(lead_id: int):
    """The conversion page: says what the budget rule needs; converting without it is refused (422)."""
    lead = load_lead(lead_id)
    _require_edit(lead)
    if lead.opportunity is not None:
        return redirect(url_for(".show_opportunity", opportunity_id=lead.opportunity.id))
    form = ConvertForm(name=lead.title, version=lead.version)
    prepare_seats(form, lead.account)
    if form.validate_on_submit():
        on_service_error(form, lambda: render_form_page("ltc/convert.html", form, lead=lead))
        opp = with_seat_fields(lambda: service.convert_lead(
            lead=lead, author=current_user, name=form.name.data or "", base_version=form.version.version(),
            seats=chosen_seats(form)))
        flash(_("The lead is now an opportunity."), "success")
        return redirect(url_for(".show_opportunity", opportunity_id=opp.id))
    return render_form_page("ltc/convert.html", form, lead=lead)
