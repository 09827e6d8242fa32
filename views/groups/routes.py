"""Customer-group pages: list, the group's triangle with rotation history, and admin changes."""
from __future__ import annotations

import logging

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from kb import policy
from kb.clock import today
from kb.db import session
from kb.form_errors import on_service_error
from kb.pagination import paginate_page
from kb.services import dashboard
from kb.services import groups as service
from kb.services.coverage import coverage_gaps
from kb.services.errors import Conflict
from kb.services.handover import hand_over_with_rotation
from kb.services.users import users_by_id
from kb.urls import id_url
from models import CustomerGroup, SeatRole, TriangleSeat, User
from views import once
from views.conflicts import conflict_page_rows
from views.home.dashboard import dashboard_context
from views.risk import account_risk_counts

from . import bp
from .forms import EndSeatForm, GroupForm, RotateForm

logger = logging.getLogger(__name__)

#: Accounts per page of a group page's accounts table. Fewer than the app's PER_PAGE (25): each row's
#: "relationships at risk" runs the risk rule over every person of the account (about 20 at 2,000 accounts),
#: so 25 rows were ~500 people and the largest part of the page at scale (issue 9); the pager shows the rest,
#: the heading the group's total.
ACCOUNTS_PER_PAGE = 10


def _load_group(group_id: int) -> CustomerGroup:
    group = session.get(CustomerGroup, group_id,
                        options=[selectinload(CustomerGroup.seats).joinedload(TriangleSeat.user)])
    if group is None:
        abort(404)
    return group


def account_url(account_id: int) -> str:
    """Link to an account page."""
    return url_for("accounts.show", account_id=account_id)


@bp.route("/groups")
def index():
    groups = service.list_groups()
    return render_template("groups/index.html", groups=groups, counts=service.account_counts(),
                           triangles={g.id: service.current_triangle(g, today=today()) for g in groups},
                           can_manage=policy.may_manage(current_user))


def _render_show(group: CustomerGroup, rotate_form: RotateForm | None = None, status: int = 200):
    can_manage = policy.may_manage(current_user)
    history = service.seat_history(group)
    day = today()
    recorders = users_by_id({s.created_by_id for seats in history.values() for s in seats}
                                    | {group.created_by_id, group.updated_by_id})
    if can_manage and rotate_form is None:
        rotate_form = RotateForm(holders=service.eligible_holders())
    # A page of the group's accounts at a time (and their risk counts): the same work for 5 or 500.
    accounts = paginate_page(session, service.group_accounts(group), request.args.get("page"),
                             ACCOUNTS_PER_PAGE)
    dash_accounts, more = dashboard.group_accounts(group.id)
    page_ids = [a.id for a in accounts.items]
    # The table's risk counts from the dashboard's run of the rule (issue 9: one run for both panels).
    dash = (dashboard_context(dash_accounts, current_user, more_accounts=more, scope="group",
                              risk_count_accounts=page_ids) if dash_accounts else {})
    return render_template(
        "groups/show.html", group=group, triangle=service.current_triangle(group, today=day), history=history,
        recorders=recorders, accounts=accounts, gaps=coverage_gaps(group, today=day),
        risk_counts=dash["dash"].risk_counts if dash else account_risk_counts(page_ids),
        can_manage=can_manage, rotate_form=rotate_form, end_form=EndSeatForm(),
        account_url=id_url("accounts.show", "account_id"),
        today=day, **dash,
    ), status


@bp.route("/groups/<int:group_id>")
def show(group_id: int):
    return _render_show(_load_group(group_id))


@bp.route("/groups/new", methods=["GET", "POST"])
def new():
    policy.require(policy.may_manage(current_user))
    form = GroupForm()
    if form.validate_on_submit():
        if (done := once.already_submitted(form)) is not None:
            return done
        on_service_error(form, lambda: render_template("groups/form.html", form=form, group=None))
        group = service.create_group(author=current_user, name=form.name.data,
                                     name_en=form.name_en.data, description=form.description.data)
        flash(_("Customer group “%(name)s” created.", name=group.name), "success")
        return redirect(once.remember(form, url_for("groups.show", group_id=group.id)))
    return render_template("groups/form.html", form=form, group=None), 422 if form.errors else 200


