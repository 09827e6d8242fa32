import math
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Response, current_app, flash, make_response, redirect, render_template, request, session, url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_login.config import COOKIE_NAME

from kb.auth import authenticate, end_all_sessions
from kb.form_errors import on_service_error
from kb.services import signin
from kb.services.signin import SigninLimits
from kb.services.users import UserError, change_own_password, remember_locale
from kb.urls import safe_redirect

from . import bp
from .forms import ChangePasswordForm, LanguageForm, LoginForm


def _safe_next(target: str | None) -> str:
    """Only same-site paths (kb.urls.is_safe_redirect): never redirect to another host after login."""
    return safe_redirect(target, url_for("home.index"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        limits = SigninLimits.from_config(current_app.config)
        address = request.remote_addr or ""
        wait = signin.seconds_blocked(email=form.email.data, remote_addr=address, limits=limits)
        if wait:
            return _throttled(form, wait)
        user = authenticate(form.email.data, form.password.data)
        if user is None:  # the answer is a 422, whose transaction is rolled back: record it apart
            signin.record_failure_apart(email=form.email.data, remote_addr=address, keep=limits.keep)
        else:
            signin.record_attempt(email=form.email.data, remote_addr=address, success=True, limits=limits)
        if user is not None:
            locale = session.get("locale")
            session.clear()  # a fresh session at sign-in: nothing carried over from before
            if locale:
                session["locale"] = locale
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(form.next.data))
        flash(_("Wrong email or password."), "error")
    # a failed sign-in is a refused submission, as on every other form (422), not a page served as asked
    return render_template("auth/login.html", form=form), 422 if request.method == "POST" else 200


def _throttled(form: LoginForm, wait: int) -> Response:
    """429 with Retry-After: too many failed sign-ins for this account or from this address."""
    return _throttled_page("auth/login.html", form, wait)


def _throttled_page(template: str, form: Any, wait: int) -> Response:
    minutes = max(1, math.ceil(wait / 60))
    message = _("Too many failed sign-ins. Try again in %(minutes)d min.", minutes=minutes)
    response = make_response(render_template(template, form=form, throttled=message), 429)
    response.headers["Retry-After"] = str(wait)
    return response


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    end_all_sessions(user=current_user)  # every device and "keep me signed in" cookie, not just this one
    session.clear()
    logout_user()  # after clear(): it leaves the note that deletes the "keep me signed in" cookie
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        # The current password is a password proof like a sign-in: the same throttle, so a taken-over
        # session cannot guess it here without limit.
        limits, address = SigninLimits.from_config(current_app.config), request.remote_addr or ""
        wait = signin.seconds_blocked(email=current_user.email, remote_addr=address, limits=limits)
        if wait:
            return _throttled_page("auth/password.html", form, wait)
        on_service_error(form, lambda: render_template("auth/password.html", form=form))
        try:
            change_own_password(user=current_user, current_password=form.current_password.data,
                                new_password=form.password.data)
        except UserError as exc:
            if "current_password" in exc.fields:
                signin.record_failure_apart(email=current_user.email, remote_addr=address)
            raise
        # Every other session and remember-me cookie has ended; this browser stays signed in.
        remembered = current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) in request.cookies
        login_user(current_user._get_current_object(), remember=remembered)
        flash(_("Password changed. You were signed out everywhere else."), "success")
        return redirect(url_for("home.index"))
    return render_template("auth/password.html", form=form), 422 if form.errors else 200


@bp.route("/language", methods=["POST"])
def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["locale"] = form.locale.data
        if current_user.is_authenticated:  # the saved language: the API and the next sign-in use it too
            remember_locale(user=current_user._get_current_object(), locale=form.locale.data,
                            languages=current_app.config["LANGUAGES"])
    return redirect(_safe_next(form.next.data or request.referrer and urlsplit(request.referrer).path))
