"""The account page, the printable visit brief and the onboarding view.

Each page runs a constant number of SQL statements whatever the number of stakeholders and interactions:
every list comes from a service that eager-loads what the templates touch.
"""
from __future__ import annotations

import logging
from typing import Any

from flask import current_app, render_template
from flask_login import current_user

from kb import policy
from kb.clock import today
from kb.services import accounts as service
from kb.services import interactions, plans, stakeholders
from kb.services.coverage import at_risk, by_layer, who_decides
from kb.services.users import users_by_id
from models import Account
from views.forms import ArchiveForm

from . import bp
from .routes import load_account

logger = logging.getLogger(__name__)

#: Interactions on the onboarding timeline (newest first); older ones are on the account's search.
TIMELINE_LIMIT = 200
RECENT_LIMIT = 10


def _common(account: Account) -> dict[str, Any]:
    """What every account page shows: permissions, the current plan's card, the triangle."""
    can_edit = policy.may_edit_account(current_user, account)
    plan = plans.current_plan(account_id=account.id)
    states = plans.answer_states(plan, stale_after_days=current_app.config["STALE_AFTER_DAYS"])
    return dict(
        account=account, can_edit=can_edit,
        can_manage_archive=policy.may_archive_account(current_user, account),
        can_see_private=policy.sees_team_content(current_user, account),
        plan=plan, states=states, answered=sum(1 for s in states if s.answered),
        triangle=service.team_triangle(account, today=today()),
    )


@bp.route("/accounts/<int:account_id>")
def show(account_id: int):
    account = load_account(account_id)
    context = _common(account)
    return render_template(
        "accounts/show.html", **context,
        stakeholders=stakeholders.decision_chain(account_id=account.id),
        interactions=interactions.recent_interactions(account_id=account.id, viewer=current_user,
                                                      limit=RECENT_LIMIT),
        steps=interactions.open_next_steps(viewer=current_user, account_id=account.id),
        audit_users=users_by_id([account.created_by_id, account.updated_by_id]),
        archive_form=ArchiveForm(),
    )


@bp.route("/accounts/<int:account_id>/brief")
def brief(account_id: int):
    account = load_account(account_id)
    context = _common(account)
    return render_template(
        "accounts/brief.html", **context,
        deciders=who_decides(stakeholders.decision_chain(account_id=account.id)),
        interactions=interactions.recent_interactions(account_id=account.id, viewer=current_user, limit=3),
        steps=interactions.open_next_steps(viewer=current_user, account_id=account.id),
    )


@bp.route("/accounts/<int:account_id>/onboarding")
def onboarding(account_id: int):
    account = load_account(account_id)
    context = _common(account)
    chain = stakeholders.decision_chain(account_id=account.id)
    timeline = interactions.recent_interactions(account_id=account.id, viewer=current_user,
                                                limit=TIMELINE_LIMIT)
    return render_template(
        "accounts/onboarding.html", **context,
        layers=by_layer(chain), at_risk={s.id for s in chain if at_risk(s)}, stakeholder_count=len(chain),
        plan_history=service.plan_history_summary(account.id),
        interactions=timeline, timeline_limited=len(timeline) >= TIMELINE_LIMIT,
        steps=interactions.open_next_steps(viewer=current_user, account_id=account.id),
    )
