"""User administration (admins only): list, create, edit — role, active flag and password."""
from __future__ import annotations

import logging

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from kb import policy
from kb.db import session
from kb.pagination import paginate_page
from kb.services import groups as groups_service
from kb.clock import today
from kb.form_errors import on_service_error
from kb.group_names import group_name
from kb.services import signin as signin_service
from kb.services import users as service
from kb.services.errors import Conflict
from models import User, UserRole
from views import once
from views.conflicts import conflict_page_rows

from . import bp
from .forms import EditUserForm, NewUserForm

logger = logging.getLogger(__name__)
PER_PAGE = 50


@bp.before_request
def _admins_only():  # type: ignore[no-untyped-def]
    """Every page here is for admins; signed-out visitors are sent to sign in by kb.auth first."""
    if current_user.is_authenticated:
        policy.require(policy.may_manage(current_user))


@bp.route("/admin/users")
def users():
    page = paginate_page(session, service.list_users_stmt(), request.args.get("page"), PER_PAGE)
    ids = [u.id for u in page.items]
    return render_template("admin/users.html", page=page, seats=groups_service.seats_held(ids, today=today()),
                           token_use=service.last_token_use(ids))


@bp.route("/admin/users/new", methods=["GET", "POST"])
def new_user():
    form = NewUserForm()
    if form.validate_on_submit():
        if (done := once.already_submitted(form)) is not None:
            return done
        on_service_error(form, lambda: render_template("admin/user_form.html", form=form, user=None))
        user = service.create_user(email=form.email.data, name=form.name.data, role=UserRole(form.role.data),
                                   password=form.password.data, author=current_user)
        logger.info("user %s created by admin %s", user.id, current_user.id)
        flash(_("User %(name)s created; they can sign in now.", name=user.name), "success")
        return redirect(once.remember(form, url_for("admin.users")))
    return render_template("admin/user_form.html", form=form, user=None), 422 if form.errors else 200


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int):
    user = session.get(User, user_id)
    if user is None:
        abort(404)
    form = EditUserForm(obj=user)
    if request.method == "GET":
        form.role.data = user.role.value
    if form.validate_on_submit():
        on_service_error(form, lambda: _render_user_form(form, user))
        try:
            service.update_user(user=user, author=current_user, name=form.name.data, email=form.email.data,
                                role=UserRole(form.role.data), active=form.active.data,
                                password=form.password.data or None, base_version=form.version.version())
        except Conflict:
            stored = EditUserForm(formdata=None, obj=user)
            stored.role.data = user.role.value
            conflict = conflict_page_rows(form, stored, user.version)
            if form.password.data:  # password fields are never shown again: say so, or it is silently lost
                flash(_("The new password you typed was not saved: type it again before you save."), "error")
            return _render_user_form(form, user, 409, conflict=conflict,
                                     discard_url=url_for("admin.edit_user", user_id=user.id))
        logger.info("user %s changed by admin %s", user.id, current_user.id)
        if user.id == current_user.id and form.password.data:
            login_user(user)  # their own new password: this browser stays signed in, every other is out
        flash(_("User %(name)s saved.", name=user.name), "success")
        _warn_about_seats(user)
        return redirect(url_for("admin.users"))
    return _render_user_form(form, user, 422 if form.errors else 200)


def _render_user_form(form: EditUserForm, user: User, status: int = 422,
                      **extra: object):  # type: ignore[no-untyped-def]
    seats = groups_service.seats_held([user.id], today=today()).get(user.id, [])
    failures = signin_service.recent_failures(email=user.email)
    return render_template("admin/user_form.html", form=form, user=user, seats=seats, failures=failures,
                           **extra), status


def _warn_about_seats(user: User) -> None:
    """A deactivated or demoted seat holder leaves a coverage gap: say so, so the admin rotates the seat."""
    if user.active and user.role != UserRole.VIEWER:
        return
    seats = groups_service.seats_held([user.id], today=today()).get(user.id, [])
    if seats:
        flash(_("%(name)s still holds %(n)d triangle seat(s): %(seats)s. Rotate them on the group pages.",
                name=user.name, n=len(seats),
                seats=", ".join(f"{s.role.value} · {group_name(s.customer_group)}" for s in seats)), "warning")
