"""Turning search hits into what the page and the API show: URLs, account and group names, labels."""
from __future__ import annotations

from typing import Any

from flask import url_for
from sqlalchemy import select

from kb.db import session
from kb.group_names import display_group_name, ui_is_english
from kb.search.searching import SearchHit
from models import Account, CustomerGroup

#: endpoint and URL arguments of each document type's page
_PAGES = {
    "account": ("accounts.show", lambda h: {"account_id": h.id}),
    "plan": ("plans.show", lambda h: {"account_id": h.account_id, "period": h.period}),
    "stakeholder": ("stakeholders.show", lambda h: {"stakeholder_id": h.id}),
    "stakeholder_note": ("stakeholders.show", lambda h: {"stakeholder_id": h.id}),
    "interaction": ("interactions.show", lambda h: {"interaction_id": h.id}),
    "lead": ("ltc.show_lead", lambda h: {"lead_id": h.id}),
    "opportunity": ("ltc.show_opportunity", lambda h: {"opportunity_id": h.id}),
    "risk": ("ltc.show_risk", lambda h: {"risk_id": h.id}),
}


def hit_url(hit: SearchHit) -> str:
    """The page of the record a hit stands for."""
    endpoint, args = _PAGES[hit.type]
    return url_for(endpoint, **args(hit))


def account_names(hits: list[SearchHit]) -> dict[int, str]:
    """Names of the hits' accounts, in one query."""
    ids = {h.account_id for h in hits}
    if not ids:
        return {}
    return dict(session.execute(select(Account.id, Account.name).where(Account.id.in_(ids))).all())


def group_names(ids: Any) -> dict[str, str]:
    """Names of customer groups by id (as strings, like the facet values), in one query."""
    wanted = [int(i) for i in ids if str(i).isdigit()]
    if not wanted:
        return {}
    rows = session.execute(select(CustomerGroup.id, CustomerGroup.name, CustomerGroup.name_en)
                           .where(CustomerGroup.id.in_(wanted)))
    english = ui_is_english()
    return {str(gid): display_group_name(name, name_en, english=english) for gid, name, name_en in rows}