@bp.route("/groups/<int:group_id>/edit", methods=["GET", "POST"])
def edit(group_id: int):
    group = _load_group(group_id)
    policy.require(policy.may_manage(current_user))
    form = GroupForm(obj=group)
    if form.validate_on_submit():
        on_service_error(form, lambda: render_template("groups/form.html", form=form, group=group))
        try:
            service.update_group(group=group, author=current_user, name=form.name.data,
                                 name_en=form.name_en.data, description=form.description.data,
                                 base_version=form.version.version())
        except Conflict:
            conflict = conflict_page_rows(form, GroupForm(formdata=None, obj=group), group.version)
            return render_template("groups/form.html", form=form, group=group, conflict=conflict,
                                   discard_url=url_for("groups.edit", group_id=group.id)), 409
        flash(_("Customer group saved."), "success")
        return redirect(url_for("groups.show", group_id=group.id))
    return render_template("groups/form.html", form=form, group=group), 422 if form.errors else 200


@bp.route("/groups/<int:group_id>/seats", methods=["GET", "POST"])
def rotate(group_id: int):
    group = _load_group(group_id)
    policy.require(policy.may_manage(current_user))
    form = RotateForm(holders=service.eligible_holders())
    if form.validate_on_submit():
        if (done := once.already_submitted(form)) is not None:
            return done
        user = session.get(User, form.user_id.data)
        on_service_error(form, lambda: _not_changed(group, form))
        outgoing = service.current_triangle(group, today=today())[SeatRole(form.role.data)]
        seat = service.rotate_seat(group=group, role=SeatRole(form.role.data), user=user,
                                   author=current_user, started_on=form.started_on.data, note=form.note.data)
        flash(_("%(name)s now holds the %(role)s seat from %(date)s.", name=seat.user.name,
                role=seat.role.value, date=seat.started_on.isoformat()), "success")
        if form.hand_over.data and outgoing is not None:
            _hand_over(group, outgoing.user, seat.user, form.note.data)
        return redirect(once.remember(form, url_for("groups.show", group_id=group.id)))
    if form.errors:
        flash(_("The seat was not changed."), "error")
        return _render_show(group, form, 422)
    if request.args.get("role") in {r.value for r in SeatRole}:
        form.role.data = request.args["role"]
    return render_template("groups/rotate.html", group=group, form=form)


def _hand_over(group: CustomerGroup, outgoing: User, successor: User, note: str) -> None:
    """The rotation's optional handover of the outgoing holder's relationships in `group` (same commit)."""
    handover = hand_over_with_rotation(actor=current_user, from_user=outgoing, to_user=successor, group=group,
                                       today=today(), note=note)
    if handover is None:
        flash(_("%(name)s held no relationships, next steps or memberships in this group.",
                name=outgoing.name), "info")
    else:
        flash(_("Handed over: %(n)d changes.", n=len(handover.changes)), "success")


def _not_changed(group: CustomerGroup, form: RotateForm):  # type: ignore[no-untyped-def]
    flash(_("The seat was not changed."), "error")
    return _render_show(group, form, 422)


@bp.route("/groups/<int:group_id>/seats/<int:seat_id>/end", methods=["POST"])
def end_seat(group_id: int, seat_id: int):
    group = _load_group(group_id)
    seat = session.get(TriangleSeat, seat_id, options=[joinedload(TriangleSeat.user)])
    if seat is None or seat.customer_group_id != group.id:
        abort(404)
    policy.require(policy.may_manage(current_user))
    form = EndSeatForm()
    if form.validate_on_submit():
        on_service_error(None, lambda: _render_show(group, status=422))  # messages as flash: one form per seat
        service.end_seat(seat=seat, author=current_user, ended_on=form.ended_on.data)
        flash(_("The %(role)s seat of %(name)s has ended; the role is vacant.", role=seat.role.value,
                name=seat.user.name), "success")
    else:
        flash(_("Enter a valid end date (YYYY-MM-DD)."), "error")
        return _render_show(group, status=422)
    return redirect(url_for("groups.show", group_id=group.id))
