"""Users of ours: creation, role and profile changes.

Admins only: each write calls kb.policy.check_may_manage on its `author`. `author=None` is the server
operator at the command line (`flask kb create-user`), who has the database anyway.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from models import ApiToken, User, UserRole

from .. import policy
from ..auth import hash_password, password_matches
from ..db import session
from .errors import ValidationFailed
from .tokens import revoke_all_tokens
from .versioning import claim_version

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 8


class UserError(ValidationFailed):
    pass


def _check(email: str, name: str, password: str | None, user_id: int | None = None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not EMAIL_RE.match(email) or len(email) > 254:
        errors["email"] = _("Enter a valid email address.")
    elif session.scalar(select(User.id).where(func.lower(User.email) == email, User.id != (user_id or 0))):
        errors["email"] = _("Another user already has this email.")
    if not name or len(name) > 100:
        errors["name"] = _("Enter a name of 1 to 100 characters.")
    if password is not None and not (MIN_PASSWORD <= len(password) <= 200):
        errors["password"] = _("The password needs at least %(n)d characters.", n=MIN_PASSWORD)
    return errors


def create_user(*, email: str, name: str, role: UserRole, password: str, locale: str | None = None,
                author: User | None) -> User:
    """Create an active user; raises PermissionDenied (author not an admin) and UserError (bad input)."""
    if author is not None:
        policy.check_may_manage(author)
    email, name = email.strip().lower(), name.strip()
    errors = _check(email, name, password)
    if errors:
        raise UserError(next(iter(errors.values())), errors)
    user = User(email=email, name=name, role=role, password_hash=hash_password(password), locale=locale)
    session.add(user)
    session.flush()
    return user


def _check_self_change(user: User, author: User | None, role: UserRole, active: bool) -> dict[str, str]:
    """An admin may not lock themselves out: no self-demotion, no self-deactivation."""
    errors: dict[str, str] = {}
    if author is None or author.id != user.id:
        return errors
    if user.role == UserRole.ADMIN and role != UserRole.ADMIN:
        errors["role"] = _("You cannot remove your own admin role; ask another admin.")
    if user.active and not active:
        errors["active"] = _("You cannot deactivate yourself; ask another admin.")
    return errors


def update_user(*, user: User, name: str, email: str, role: UserRole, active: bool,
                password: str | None = None, author: User | None,
                base_version: int | None = None) -> User:
    """Change a user's profile, role or status; a new password is optional.

    `author` (the admin making the change, None = the operator) cannot demote or deactivate themselves.
    A new password or a deactivation ends all of the user's sessions and remember-me cookies; a
    deactivation also revokes all of their API tokens (kb.services.tokens.revoke_all_tokens).
    Raises PermissionDenied (author not an admin), UserError, and Conflict(current=user) when
    `base_version` (None: not checked) is no longer the stored version (another admin saved this user
    meanwhile).
    """
    if author is not None:
        policy.check_may_manage(author)
    email, name = email.strip().lower(), name.strip()
    errors = _check_self_change(user, author, role, active)
    errors.update(_check(email, name, password or None, user.id))
    if errors:
        raise UserError(next(iter(errors.values())), errors)
    claim_version(user, base_version, _("Another admin saved this user while you were editing it."))
    if password or (user.active and not active):
        user.end_sessions()  # a reset password or a leaver: no open session or remember-me cookie survives
    if user.active and not active:
        revoke_all_tokens(user=user, author=author)  # a leaver's scripts stop with their sessions
    user.email, user.name, user.role, user.active = email, name, role, active
    if password:
        user.password_hash = hash_password(password)
    session.flush()
    return user


def change_own_password(*, user: User, current_password: str, new_password: str) -> User:
    """A user's change of their own password, proven by the current one; ends all their sessions.

    Raises UserError (fields `current_password`, `password`) for a wrong current or a too short new password.
    """
    errors: dict[str, str] = {}
    if not password_matches(user, current_password):
        errors["current_password"] = _("That is not your current password.")
    errors.update(_check(user.email, user.name, new_password, user.id))
    if errors:
        raise UserError(next(iter(errors.values())), errors)
    user.end_sessions()
    user.password_hash = hash_password(new_password)
    session.flush()
    return user


def remember_locale(*, user: User, locale: str, languages: Iterable[str]) -> bool:
    """Keep `locale` (one of `languages`, e.g. "zh_CN" or "en") as the user's saved language: pages after
    a new sign-in and the API (tokens, without Accept-Language) answer in it (kb.i18n.select_locale).
    A preference, not an edit of the user record: the version does not change. Returns False (and keeps
    nothing) for a locale not in `languages`."""
    if locale not in languages:
        return False
    if user.locale != locale:
        user.locale = locale
        session.flush()
    return True


def list_users_stmt() -> Select[tuple[User]]:
    """SELECT of all users by name (for the admin list; paginate it)."""
    return select(User).order_by(User.active.desc(), User.name, User.id)


def last_token_use(user_ids: list[int]) -> dict[int, datetime]:
    """When each user's API tokens were last used (latest over their tokens), by user id."""
    if not user_ids:
        return {}
    rows = session.execute(
        select(ApiToken.user_id, func.max(ApiToken.last_used_at))
        .where(ApiToken.user_id.in_(user_ids), ApiToken.last_used_at.is_not(None))
        .group_by(ApiToken.user_id)
    )
    return {uid: used for uid, used in rows if used is not None}


def users_by_id(ids: Iterable[int | None]) -> dict[int, User]:
    """Users with these ids (for "who created / last changed / recorded" lines): those the request's
    session already holds (as `session.get` would return them, issue 9: no statement for a user the page
    has loaded), the others in one query; none when every one is already loaded."""
    wanted = {i for i in ids if i}
    found: dict[int, User] = {}
    for user_id in wanted:
        known = session.identity_map.get(session.identity_key(User, user_id))
        if known is not None:
            found[user_id] = known
    missing = wanted - found.keys()
    if missing:
        found.update((u.id, u) for u in session.scalars(select(User).where(User.id.in_(missing))))
    return found
