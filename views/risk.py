"""Relationship risk for the pages: the one rule (kb.services.relationship_risk) with the app's settings."""
from __future__ import annotations

from collections.abc import Sequence

from flask import current_app, g

from kb import policy
from kb.clock import today
from kb.services import relationship_risk
from kb.services.relationship_risk import Risk
from models import Stakeholder


def settings() -> dict[str, int]:
    """The contact-age settings as the service's keyword arguments (days)."""
    return {"key_days": current_app.config["RISK_CONTACT_DAYS_KEY"],
            "other_days": current_app.config["RISK_CONTACT_DAYS_OTHER"]}


def _teams(stakeholders: Sequence[Stakeholder]) -> dict[int, set[int]]:
    """kb.policy.team_user_ids of the stakeholders' accounts, read once per request: the risks and the
    owners' "left" flags of one page use the same statement."""
    account_ids = sorted({s.account_id for s in stakeholders})
    memo = g.setdefault("_risk_teams", {})
    key = (tuple(account_ids), today())
    if key not in memo:
        memo[key] = policy.team_user_ids(account_ids, key[1])
    return memo[key]


def page_risks(stakeholders: Sequence[Stakeholder]) -> dict[int, list[Risk]]:
    """{stakeholder id: risks} for the stakeholders a page shows, on the user's today."""
    if not stakeholders:
        return {}
    return relationship_risk.stakeholder_risks(stakeholders=stakeholders, today=today(),
                                               teams=_teams(stakeholders), **settings())


def page_gone_owners(stakeholders: Sequence[Stakeholder]) -> dict[int, set[int]]:
    """{stakeholder id: user ids of owners who have left (inactive or off the team)}, on the user's today."""
    if not stakeholders:
        return {}
    return relationship_risk.gone_owners(stakeholders=stakeholders, today=today(), teams=_teams(stakeholders))


def account_risk_counts(account_ids: Sequence[int]) -> dict[int, int]:
    """{account id: number of relationships at risk} (group page)."""
    return relationship_risk.at_risk_counts(account_ids=account_ids, today=today(), **settings())
