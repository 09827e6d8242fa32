"""Opportunity pages: the pipeline (every opportunity the reader may see), an account's list, show (stage
history and durations, project triangle, key-project light and its history, risks), create, edit, seats."""
from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kb import clock, policy
from kb.db import session
from kb.form_errors import on_service_error
from kb.services import ltc_risks
from kb.services import opportunities as service
from kb.services import opportunity_seats as seats
from kb.services.bounded import picker_stakeholders
from kb.services.errors import Conflict
from models import Account, Opportunity, OpportunitySeat
from views import once
from views.list_filters import InvalidInput, opportunity_filters
from views.conflicts import conflict_page_rows, render_form_page
from views.stakeholders.util import audit_users, options, user_choices

from . import bp
from .common import amount_text, empty_page, load_account, load_opportunity, page_of, typed_amount
from .forms import EndSeatForm, NewOpportunityForm, OpportunityForm, PipelineFilter, SeatForm
from .opening_seats import chosen_seats, prepare_seats, with_seat_fields


def _pipeline_page(account: Account | None, can_add: bool) -> Any:
    """The list with the query-string filters (views.list_filters); a bad filter → 422 saying which."""
    form = PipelineFilter(request.args)
    try:
        filters = opportunity_filters()
    except InvalidInput as exc:
        return render_template("ltc/opportunities.html", page=empty_page(), account=account, filter_form=form,
                               refused_filters=exc.fields, can_add=can_add), 422
    if account is not None:
        filters["account_id"] = account.id
    stmt = service.visible_opportunities_stmt(viewer=current_user, **filters)
    return render_template("ltc/opportunities.html", page=page_of(stmt.options(*service.opportunity_options())),
                           account=account, filter_form=form, can_add=can_add)


@bp.route("/opportunities")
def pipeline():
    """Every opportunity the reader may see, across accounts; filter by stage, status, key project."""
    return _pipeline_page(None, False)


@bp.route("/accounts/<int:account_id>/opportunities")
def account_opportunities(account_id: int):
    account = load_account(account_id)
    return _pipeline_page(account, policy.may_edit_account(current_user, account))


@bp.route("/opportunities/<int:opportunity_id>")
def show_opportunity(opportunity_id: int):
    opp = load_opportunity(opportunity_id)
    can_edit = policy.may_edit_opportunity(current_user, opp)
    seat_form = SeatForm(started_on=clock.today())
    seat_form.user_id.choices = user_choices([], blank=_("— choose —"))
    risks = list(session.scalars(ltc_risks.visible_risks_stmt(
        viewer=current_user, account_id=opp.account_id, opportunity_id=opp.id)
        .options(*ltc_risks.risk_options()).limit(current_app.config["ACCOUNT_PAGE_LIMIT"])))
    return render_template(
        "ltc/opportunity.html", opp=opp, account=opp.account, can_edit=can_edit,
        spans=service.stage_spans(opp),
        cycle=service.decision_cycle_days(opp), seats=opp.seats, seat_form=seat_form, end_form=EndSeatForm(),
        risks=risks, light_changes=sorted(opp.light_changes, key=lambda c: c.id, reverse=True),
        **audit_users(opp))


def _fields(form: OpportunityForm) -> dict[str, Any]:
    return {
        "name": form.name.data or "", "stage": form.stage.data, "status": form.status.data,
        "close_reason": form.close_reason.data or "", "amount": typed_amount(form.amount.data),
        "currency": form.currency.data, "expected_close_on": form.expected_close_on.data,
        "win_probability": form.win_probability.data, "competitors": form.competitors.data or "",
        "solution": form.solution.data or "", "notes": form.notes.data or "",
        "visibility": form.visibility.data,
        "stakeholder_ids": form.stakeholder_ids.data or [], "key_project": bool(form.key_project.data),
        "light": form.light.data or None, "light_reason": form.light_reason.data or "",
        "key_owner_id": form.key_owner_id.data or None, "next_review_on": form.next_review_on.data,
    }


def _edit_data(opp: Opportunity) -> dict[str, Any]:
    return {
        "name": opp.name, "stage": opp.stage.value, "status": opp.status.value,
        "close_reason": opp.close_reason, "amount": amount_text(opp.amount), "currency": opp.currency,
        "expected_close_on": opp.expected_close_on,
        "win_probability": opp.win_probability, "competitors": opp.competitors, "solution": opp.solution,
        "notes": opp.notes, "visibility": opp.visibility.value,
        "stakeholder_ids": [s.id for s in opp.stakeholders],
        "key_project": opp.key_project, "light": opp.light.value if opp.light else "",
        "light_reason": opp.light_reason, "key_owner_id": opp.key_owner_id or 0,
        "next_review_on": opp.next_review_on, "version": opp.version,
    }


