"""Paged full lists of an account's stakeholders and interactions (the account's pages show a capped part)."""
from __future__ import annotations

from flask import current_app, render_template, request
from flask_login import current_user

from kb import policy
from kb.db import session
from kb.pagination import paginate_page
from kb.services import bounded, interactions

from views.risk import page_risks

from . import bp
from .routes import load_account


@bp.route("/accounts/<int:account_id>/stakeholders")
def stakeholders(account_id: int):
    account = load_account(account_id)
    page = paginate_page(session, bounded.stakeholders_stmt(account_id=account.id),
                         request.args.get("page"), current_app.config["PER_PAGE"])
    return render_template("accounts/stakeholders.html", account=account, page=page,
                           stakeholders=page.items, can_edit=policy.may_edit_account(current_user, account),
                           can_see_private=policy.sees_team_content(current_user, account),
                           risks=page_risks(page.items))


@bp.route("/accounts/<int:account_id>/interactions")
def interaction_list(account_id: int):
    account = load_account(account_id)
    stmt = interactions.visible_interactions_stmt(viewer=current_user, account_id=account.id)
    page = paginate_page(session, stmt.options(*interactions.interaction_options()),
                         request.args.get("page"), current_app.config["PER_PAGE"])
    return render_template("accounts/interactions.html", account=account, page=page, interactions=page.items,
                           can_edit=policy.may_edit_account(current_user, account))
