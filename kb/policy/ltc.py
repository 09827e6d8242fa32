"""Lead to Cash: leads, opportunities (and their project triangles), key projects, risks."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, false, or_, select, true

from models import Account, Lead, Opportunity, OpportunitySeat, Risk, Visibility

from .. import clock
from ..db import session
from ..services.errors import PermissionDenied
from .core import (
    _user_id, is_admin, _is_active_member, is_on_team, sees_team_content, may_archive_account, may_edit_account,
    _archived, team_only_clause, check_may_edit_account, _check_not_archived,
)


# --- Lead to Cash: leads, opportunities (and their project triangles), key projects, risks ----------

def project_opportunity_ids(user: Any, today: date | None = None) -> Select[tuple[int]]:
    """SELECT of the ids of opportunities where `user` holds a project-triangle seat in force on `today`."""
    return select(OpportunitySeat.opportunity_id).where(
        OpportunitySeat.user_id == _user_id(user), OpportunitySeat.in_force(today or clock.today()))


#: At most this many opportunities (and their risks) are granted to a reader through project seats in search.
SEARCH_SEATS_MAX = 200


def project_search_grants(user: Any) -> dict[str, list[int]]:
    """What `user` reads through project-triangle seats in force today, beyond the team-only rule, as search
    needs it: {"opportunity": [ids], "risk": [ids of those opportunities' risks]} (empty lists for admins,
    who see everything anyway, and anonymous readers). Bounded by SEARCH_SEATS_MAX opportunities."""
    if is_admin(user) or _user_id(user) is None:
        return {"opportunity": [], "risk": []}
    opp_ids = sorted(set(session.scalars(project_opportunity_ids(user).limit(SEARCH_SEATS_MAX))))
    risk_ids = list(session.scalars(select(Risk.id).where(Risk.opportunity_id.in_(opp_ids)))) if opp_ids else []
    return {"opportunity": opp_ids, "risk": risk_ids}


def lead_visible_clause(user: Any) -> ColumnElement[bool]:
    """WHERE clause limiting leads to those `user` may see (the interactions' team-only rule)."""
    return team_only_clause(user, Lead.visibility, Lead.account_id)


def opportunity_visible_clause(user: Any) -> ColumnElement[bool]:
    """WHERE clause limiting opportunities to those `user` may see: the team-only rule, plus the ones where
    `user` sits on the project triangle."""
    clause = team_only_clause(user, Opportunity.visibility, Opportunity.account_id)
    if is_admin(user) or _user_id(user) is None:
        return clause
    return or_(clause, Opportunity.id.in_(project_opportunity_ids(user)))


def risk_visible_clause(user: Any) -> ColumnElement[bool]:
    """WHERE clause limiting risks to those `user` may see: an account's risks are read by everyone signed
    in; an opportunity's risks by whoever sees the opportunity."""
    if is_admin(user):
        return true()
    if _user_id(user) is None:
        return false()
    visible = select(Opportunity.id).where(opportunity_visible_clause(user))
    return or_(Risk.opportunity_id.is_(None), Risk.opportunity_id.in_(visible))


def may_see_lead(user: Any, lead: Lead) -> bool:
    """May `user` read `lead`?"""
    if _user_id(user) is None:
        return False
    return (lead.visibility == Visibility.ORG or is_admin(user)
            or (lead.account_id is not None and is_on_team(user, lead.account_id)))


def sits_on_project(user: Any, opportunity: Opportunity | int) -> bool:
    """Whether `user` holds a project-triangle seat in force (today) on `opportunity`."""
    uid = _user_id(user)
    if uid is None:
        return False
    opportunity_id = opportunity if isinstance(opportunity, int) else opportunity.id
    stmt = project_opportunity_ids(user).where(OpportunitySeat.opportunity_id == opportunity_id)
    return session.scalar(select(stmt.exists())) or False


def may_see_opportunity(user: Any, opportunity: Opportunity) -> bool:
    """May `user` read `opportunity` (org-visible; team-only: its account team, its project triangle and
    admins)?"""
    if _user_id(user) is None:
        return False
    return (opportunity.visibility == Visibility.ORG or sees_team_content(user, opportunity.account_id)
            or sits_on_project(user, opportunity))


def may_see_risk(user: Any, risk: Risk) -> bool:
    """May `user` read `risk` (as its opportunity, else anyone signed in)?"""
    if risk.opportunity is not None:
        return may_see_opportunity(user, risk.opportunity)
    return _user_id(user) is not None


def may_create_lead(user: Any, account: Account | int | None) -> bool:
    """Leads of an account: its editors. A prospect's lead (no account yet): any active member, admins."""
    if account is None:
        return is_admin(user) or _is_active_member(user)
    return may_edit_account(user, account)


def may_edit_lead(user: Any, lead: Lead) -> bool:
    """An account's lead: the account's editors. A prospect's lead: admins, its owner and its author."""
    if lead.account_id is not None:
        return may_edit_account(user, lead.account_id)
    uid = _user_id(user)
    return is_admin(user) or (_is_active_member(user) and uid in (lead.owner_id, lead.created_by_id))


def may_edit_opportunity(user: Any, opportunity: Opportunity) -> bool:
    """The account team and admins, and the opportunity's project triangle (a seat in force, even without a
    customer-group seat). Viewers never; an archived account is read-only."""
    if _archived(opportunity.account_id):
        return False
    if may_edit_account(user, opportunity.account_id):
        return True
    return _is_active_member(user) and sits_on_project(user, opportunity)


def may_edit_risk(user: Any, risk: Risk) -> bool:
    """An opportunity's risk: who edits the opportunity; an account's risk: the account's editors."""
    if risk.opportunity is not None:
        return may_edit_opportunity(user, risk.opportunity)
    return may_edit_account(user, risk.account_id)



def check_may_create_lead(user: Any, account: Account | None) -> None:
    """Raise AccountArchived (409) or PermissionDenied (403) unless `user` may add a lead there."""
    if account is not None:
        check_may_edit_account(user, account)
    elif not may_create_lead(user, None):
        raise PermissionDenied(_("You may not add leads."))


def check_may_edit_lead(user: Any, lead: Lead) -> None:
    """Raise AccountArchived (409) or PermissionDenied (403) unless `user` may change `lead`."""
    if lead.account_id is not None:
        check_may_edit_account(user, lead.account_id)
    elif not may_edit_lead(user, lead):
        raise PermissionDenied(_("You may not change this lead."))


def check_may_edit_opportunity(user: Any, opportunity: Opportunity) -> None:
    """Raise AccountArchived (409) or PermissionDenied (403) unless `user` may change `opportunity`
    (its account team, its project triangle, admins)."""
    if not (may_archive_account(user, opportunity.account_id)
            or (_is_active_member(user) and sits_on_project(user, opportunity))):
        raise PermissionDenied(_("You may not change this opportunity."))
    _check_not_archived(opportunity.account_id)


def check_may_edit_risk(user: Any, risk: Risk) -> None:
    """Raise AccountArchived (409) or PermissionDenied (403) unless `user` may change `risk`."""
    if risk.opportunity is not None:
        check_may_edit_opportunity(user, risk.opportunity)
    else:
        check_may_edit_account(user, risk.account_id)
