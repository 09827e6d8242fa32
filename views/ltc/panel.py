"""The LTC panel of the account page, the brief and the onboarding view: open opportunities, key-project
lights and open risks, bounded (a few rows each, counted, with links to the full lists).

A template global (`ltc_panel(account)`), so the account views need no change: the include asks for it.
"""
from __future__ import annotations

from typing import Any

from flask_login import current_user
from sqlalchemy import func, select

from kb import policy
from kb.db import session
from kb.services import ltc_risks
from kb.services import opportunities as opp_service
from models import Account, Opportunity, OpportunityStatus, RiskStatus

from . import bp

PANEL_ROWS = 5


def _count(stmt: Any) -> int:
    return session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


@bp.app_template_global("ltc_panel")
def ltc_panel(account: Account) -> dict[str, Any]:
    """Up to PANEL_ROWS open opportunities (key projects first), open key projects and open risks of
    `account` that the reader may see, with their totals; six statements whatever the account's size."""
    opps = opp_service.visible_opportunities_stmt(viewer=current_user, account_id=account.id,
                                                  status=OpportunityStatus.OPEN)
    keys = opps.where(Opportunity.key_project.is_(True))
    risks = ltc_risks.visible_risks_stmt(viewer=current_user, account_id=account.id, status=RiskStatus.OPEN)
    ordered = opps.order_by(None).order_by(Opportunity.key_project.desc(),
                                           Opportunity.expected_close_on.is_(None),
                                           Opportunity.expected_close_on)
    return {
        "opportunities": list(session.scalars(ordered.limit(PANEL_ROWS))), "opportunity_total": _count(opps),
        "key_projects": list(session.scalars(keys.limit(PANEL_ROWS))), "key_total": _count(keys),
        "risks": list(session.scalars(risks.options(*ltc_risks.risk_options()).limit(PANEL_ROWS))),
        "risk_total": _count(risks),
        "can_edit": policy.may_edit_account(current_user, account),
    }
