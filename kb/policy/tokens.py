"""API tokens (kb/services/tokens.py): who may make, see and revoke them, and what a read-only token may do.

- Every active user may make tokens for themselves, from a signed-in browser session only: a token never
  mints tokens. Viewers only read, so their tokens are always `read` scope.
- A token without an expiry is for admins only; members and viewers choose 30, 90 or 365 days.
- Each user sees and revokes their own tokens; admins see and revoke anyone's.
- A `read` token may only use the safe HTTP methods (GET, HEAD, OPTIONS); kb.auth refuses anything else.
"""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, true

from ..services.errors import PermissionDenied
from .core import _user_id, is_admin, _is_active_member

#: HTTP methods a read-only token may use.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def may_have_tokens(user: Any) -> bool:
    """May `user` make and manage API tokens of their own (any active, signed-in user)?"""
    return _user_id(user) is not None and bool(getattr(user, "is_active", False))


def may_have_write_token(user: Any) -> bool:
    """May `user`'s tokens have the `write` scope? Admins and active members; viewers only read."""
    return is_admin(user) or _is_active_member(user)


def may_have_token_without_expiry(user: Any) -> bool:
    """May `user` make a token that never expires (admins only)?"""
    return is_admin(user)


def may_see_tokens_of(user: Any, owner_id: int | None) -> bool:
    """May `user` see the tokens of the user with id `owner_id` (their own; admins: anyone's)?"""
    uid = _user_id(user)
    return uid is not None and (is_admin(user) or (owner_id is not None and owner_id == uid))


def may_see_all_tokens(user: Any) -> bool:
    """May `user` list everyone's tokens (admins)?"""
    return is_admin(user)


def tokens_visible_clause(user: Any) -> ColumnElement[bool]:
    """WHERE clause on ApiToken: admins see every token, others their own."""
    from models import ApiToken

    return true() if is_admin(user) else ApiToken.user_id == _user_id(user)


def may_revoke_token(user: Any, token: Any) -> bool:
    """May `user` revoke `token` (an ApiToken): their own; admins anyone's."""
    return may_see_tokens_of(user, getattr(token, "user_id", None))


def token_allows_method(scope: Any, method: str) -> bool:
    """Whether a token of `scope` ("read" / "write", or TokenScope) may make a request with HTTP `method`."""
    return getattr(scope, "value", scope) != "read" or method.upper() in READ_METHODS


# --- gates: kb.services.tokens calls these before every write ----------------------------------------

def check_may_create_token(user: Any, *, owner: Any, by_token: bool) -> None:
    """Raise PermissionDenied unless `user`, signed in with a browser session (`by_token` False), makes a
    token for themselves (`owner`)."""
    if by_token:
        raise PermissionDenied(_("An API token cannot create tokens: sign in and use the tokens page."))
    if not may_have_tokens(user) or _user_id(owner) != _user_id(user):
        raise PermissionDenied(_("You may only create tokens for yourself."))


def check_may_revoke_token(user: Any, token: Any) -> None:
    """Raise PermissionDenied unless `user` may revoke `token` (see may_revoke_token)."""
    if not may_revoke_token(user, token):
        raise PermissionDenied(_("You may not revoke this token."))
