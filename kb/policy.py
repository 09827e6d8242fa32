"""Who may see and do what: the one place access rules live.

- Everyone signed in reads accounts, plans and stakeholders.
- Team-only interactions and stakeholders' private notes: the account team (triangle seats in force in
  the account's customer group, plus named account members) and admins only.
- `member` edits accounts where they are on the team; `admin` edits everything and manages users,
  groups and seats; `viewer` only reads. An archived account is read-only until restored.
- Team rights come from seats *in force* (`TriangleSeat.in_force`, the one definition): a seat recorded
  ahead gives nothing until its day.

Two kinds of functions: `may_*` answer a question (pages use them for buttons and links), `check_may_*`
raise PermissionDenied; every write service calls a `check_may_*` first, so pages, the API, the CLI and
importers share one gate.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, false, or_, select, true, union

from models import (
    Account, Interaction, Lead, Opportunity, OpportunitySeat, Risk, SeatRole, TriangleSeat, UserRole, Visibility,
    account_member,
)

from . import clock
from .db import session
from .services.errors import AccountArchived, PermissionDenied


def _user_id(user: Any) -> int | None:
    return getattr(user, "id", None) if getattr(user, "is_authenticated", False) else None


def is_admin(user: Any) -> bool:
    """A signed-in, active admin (`User.is_admin` is the same rule, for any object that has it)."""
    return _user_id(user) is not None and bool(getattr(user, "is_admin", False))


def _is_active_member(user: Any) -> bool:
    return (_user_id(user) is not None and getattr(user, "role", None) == UserRole.MEMBER
            and bool(user.is_active))


def may_have_own_work(user: Any) -> bool:
    """Whether `user` can be on an account team and own next steps (members and admins). Viewers only
    read: their home offers no "my accounts" nor "my next steps" and never invites them to join a team."""
    return _is_active_member(user) or is_admin(user)


def seat_in_force(today: date | None = None) -> ColumnElement[bool]:
    """SQL for "the seat is in force on `today`" (default: `kb.clock.today()`); see TriangleSeat.in_force.

    So a rotation recorded ahead of time hands over access on the day it says, not when it is typed.
    """
    return TriangleSeat.in_force(today or clock.today())


def seated_group_ids(user: Any, today: date | None = None) -> set[int]:
    """Ids of the customer groups where `user` holds a seat in force on `today` (default kb.clock.today())."""
    uid = _user_id(user)
    if uid is None:
        return set()
    return set(session.scalars(
        select(TriangleSeat.customer_group_id).where(TriangleSeat.user_id == uid, seat_in_force(today))
    ))


def team_account_ids(user: Any) -> Select[tuple[int]]:
    """SELECT of the ids of accounts on whose team `user` is (seat in its group or named member)."""
    uid = _user_id(user)
    by_seat = (
        select(Account.id)
        .join(TriangleSeat, TriangleSeat.customer_group_id == Account.customer_group_id)
        .where(TriangleSeat.user_id == uid, seat_in_force())
    )
    by_membership = select(account_member.c.account_id).where(account_member.c.user_id == uid)
    return select(union(by_seat, by_membership).subquery().c[0])


def team_user_ids(account_ids: list[int], today: date | None = None) -> dict[int, set[int]]:
    """For each account id, the ids of the users on its team on `today` (seat in force in its customer
    group, or named member): the same rule as `is_on_team`, for many accounts in one statement."""
    if not account_ids:
        return {}
    by_seat = (
        select(Account.id, TriangleSeat.user_id)
        .join(TriangleSeat, TriangleSeat.customer_group_id == Account.customer_group_id)
        .where(Account.id.in_(account_ids), seat_in_force(today))
    )
    by_membership = select(account_member.c.account_id, account_member.c.user_id).where(
        account_member.c.account_id.in_(account_ids))
    team: dict[int, set[int]] = {account_id: set() for account_id in account_ids}
    for account_id, user_id in session.execute(union(by_seat, by_membership)):
        team[account_id].add(user_id)
    return team


def is_on_team(user: Any, account: Account | int) -> bool:
    """Whether `user` is on the account team of `account` (admins are not, by being admins)."""
    uid = _user_id(user)
    if uid is None:
        return False
    account_id = account if isinstance(account, int) else account.id
    member = select(account_member.c.account_id).where(
        account_member.c.user_id == uid, account_member.c.account_id == account_id
    )
    seated = (
        select(TriangleSeat.id)
        .join(Account, Account.customer_group_id == TriangleSeat.customer_group_id)
        .where(Account.id == account_id, TriangleSeat.user_id == uid, seat_in_force())
    )
    return bool(session.scalar(select(or_(member.exists(), seated.exists()))))


def sees_team_content(user: Any, account: Account | int) -> bool:
    """May `user` read team-only interactions and private notes of `account`?"""
    return is_admin(user) or is_on_team(user, account)


def may_see_exports(user: Any, account: Account | int | None = None) -> bool:
    """May `user` read who exported what: an account's exports for its team and admins (the same people
    who read its team-only content); every export (`account` None) for admins only."""
    return is_admin(user) if account is None else sees_team_content(user, account)


def may_archive_account(user: Any, account: Account | int) -> bool:
    """May `user` archive or restore `account` (the account's editors, archived or not)?"""
    if is_admin(user):
        return True
    return _is_active_member(user) and is_on_team(user, account)


def may_edit_account(user: Any, account: Account | int) -> bool:
    """May `user` change `account` and what belongs to it (plans, stakeholders, interactions)?

    An archived account is read-only for everyone until it is restored.
    """
    return not _archived(account) and may_archive_account(user, account)


def editable_account_clause(user: Any) -> ColumnElement[bool]:
    """SQL filter of the accounts `user` may edit: `may_edit_account` as a WHERE clause (live accounts of
    the user's team; admins: every live account; viewers and inactive users: none)."""
    if is_admin(user):
        return Account.archived_at.is_(None)
    if not _is_active_member(user):
        return false()
    return Account.archived_at.is_(None) & Account.id.in_(team_account_ids(user))


def _archived(account: Account | int) -> bool:
    if isinstance(account, Account):
        return account.archived_at is not None
    return session.scalar(select(Account.archived_at).where(Account.id == account)) is not None


def account_group_choices(user: Any) -> set[int] | None:
    """Customer groups `user` may put an account in: None = any group or none (admins)."""
    return None if is_admin(user) else (seated_group_ids(user) if _is_active_member(user) else set())


#: `may_create_account(user)` without a group: may `user` create an account somewhere at all?
ANY_GROUP: Any = object()


def may_create_account(user: Any, customer_group_id: int | None = ANY_GROUP) -> bool:
    """The one rule for creating accounts.

    Admins create accounts in any group or in none. Members create them only in customer groups where they
    hold a seat in force (an account in no group would have no team, so nobody but admins could edit it).
    Without `customer_group_id`: may `user` create an account in some group at all ("New account" button)?
    `customer_group_id=None` asks about an account in no group.
    """
    allowed = account_group_choices(user)
    if allowed is None:
        return True
    return bool(allowed) if customer_group_id is ANY_GROUP else customer_group_id in allowed


def may_place_account(user: Any, account: Account, customer_group_id: int | None) -> bool:
    """May `user` move an account they edit to `customer_group_id` (keeping its group is always fine)?"""
    return customer_group_id == account.customer_group_id or may_create_account(user, customer_group_id)


def may_manage(user: Any) -> bool:
    """Users, customer groups and triangle seats are managed by admins."""
    return is_admin(user)


def handover_group_ids(user: Any, today: date | None = None) -> set[int] | None:
    """Customer groups whose work `user` may hand over: None = everything (admins); else the groups where
    `user`, an active member, holds the AR seat in force on `today` (default kb.clock.today())."""
    if is_admin(user):
        return None
    if not _is_active_member(user):
        return set()
    return set(session.scalars(
        select(TriangleSeat.customer_group_id).where(
            TriangleSeat.user_id == _user_id(user), TriangleSeat.role == SeatRole.AR, seat_in_force(today))
    ))


def may_hand_over(user: Any) -> bool:
    """May `user` hand over anyone's work at all (admins; a customer group's current AR, in that group)?"""
    scope = handover_group_ids(user)
    return scope is None or bool(scope)


def may_read_handover(user: Any, handover: Any) -> bool:
    """May `user` read a handover record: admins, who ran it, the leaver, and every successor in it."""
    uid = _user_id(user)
    if uid is None:
        return False
    return (is_admin(user) or uid in (handover.created_by_id, handover.from_user_id, handover.to_user_id)
            or any(change.to_user_id == uid for change in handover.changes))


def team_only_clause(user: Any, visibility: Any, account_id: Any) -> ColumnElement[bool]:
    """The rule of team-only records as SQL: org-visible, or team-only and on the account's team (admins:
    everything; nobody signed in: nothing). `visibility` and `account_id` are the record's columns."""
    if is_admin(user):
        return true()
    if _user_id(user) is None:
        return false()
    return or_(visibility == Visibility.ORG, account_id.in_(team_account_ids(user)))


def interaction_visible_clause(user: Any) -> ColumnElement[bool]:
    """WHERE clause limiting interactions to those `user` may see."""
    return team_only_clause(user, Interaction.visibility, Interaction.account_id)


def may_see_interaction(user: Any, interaction: Interaction) -> bool:
    """May `user` read `interaction` (org-visible, or team-only and on its account's team)?"""
    return interaction.visibility == Visibility.ORG or sees_team_content(user, interaction.account_id)


# --- Lead to Cash: leads, opportunities (and their project triangles), key projects, risks ----------

def project_opportunity_ids(user: Any, today: date | None = None) -> Select[tuple[int]]:
    """SELECT of the ids of opportunities where `user` holds a project-triangle seat in force on `today`."""
    return select(OpportunitySeat.opportunity_id).where(
        OpportunitySeat.user_id == _user_id(user), OpportunitySeat.in_force(today or clock.today()))


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


def require(allowed: bool) -> None:
    """Abort with 403 unless `allowed`."""
    if not allowed:
        abort(403)


# --- gates: services call these before every write -------------------------------------------------

def check_may_edit_account(user: Any, account: Account | int) -> None:
    """Raise AccountArchived (409) on an archived account, PermissionDenied (403) off its team."""
    if not may_archive_account(user, account):
        raise PermissionDenied(_("You may not change this account."))
    if _archived(account):
        raise AccountArchived(_("This account is archived: restore it to change it."))


def require_edit_page(user: Any, account: Account | int, method: str) -> None:
    """Gate of the pages that edit `account` or a record of it. Off the account's team: 403. On an archived
    account the form is refused on GET with the reason (AccountArchived, 409, shown by kb.form_errors); a
    POST goes on to the service, which refuses the save with the same reason on the form page, so what
    was typed (perhaps before someone archived the account) is not lost."""
    require(may_archive_account(user, account))
    if method == "GET":
        check_may_edit_account(user, account)


def check_may_archive_account(user: Any, account: Account | int) -> None:
    """Raise PermissionDenied unless `user` may archive or restore `account`."""
    if not may_archive_account(user, account):
        raise PermissionDenied(_("You may not archive or restore this account."))


def check_may_create_account(user: Any, customer_group_id: int | None) -> None:
    """Raise PermissionDenied unless `user` may create an account in `customer_group_id` (see may_create_account)."""
    if not may_create_account(user, customer_group_id):
        raise PermissionDenied(
            _("You may only place accounts in customer groups where you hold a triangle seat."),
            fields={"customer_group_id": _("Choose a customer group where you hold a triangle seat.")},
        )


def check_may_place_account(user: Any, account: Account, customer_group_id: int | None) -> None:
    """Raise PermissionDenied if `user` may not move `account` to `customer_group_id`."""
    if not may_place_account(user, account, customer_group_id):
        raise PermissionDenied(
            _("You may only place accounts in customer groups where you hold a triangle seat."),
            fields={"customer_group_id": _("Choose a customer group where you hold a triangle seat.")},
        )


def check_may_set_parent(user: Any, parent: Account) -> None:
    """Raise PermissionDenied unless `user` edits `parent` too (archived or not): nobody hangs an account
    under another team's account."""
    if not may_archive_account(user, parent):
        raise PermissionDenied(
            _("You may only put an account under a parent account whose team you are on."),
            fields={"parent_id": _("Choose a parent account whose team you are on.")},
        )


def check_may_manage(user: Any) -> None:
    """Raise PermissionDenied unless `user` manages users, customer groups and seats (admins)."""
    if not may_manage(user):
        raise PermissionDenied(_("Only admins may do this."))


def check_may_hand_over(user: Any, from_user: Any, scope: set[int | None], *,
                        deactivate: bool = False) -> None:
    """Raise PermissionDenied unless `user` may hand over `from_user`'s work in the customer groups `scope`
    (None in it: accounts in no group). Admins hand over anyone's work anywhere and alone may deactivate the
    leaver; a group's current AR hands over only what lies in that group (its seats and its accounts)."""
    allowed = handover_group_ids(user)
    if allowed is None:
        return
    if not allowed:
        raise PermissionDenied(_("Only admins and a customer group's current AR may hand over work."))
    if deactivate:
        raise PermissionDenied(_("Only admins may deactivate the leaver."),
                               fields={"deactivate_from": _("Only admins may deactivate the leaver.")})
    if not scope <= allowed:
        raise PermissionDenied(_("You may only hand over work in the customer groups where you are the AR."))


def _check_not_archived(account_id: int | None) -> None:
    if account_id is not None and _archived(account_id):
        raise AccountArchived(_("This account is archived: restore it to change it."))


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
# --- imports (kb/services/imports.py): each row then goes through the gate of the record it writes ----

def may_import(user: Any) -> bool:
    """May `user` import spreadsheets at all (admins, and active members into the accounts they edit)?"""
    return is_admin(user) or _is_active_member(user)


def check_may_import(user: Any) -> None:
    """Raise PermissionDenied unless `user` may import (see may_import)."""
    if not may_import(user):
        raise PermissionDenied(_("You may not import data."))


def import_runs_visible_clause(user: Any) -> ColumnElement[bool]:
    """WHERE clause on ImportRun: admins see every import, others their own."""
    from models import ImportRun

    return true() if is_admin(user) else ImportRun.user_id == _user_id(user)
