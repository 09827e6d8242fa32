"""Your API tokens: list, create (the secret shown once), revoke; admins list and revoke everyone's."""
from __future__ import annotations

import logging

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kb import policy
from kb.auth import is_token_request
from kb.db import session
from kb.form_errors import on_service_error
from kb.inputs import MAX_ID
from kb.pagination import paginate_page
from kb.services import tokens as service
from kb.urls import safe_redirect
from models import ApiToken, utcnow
from views import once

from . import bp
from .forms import NewTokenForm, expiry_choices

logger = logging.getLogger(__name__)
PER_PAGE = 50


def _states(tokens: list[ApiToken]) -> dict[int, str]:
    now = utcnow()
    return {token.id: service.token_state(token, now) for token in tokens}


def _form(*, empty: bool = False) -> NewTokenForm:
    form = NewTokenForm(formdata=None) if empty else NewTokenForm()
    form.expires.choices = expiry_choices(current_user)
    return form


def _render(form: NewTokenForm, *, secret: str | None = None,
            status: int = 200):  # type: ignore[no-untyped-def]
    stmt = service.tokens_stmt(actor=current_user)
    page = paginate_page(session, stmt, request.args.get("page"), PER_PAGE)
    response = make_response(render_template("tokens/index.html", form=form, page=page, secret=secret,
                                             states=_states(page.items),
                                             writes=policy.may_have_write_token(current_user)), status)
    response.headers["Cache-Control"] = "no-store"  # a page that may carry a secret is never cached
    return response


@bp.route("/tokens", methods=["GET", "POST"])
def index():
    policy.require(policy.may_have_tokens(current_user))
    form = _form()
    if not form.validate_on_submit():
        return _render(form, status=422 if form.errors else 200)
    if (done := once.already_submitted(form)) is not None:
        return done  # a resent form never shows the secret again
    on_service_error(form, lambda: _render(form, status=422))
    new = service.create_token(owner=current_user, author=current_user, label=form.label.data,
                               expires_days=form.expires_days(), read_only=form.read_only.data,
                               by_token=is_token_request())  # a token that fetched this page mints nothing
    once.remember(form, url_for("tokens.index"))
    flash(_("Token “%(label)s” created.", label=new.token.label), "success")
    return _render(_form(empty=True), secret=new.secret, status=201)  # a fresh form for the next one


@bp.route("/admin/tokens")
def everyone():
    policy.require(policy.may_see_all_tokens(current_user))
    stmt = service.tokens_stmt(actor=current_user, everyone=True)
    page = paginate_page(session, stmt, request.args.get("page"), PER_PAGE)
    return render_template("tokens/everyone.html", page=page, states=_states(page.items))


@bp.post("/tokens/<int:token_id>/revoke")
def revoke(token_id: int):
    token = session.get(ApiToken, token_id) if token_id <= MAX_ID else None
    if token is None or not policy.may_revoke_token(current_user, token):
        abort(404)  # someone else's token: as if it did not exist
    service.revoke_token(token=token, actor=current_user)
    flash(_("Token “%(label)s” revoked: it no longer works.", label=token.label), "success")
    return redirect(safe_redirect(request.form.get("next"), url_for("tokens.index")))
