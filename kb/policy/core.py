"""Users, seats in force, account teams, accounts and interactions: the rules every other area builds on."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, false, or_, select, true, union

from models import Account, Interaction, TriangleSeat, UserRole, Visibility, account_member

from .. import clock
from ..db import session
from ..id_lists import in_ids
from ..services.errors import AccountArchived, PermissionDenied
from .memo import note, recall, remember


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
    day = today or clock.today()
    return set(remember(("seated_group_ids", uid, day), lambda: frozenset(session.scalars(
        select(TriangleSeat.customer_group_id).where(TriangleSeat.user_id == uid, seat_in_force(day))
    ))))


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
    group, or named member): the same rule as `is_on_team`, for many accounts in one statement. In a
    reads-only request the answer is noted (kb.policy.memo) so `is_on_team` on these accounts later in the
    request needs no statement (issue 9: the stakeholder page asked both)."""
    if not account_ids:
        return {}
    # Not remembered per request: two panels asking about different sets of accounts (a page of a group's
    # accounts, then all of them) would make the statement count depend on the group's size.
    by_seat = (
        select(Account.id, TriangleSeat.user_id)
        .join(TriangleSeat, TriangleSeat.customer_group_id == Account.customer_group_id)
        .where(in_ids(Account.id, account_ids), seat_in_force(today))
    )
    by_membership = select(account_member.c.account_id, account_member.c.user_id).where(
        in_ids(account_member.c.account_id, account_ids))
    team: dict[int, set[int]] = {account_id: set() for account_id in account_ids}
    for account_id, user_id in session.execute(union(by_seat, by_membership)):
        team[account_id].add(user_id)
    day = today or clock.today()
    for account_id, users in team.items():  # the same rule: is_on_team answers from it (no statement)
        note(("team_user_ids", account_id, day), frozenset(users))
    return team


def is_on_team(user: Any, account: Account | int) -> bool:
    """Whether `user` is on the account team of `account` (admins are not, by being admins)."""
    uid = _user_id(user)
    if uid is None:
        return False
    account_id = account if isinstance(account, int) else account.id
    day = clock.today()
    team = recall(("team_user_ids", account_id, day))  # the whole team, read earlier in this request
    if isinstance(team, frozenset):
        return uid in team
    return remember(("is_on_team", uid, account_id, day), lambda: _is_on_team(uid, account_id, day))


def _is_on_team(uid: int, account_id: int, today: date) -> bool:
    member = select(account_member.c.account_id).where(
        account_member.c.user_id == uid, account_member.c.account_id == account_id
    )
    seated = (
        select(TriangleSeat.id)
        .join(Account, Account.customer_group_id == TriangleSeat.customer_group_id)
        .where(Account.id == account_id, TriangleSeat.user_id == uid, seat_in_force(today))
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



def _check_not_archived(account_id: int | None) -> None:
    if account_id is not None and _archived(account_id):
        raise AccountArchived(_("This account is archived: restore it to change it."))
