"""Who may see and do what: the one place access rules live.

- Everyone signed in reads accounts, plans and stakeholders.
- Team-only interactions and stakeholders' private notes: the account team (current triangle seats of
  the account's customer group, plus named account members) and admins only.
- `member` edits accounts where they are on the team; `admin` edits everything and manages users,
  groups and seats; `viewer` only reads.

Views, services, search and the API ask these functions; none decides access on its own.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort
from sqlalchemy import ColumnElement, Select, and_, false, or_, select, true, union

from models import Account, Interaction, TriangleSeat, UserRole, Visibility, account_member

from . import clock
from .db import session


def _user_id(user: Any) -> int | None:
    return getattr(user, "id", None) if getattr(user, "is_authenticated", False) else None


def is_admin(user: Any) -> bool:
    return bool(_user_id(user)) and getattr(user, "role", None) == UserRole.ADMIN and user.is_active


def seat_in_force(today: date | None = None) -> ColumnElement[bool]:
    """A seat gives team rights from its start date until (not including) its end date.

    So a rotation recorded ahead of time hands over access on the day it says, not when it is typed.
    """
    today = today or clock.today()
    return and_(TriangleSeat.started_on <= today,
                or_(TriangleSeat.ended_on.is_(None), TriangleSeat.ended_on > today))


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


def may_archive_account(user: Any, account: Account | int) -> bool:
    """May `user` archive or restore `account` (the account's editors, archived or not)?"""
    if is_admin(user):
        return True
    if _user_id(user) is None or getattr(user, "role", None) != UserRole.MEMBER or not user.is_active:
        return False
    return is_on_team(user, account)


def may_edit_account(user: Any, account: Account | int) -> bool:
    """May `user` change `account` and what belongs to it (plans, stakeholders, interactions)?

    An archived account is read-only for everyone until it is restored.
    """
    if isinstance(account, Account):
        archived = account.archived_at is not None
    else:
        archived = session.scalar(select(Account.archived_at).where(Account.id == account)) is not None
    return not archived and may_archive_account(user, account)


def may_create_account(user: Any) -> bool:
    """Admins create accounts anywhere; members create them in groups where they hold a seat."""
    return is_admin(user) or (_user_id(user) is not None and getattr(user, "role", None) == UserRole.MEMBER)


def may_manage(user: Any) -> bool:
    """Users, customer groups and triangle seats are managed by admins."""
    return is_admin(user)


def interaction_visible_clause(user: Any) -> ColumnElement[bool]:
    """WHERE clause limiting interactions to those `user` may see."""
    if is_admin(user):
        return true()
    if _user_id(user) is None:
        return false()
    return or_(Interaction.visibility == Visibility.ORG, Interaction.account_id.in_(team_account_ids(user)))


def may_see_interaction(user: Any, interaction: Interaction) -> bool:
    return interaction.visibility == Visibility.ORG or sees_team_content(user, interaction.account_id)


def require(allowed: bool) -> None:
    """Abort with 403 unless `allowed`."""
    if not allowed:
        abort(403)
