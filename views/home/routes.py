"""Home: my accounts with their plan completeness, my open next steps, stale plan answers; the team
dashboard for leads and admins; recent plans and search for viewers."""
from __future__ import annotations

import logging

from flask import current_app, render_template
from flask_login import current_user

from kb import policy
from kb.services import accounts as account_service
from kb.services import dashboard
from kb.services import interactions

from . import bp
from .dashboard import dashboard_context

logger = logging.getLogger(__name__)


@bp.route("/")
def index():
    own_work = policy.may_have_own_work(current_user)  # a viewer has no accounts or steps of their own
    accounts = account_service.team_accounts(current_user) if own_work else []
    completeness, stale_counts = account_service.plan_status(
        (a.id for a in accounts), stale_after_days=current_app.config["STALE_AFTER_DAYS"])
    dash_accounts, more = dashboard.reader_accounts(current_user)
    extra = dashboard_context(dash_accounts, current_user, more_accounts=more) if dash_accounts else {}
    return render_template(
        "home/index.html",
        accounts=accounts, completeness=completeness, stale_counts=stale_counts,
        steps=interactions.open_next_steps(viewer=current_user, owner_id=current_user.id) if own_work else [],
        own_work=own_work,
        stale=account_service.stale_answers(accounts,
                                            stale_after_days=current_app.config["STALE_AFTER_DAYS"]),
        is_admin=policy.is_admin(current_user),
        recent_plans=dashboard.recent_plans() if not dash_accounts else [],
        **extra,
    )
