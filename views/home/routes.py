"""Home: my accounts with their plan completeness, my open next steps, stale plan answers; the team
dashboard for leads and admins; recent plans and search for viewers."""
from __future__ import annotations

import logging

from flask import current_app, render_template
from flask_login import current_user

from kb import clock, policy
from kb.services import accounts as account_service
from kb.services import dashboard
from kb.services import interactions
from kb.services.plan_figures import current_plan_figures

from . import bp
from .dashboard import dashboard_context

logger = logging.getLogger(__name__)

#: Accounts listed under "My accounts" at most (the account list shows them all): the page stays the same
#: size whatever the portfolio (issue 9).
MY_ACCOUNTS_SHOWN = 20
#: "My open next steps" listed at most; the page says how many more there are.
MY_STEPS_SHOWN = 50


@bp.route("/")
def index():
    own_work = policy.may_have_own_work(current_user)  # a viewer has no accounts or steps of their own
    dash_accounts, more = dashboard.reader_accounts(current_user)
    extra = dashboard_context(dash_accounts, current_user, more_accounts=more) if dash_accounts else {}
    accounts, accounts_total, figures = (_my_accounts(extra.get("dash"), more) if own_work
                                         else ([], 0, {}))
    completeness = {i: f.answered for i, f in figures.items()}
    stale_counts = {i: len(f.stale) for i, f in figures.items()}
    steps, steps_total = (interactions.open_next_steps_and_total(
        viewer=current_user, owner_id=current_user.id, limit=MY_STEPS_SHOWN) if own_work else ([], 0))
    return render_template(
        "home/index.html",
        accounts=accounts, accounts_total=accounts_total, completeness=completeness, stale_counts=stale_counts,
        steps=steps, steps_total=steps_total,
        own_work=own_work,
        stale=_answers_to_review(accounts, figures, extra.get("dash")),
        is_admin=policy.is_admin(current_user),
        recent_plans=dashboard.recent_plans() if not dash_accounts else [],
        **extra,
    )


def _my_accounts(dash: dashboard.Dashboard | None, more: int) -> tuple[list, int, dict]:
    """"My accounts": the first MY_ACCOUNTS_SHOWN of the reader's team accounts by name, how many there are,
    and their plans' figures (the accounts list's rule: answered, stale; plain rows, issue 9).

    A member's dashboard covers exactly their not-archived team accounts (kb.services.dashboard.
    reader_accounts): when it covers them all, its accounts and plan figures are these, already read
    (issue 9: three statements fewer on PostgreSQL, each a round trip); an admin's covers every account."""
    if dash is not None and not more and not policy.is_admin(current_user):
        mine = sorted(dash.accounts, key=lambda a: (a.name, a.id))[:MY_ACCOUNTS_SHOWN]
        figures = {a.id: dash.plan_figures[a.id] for a in mine if a.id in dash.plan_figures}
        return mine, len(dash.accounts), figures
    accounts, total = account_service.team_accounts(current_user, limit=MY_ACCOUNTS_SHOWN)
    figures = current_plan_figures((a.id for a in accounts), today=clock.today(),
                                   stale_after_days=current_app.config["STALE_AFTER_DAYS"])
    return accounts, total, figures


def _answers_to_review(accounts: list, figures: dict, dash: dashboard.Dashboard | None) -> list:
    """Stale plan answers on my accounts, as (account, PlanFigures, [StaleAnswer, …]): a member's dashboard
    covers exactly their team accounts, so its list is reused rather than computed twice; an admin's covers
    every account, so theirs come from the figures of their own accounts (`figures`, already read)."""
    if dash is not None and not policy.is_admin(current_user):
        return dash.stale.rows
    return [(a, figures[a.id], list(figures[a.id].stale)) for a in accounts
            if a.id in figures and figures[a.id].stale]
