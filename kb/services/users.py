"""Users of ours: creation, role and profile changes (admins only, enforced by callers via kb.policy)."""
from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import func, select

from models import User, UserRole

from ..auth import hash_password
from ..db import session
from .errors import ValidationFailed

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


def create_user(*, email: str, name: str, role: UserRole, password: str, locale: str | None = None) -> User:
    """Create an active user; raises UserError with field messages on bad input."""
    email, name = email.strip().lower(), name.strip()
    errors = _check(email, name, password)
    if errors:
        raise UserError(next(iter(errors.values())), errors)
    user = User(email=email, name=name, role=role, password_hash=hash_password(password), locale=locale)
    session.add(user)
    session.flush()
    return user


def update_user(*, user: User, name: str, email: str, role: UserRole, active: bool,
                password: str | None = None) -> User:
    """Change a user's profile, role or status; a new password is optional."""
    email, name = email.strip().lower(), name.strip()
    errors = _check(email, name, password or None, user.id)
    if errors:
        raise UserError(next(iter(errors.values())), errors)
    user.email, user.name, user.role, user.active = email, name, role, active
    if password:
        user.password_hash = hash_password(password)
    session.flush()
    return user
