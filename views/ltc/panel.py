"""The LTC panel of the account page, the brief and the onboarding view: open opportunities, key-project
lights and open risks, bounded (a few rows each, counted, with links to the full lists).

A template global (`ltc_panel(account)`), so the account views need no change: the include asks for it.
"""
from __future__ import annotations

from typing import Any

from flask_login import current_user
from sqlalchemy.orm import selectinload
from kb import policy
from kb.services import ltc_risks
from kb.services import opportunities as opp_service
from kb.services.counted import rows_and_total
from models import Account, Opportunity, OpportunityStatus, Risk, RiskStatus

from . import bp

PANEL_ROWS = 5


@bp.app_template_global("ltc_panel")
def ltc_panel(account: Account) -> dict[str, Any]:
    """Up to PANEL_ROWS open opportunities (key projects first), open key projects and open risks of
    `account` that the reader may see, with their totals (window counts): three statements and the risk
    owners' load, whatever the account's size."""
    opps = opp_service.visible_opportunities_stmt(viewer=current_user, account_id=account.id,
                                                  status=OpportunityStatus.OPEN)
    keys = opps.where(Opportunity.key_project.is_(True))
    risks = ltc_risks.visible_risks_stmt(viewer=current_user, account_id=account.id, status=RiskStatus.OPEN)
    ordered = opps.order_by(None).order_by(Opportunity.key_project.desc(),
                                           Opportunity.expected_close_on.is_(None),
                                           Opportunity.expected_close_on)
    opportunities, opportunity_total = rows_and_total(ordered, limit=PANEL_ROWS)
    key_projects, key_total = rows_and_total(keys, limit=PANEL_ROWS)
    # The panel shows a risk's owner only: its account (this one) and opportunity are not loaded.
    risk_rows, risk_total = rows_and_total(risks.options(selectinload(Risk.owner)), limit=PANEL_ROWS)
    return {
        "opportunities": opportunities, "opportunity_total": opportunity_total,
        "key_projects": key_projects, "key_total": key_total,
        "risks": risk_rows, "risk_total": risk_total,
        "can_edit": policy.may_edit_account(current_user, account),
    }
