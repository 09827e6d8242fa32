from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from kb.auth import authenticate
from kb.urls import safe_redirect

from . import bp
from .forms import LanguageForm, LoginForm


def _safe_next(target: str | None) -> str:
    """Only same-site paths (kb.urls.is_safe_redirect): never redirect to another host after login."""
    return safe_redirect(target, url_for("home.index"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            locale = session.get("locale")
            session.clear()  # a fresh session at sign-in: nothing carried over from before
            if locale:
                session["locale"] = locale
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(form.next.data))
        flash(_("Wrong email or password."), "error")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    session.clear()
    logout_user()  # after clear(): it leaves the note that deletes the "keep me signed in" cookie
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/language", methods=["POST"])
def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["locale"] = form.locale.data
    return redirect(_safe_next(form.next.data or request.referrer and urlsplit(request.referrer).path))
