"""Risks and open issues (风险及遗留问题): an account's list, new (on an account or an opportunity), edit."""
from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kb import policy
from kb.db import session
from kb.form_errors import on_service_error
from kb.services import ltc_risks as service
from kb.services.errors import Conflict
from models import Account, Opportunity, Risk, RiskStatus
from views import once
from views.conflicts import conflict_page_rows, render_form_page
from views.list_filters import InvalidInput, risk_filters
from views.stakeholders.util import user_choices

from . import bp
from .common import empty_page, load_account, load_opportunity, page_of
from .forms import RiskForm


def _load(risk_id: int) -> Risk:
    risk = session.get(Risk, risk_id, options=service.risk_options())
    if risk is None or not policy.may_see_risk(current_user, risk):
        abort(404)
    return risk


def _back(risk: Risk) -> str:
    if risk.opportunity_id is not None:
        return url_for(".show_opportunity", opportunity_id=risk.opportunity_id) + "#risks"
    return url_for(".account_risks", account_id=risk.account_id)


@bp.route("/accounts/<int:account_id>/risks")
def account_risks(account_id: int):
    account = load_account(account_id)
    can_add = policy.may_edit_account(current_user, account)
    try:
        only_open = not risk_filters()["all"]
    except InvalidInput as exc:
        return render_template("ltc/risks.html", account=account, page=empty_page(), only_open=True,
                               refused_filters=exc.fields, can_add=can_add), 422
    stmt = service.visible_risks_stmt(viewer=current_user, account_id=account.id,
                                      status=RiskStatus.OPEN if only_open else None)
    page = page_of(stmt.options(*service.risk_options()))
    return render_template("ltc/risks.html", account=account, page=page,
                           only_open=only_open, can_add=can_add)


@bp.route("/risks/<int:risk_id>")
def show_risk(risk_id: int):
    """A risk lives on its opportunity's page or its account's risk list."""
    return redirect(_back(_load(risk_id)))


def _fields(form: RiskForm) -> dict[str, Any]:
    return {"description": form.description.data or "", "owner_id": form.owner_id.data or None,
            "due_on": form.due_on.data, "status": form.status.data, "resolution": form.resolution.data or ""}


def _edit_data(risk: Risk) -> dict[str, Any]:
    return {"description": risk.description, "owner_id": risk.owner_id or 0, "due_on": risk.due_on,
            "status": risk.status.value, "resolution": risk.resolution, "version": risk.version}


def _prepare(form: RiskForm, risk: Risk | None) -> None:
    keep = [risk.owner_id] if risk and risk.owner_id else []
    form.owner_id.choices = user_choices(keep, blank=_("— no owner —"))


def _render(form: RiskForm, account: Account, opp: Opportunity | None, risk: Risk | None,
            conflict: list | None = None) -> Any:
    discard = url_for(".edit_risk", risk_id=risk.id) if risk is not None else None
    return render_form_page("ltc/risk_form.html", form, conflict=conflict, discard_url=discard,
                            account=account, opp=opp, risk=risk)


def _create(form: RiskForm, account: Account, opp: Opportunity | None) -> Any:
    _prepare(form, None)
    if form.validate_on_submit():
        if (done := once.already_submitted(form)) is not None:
            return done
        on_service_error(form, lambda: _render(form, account, opp, None))
        target = {"opportunity": opp} if opp is not None else {"account": account}
        risk = service.create_risk(author=current_user, **target, **_fields(form))
        flash(_("Risk recorded."), "success")
        return redirect(once.remember(form, _back(risk)))
    return _render(form, account, opp, None)


@bp.route("/accounts/<int:account_id>/risks/new", methods=["GET", "POST"])
def new_account_risk(account_id: int):
    account = load_account(account_id)
    policy.require_edit_page(current_user, account, request.method)
    return _create(RiskForm(), account, None)


@bp.route("/opportunities/<int:opportunity_id>/risks/new", methods=["GET", "POST"])
def new_opportunity_risk(opportunity_id: int):
    opp = load_opportunity(opportunity_id)
    policy.require(policy.may_archive_account(current_user, opp.account_id)
                   or policy.may_edit_opportunity(current_user, opp))
    if request.method == "GET":
        policy.check_may_edit_opportunity(current_user, opp)
    return _create(RiskForm(), opp.account, opp)


@bp.route("/risks/<int:risk_id>/edit", methods=["GET", "POST"])
def edit_risk(risk_id: int):
    risk = _load(risk_id)
    policy.require(policy.may_edit_risk(current_user, risk)
                   or policy.may_archive_account(current_user, risk.account_id))
    if request.method == "GET":
        policy.check_may_edit_risk(current_user, risk)
    form = RiskForm() if request.method == "POST" else RiskForm(data=_edit_data(risk))
    _prepare(form, risk)
    if form.validate_on_submit():
        on_service_error(form, lambda: _render(form, risk.account, risk.opportunity, risk))
        try:
            service.update_risk(risk=risk, author=current_user, base_version=form.version.version(),
                                **_fields(form))
        except Conflict:
            stored = RiskForm(formdata=None, data=_edit_data(risk))
            _prepare(stored, risk)
            rows = conflict_page_rows(form, stored, risk.version)
            return _render(form, risk.account, risk.opportunity, risk, rows)
        flash(_("Changes saved."), "success")
        return redirect(_back(risk))
    return _render(form, risk.account, risk.opportunity, risk)
