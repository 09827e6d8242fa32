"""The account page, the printable visit brief and the onboarding view.

Each page runs a constant number of SQL statements whatever the number of stakeholders and interactions:
every list comes from a service that eager-loads what the templates touch, and is capped (config
ACCOUNT_PAGE_LIMIT) with a count of what is left out and a link to the paged full list (lists.py).
"""
from __future__ import annotations

import logging
from typing import Any

from flask import current_app, render_template
from flask_login import current_user

from kb import policy
from kb.clock import today
from kb.services import accounts as service
from kb.services import bounded, interactions, plans
from kb.services.coverage import by_layer, who_decides
from kb.services.plan_targets import plan_target_lines
from kb.services.users import users_by_id
from models import Account
from views.forms import ArchiveForm
from views.risk import page_risks

from . import bp
from .meeting import meeting_context
from .pictures import chain_picture
from .routes import load_account

logger = logging.getLogger(__name__)

RECENT_LIMIT = 10
#: Open next steps on the printed brief (one A4 page); the rest are counted and linked.
BRIEF_STEPS = 5


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
        plan_targets=plan_target_lines(plan, reader=current_user) if plan is not None else [],
        triangle=service.team_triangle(account, today=today()),
    )


def _people(account: Account) -> dict[str, Any]:
    """The people who matter (up to ACCOUNT_PAGE_LIMIT) and how many stakeholders are left out."""
    limit = current_app.config["ACCOUNT_PAGE_LIMIT"]
    chain, total = bounded.key_people_and_total(account_id=account.id, limit=limit)
    return dict(chain=chain, stakeholder_count=total, more_stakeholders=max(0, total - len(chain)))


def _steps(account: Account, limit: int) -> dict[str, Any]:
    """Open next steps (up to `limit`) and how many more there are."""
    steps, total = interactions.open_next_steps_and_total(viewer=current_user, account_id=account.id,
                                                          limit=limit)
    return dict(steps=steps, more_steps=max(0, total - len(steps)))


def _timeline(account: Account, limit: int) -> dict[str, Any]:
    """The latest interactions (up to `limit`) and how many more the viewer may see."""
    rows, total = interactions.recent_interactions_and_total(account_id=account.id, viewer=current_user,
                                                             limit=limit)
    return dict(interactions=rows, interaction_count=total, more_interactions=max(0, total - len(rows)))


@bp.route("/accounts/<int:account_id>")
def show(account_id: int):
    account = load_account(account_id)
    context = _common(account)
    people = _people(account)
    limit = current_app.config["ACCOUNT_PAGE_LIMIT"]
    risks = page_risks(people["chain"])
    return render_template(
        "accounts/show.html", **context, **_timeline(account, RECENT_LIMIT), **_steps(account, limit),
        stakeholders=people["chain"], stakeholder_count=people["stakeholder_count"],
        more_stakeholders=people["more_stakeholders"], risks=risks,
        audit_users=users_by_id([account.created_by_id, account.updated_by_id]),
        archive_form=ArchiveForm(),
        chain_svg=chain_picture(account, people["chain"], people["stakeholder_count"], risks=risks),
    )


@bp.route("/accounts/<int:account_id>/brief")
def brief(account_id: int):
    account = load_account(account_id)
    context = _common(account)
    people = _people(account)
    meeting, status = meeting_context(account.id, people["chain"], current_user)
    deciders = who_decides(people["chain"])
    risks = page_risks(deciders)
    return render_template(
        "accounts/brief.html", **context, **_timeline(account, 3), **_steps(account, BRIEF_STEPS),
        deciders=deciders, more_stakeholders=people["more_stakeholders"], risks=risks,
        chain_svg=chain_picture(account, people["chain"], people["stakeholder_count"], compact=True,
                                risks=risks),
        **meeting,
    ), status


@bp.route("/accounts/<int:account_id>/onboarding")
def onboarding(account_id: int):
    account = load_account(account_id)
    context = _common(account)
    people = _people(account)
    chain = people["chain"]
    limit = current_app.config["ACCOUNT_PAGE_LIMIT"]
    risks = page_risks(chain)
    return render_template(
        "accounts/onboarding.html", **context, **_timeline(account, limit), **_steps(account, limit),
        layers=by_layer(chain), risks=risks,
        stakeholder_count=people["stakeholder_count"], more_stakeholders=people["more_stakeholders"],
        plan_history=service.plan_history_summary(account.id),
        chain_svg=chain_picture(account, chain, people["stakeholder_count"], risks=risks),
    )