def _prepare(form: OpportunityForm, account: Account, opp: Opportunity | None) -> None:
    keep = [s.id for s in opp.stakeholders] if opp is not None else []
    keep += [i for i in (form.stakeholder_ids.data or []) if isinstance(i, int)]
    people = picker_stakeholders(account_id=account.id, keep=keep,
                                 limit=current_app.config["ACCOUNT_PAGE_LIMIT"])
    form.stakeholder_ids.choices = options(
        (s.id, f"{s.name} · {s.title}" if s.title else s.name) for s in people)
    form.key_owner_id.choices = user_choices([opp.key_owner_id] if opp and opp.key_owner_id else [],
                                             blank=_("— no owner —"))


def _render(form: OpportunityForm, account: Account, opp: Opportunity | None,
            conflict: list | None = None) -> Any:
    discard = url_for(".edit_opportunity", opportunity_id=opp.id) if opp is not None else None
    return render_form_page("ltc/opportunity_form.html", form, conflict=conflict, discard_url=discard,
                            account=account, opp=opp)


@bp.route("/accounts/<int:account_id>/opportunities/new", methods=["GET", "POST"])
def new_opportunity(account_id: int):
    account = load_account(account_id)
    policy.require_edit_page(current_user, account, request.method)
    form = NewOpportunityForm()
    _prepare(form, account, None)
    prepare_seats(form, account)
    if form.validate_on_submit():
        if (done := once.already_submitted(form)) is not None:
            return done
        on_service_error(form, lambda: _render(form, account, None))
        opp = with_seat_fields(lambda: service.create_opportunity(
            account=account, author=current_user, seats=chosen_seats(form), **_fields(form)))
        flash(_("Opportunity opened."), "success")
        return redirect(once.remember(form, url_for(".show_opportunity", opportunity_id=opp.id)))
    return _render(form, account, None)


def _require_edit(opp: Opportunity) -> None:
    """Off the account team and the project triangle: 403; archived account: the reason (409) on GET."""
    policy.require(policy.may_archive_account(current_user, opp.account_id)
                   or policy.may_edit_opportunity(current_user, opp))
    if request.method == "GET":
        policy.check_may_edit_opportunity(current_user, opp)


@bp.route("/opportunities/<int:opportunity_id>/edit", methods=["GET", "POST"])
def edit_opportunity(opportunity_id: int):
    opp = load_opportunity(opportunity_id)
    _require_edit(opp)
    form = OpportunityForm() if request.method == "POST" else OpportunityForm(data=_edit_data(opp))
    _prepare(form, opp.account, opp)
    if form.validate_on_submit():
        on_service_error(form, lambda: _render(form, opp.account, opp))
        try:
            service.update_opportunity(opportunity=opp, author=current_user,
                                       base_version=form.version.version(), **_fields(form))
        except Conflict:
            stored = OpportunityForm(formdata=None, data=_edit_data(opp))
            _prepare(stored, opp.account, opp)
            return _render(form, opp.account, opp, conflict_page_rows(form, stored, opp.version))
        flash(_("Changes saved."), "success")
        return redirect(url_for(".show_opportunity", opportunity_id=opp.id))
    return _render(form, opp.account, opp)


@bp.route("/opportunities/<int:opportunity_id>/seats", methods=["POST"])
def add_seat(opportunity_id: int):
    """Seat a person on the project triangle (the open seat of that role ends: a rotation)."""
    opp = load_opportunity(opportunity_id)
    policy.require(policy.may_edit_opportunity(current_user, opp))
    form = SeatForm()
    form.user_id.choices = user_choices([], blank=_("— choose —"))
    if form.validate_on_submit():
        on_service_error(form, lambda: _seat_page(opp, form))
        seats.add_project_seat(opportunity=opp, author=current_user, user_id=form.user_id.data or None,
                               role=form.role.data, started_on=form.started_on.data,
                               note=form.note.data or "")
        flash(_("Seat added to the project triangle."), "success")
        return redirect(url_for(".show_opportunity", opportunity_id=opp.id) + "#triangle")
    return _seat_page(opp, form)


def _seat_page(opp: Opportunity, form: SeatForm) -> Any:
    return render_form_page("ltc/seat_form.html", form, opp=opp, account=opp.account)


@bp.route("/opportunity-seats/<int:seat_id>/end", methods=["POST"])
def end_seat(seat_id: int):
    seat = session.get(OpportunitySeat, seat_id)
    opp = load_opportunity(seat.opportunity_id if seat is not None else 0)
    policy.require(policy.may_edit_opportunity(current_user, opp))
    form = EndSeatForm()
    if form.validate_on_submit():
        # Refused (already ended, or before its start): the opportunity page with the reason, not a bare 422.
        on_service_error(None, lambda: show_opportunity(opp.id))
        seats.end_project_seat(seat=seat, author=current_user, ended_on=form.ended_on.data)
        flash(_("Seat ended; it stays in the triangle's history."), "success")
    else:
        flash(_("Enter a valid date (YYYY-MM-DD)."), "error")
    return redirect(url_for(".show_opportunity", opportunity_id=opp.id) + "#triangle")
