"""Who exported what: an account's exports (its team and admins) and every export (admins)."""
from __future__ import annotations

from flask import current_app, render_template, request
from flask_login import current_user

from kb import policy
from kb.db import session
from kb.pagination import paginate_page
from kb.services import exports as service
from views.accounts.routes import load_account

from . import bp


@bp.route("/accounts/<int:account_id>/exports")
def account_records(account_id: int):
    account = load_account(account_id)
    policy.require(policy.may_see_exports(current_user, account))
    page = paginate_page(session, service.account_exports_stmt(account_id=account.id),
                         request.args.get("page"), current_app.config["PER_PAGE"])
    return render_template("exports/records.html", account=account, page=page, names={})


@bp.route("/admin/exports")
def all_records():
    policy.require(policy.may_see_exports(current_user))
    page = paginate_page(session, service.all_exports_stmt(), request.args.get("page"),
                         current_app.config["PER_PAGE"])
    return render_template("exports/records.html", account=None, page=page,
                           names=service.account_names(page.items))
