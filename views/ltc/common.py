"""Helpers shared by the Lead to Cash pages: loading what the reader may see, amounts typed on forms."""
from __future__ import annotations

from typing import Any

from flask import abort, current_app, request
from flask_login import current_user

from kb.db import session
from kb.pagination import Page, paginate_page
from kb.policy import may_see_lead, may_see_opportunity
from kb.services import leads as lead_service
from kb.services import opportunities as opp_service
from models import Account, Lead, Opportunity
from views.list_filters import filter_label

from . import bp


def load_account(account_id: int) -> Account:
    return session.get(Account, account_id) or abort(404)


def load_lead(lead_id: int) -> Lead:
    """The lead, or 404 — also when the reader may not see it (its existence is not revealed)."""
    lead = session.get(Lead, lead_id, options=lead_service.lead_options())
    if lead is None or not may_see_lead(current_user, lead):
        abort(404)
    return lead


def load_opportunity(opportunity_id: int) -> Opportunity:
    """The opportunity, or 404 — also when the reader may not see it."""
    opp = session.get(Opportunity, opportunity_id, options=opp_service.opportunity_options())
    if opp is None or not may_see_opportunity(current_user, opp):
        abort(404)
    return opp


def page_of(stmt: Any) -> Any:
    """One page (the `page` query parameter) of `stmt`, PER_PAGE rows."""
    return paginate_page(session, stmt, request.args.get("page"), current_app.config["PER_PAGE"])


@bp.app_template_global("filter_label")
def _filter_label(name: str) -> str:
    """A refused list filter named by its label ("状态", "阶段"), for the `filter_errors` macro."""
    return filter_label(name)


def empty_page() -> Page[Any]:
    """No rows (a list whose filters were refused)."""
    return Page(items=[], number=1, per_page=current_app.config["PER_PAGE"], total=0)


def typed_amount(text: str | None) -> str | None:
    """What was typed in an amount field, for the service to check (blank → None)."""
    text = (text or "").strip()
    return text or None


def amount_text(value: Any) -> str:
    """A stored amount as the form shows it."""
    return "" if value is None else f"{value:.2f}"
