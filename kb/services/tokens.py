"""API tokens people manage themselves: create (the secret is shown once), list, revoke.

Rules (gates in kb/policy/tokens.py): a token is made by its owner from a signed-in session (or by the
server operator with `flask kb create-token`, `author=None`); whoever makes it, the expiry follows ONE rule
(`check_expiry`, used by the page, the API and the CLI): 30, 90 or 365 days, or none when the OWNER is an
admin; viewers' tokens are always read-only. Each user lists and
revokes their own tokens, admins anyone's. Deactivating a user revokes all of theirs (kb.services.users).
Only the SHA-256 of a secret is stored; no secret is ever logged.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone

from flask_babel import gettext as _
from sqlalchemy import Select, select, update
from sqlalchemy.orm import selectinload

from models import ApiToken, TokenScope, User, utcnow

from .. import clock, policy
from ..auth import hash_token, new_token_secret
from ..db import session
from .errors import PermissionDenied, ValidationFailed

logger = logging.getLogger(__name__)

#: The expiries (days) people choose from on the page, in the API and on the command line.
EXPIRY_CHOICES = (30, 90, 365)
#: The widest day count the API's body parser lets through to `check_expiry` (which allows EXPIRY_CHOICES).
MAX_EXPIRY_DAYS = 3650
MAX_LABEL = 80


class TokenError(ValidationFailed):
    """Bad input for a token (owner, label, expiry); `fields` names `owner`, `label` or `expires_days`."""


@dataclass(frozen=True)
class NewToken:
    """A token just made, and its secret: show `secret` now, it is never stored nor shown again."""

    token: ApiToken
    secret: str


def expiry_after(days: int, *, today: object = None) -> datetime:
    """The UTC instant a token made today and valid for `days` days stops working: midnight at the end of
    the day `today + days` in the configured zone (kb.clock), so it works through that whole local day.

    `today` (a date; default kb.clock.today()) is for tests.
    """
    zone = clock.current_zone()
    last_day = (today or clock.today(zone)) + timedelta(days=days)  # type: ignore[operator]
    return datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=zone).astimezone(timezone.utc)


def check_expiry(*, owner: User, expires_days: int | None) -> str | None:
    """The one expiry rule of tokens (issue 12): None when `owner` may have a token valid for
    `expires_days` days, else the translated message saying what to choose.

    `expires_days` is one of EXPIRY_CHOICES (30, 90, 365), or None for "never expires", allowed only when
    the token's owner may have such a token (kb.policy.may_have_token_without_expiry: admins). The same for
    the page, the API and the operator's `flask kb create-token`.
    """
    if expires_days is None:
        if policy.may_have_token_without_expiry(owner):
            return None
    elif expires_days in EXPIRY_CHOICES:
        return None
    return _("Choose when the token expires: 30, 90 or 365 days.")


def _check_input(owner: User, label: str, expires_days: int | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not label:
        errors["label"] = _("Give the token a label, e.g. the tool that will use it.")
    elif len(label) > MAX_LABEL:
        errors["label"] = _("The label may have at most %(n)d characters.", n=MAX_LABEL)
    if (problem := check_expiry(owner=owner, expires_days=expires_days)) is not None:
        errors["expires_days"] = problem
    return errors


def create_token(*, owner: User, author: User | None, label: str, expires_days: int | None,
                 read_only: bool, by_token: bool = False) -> NewToken:
    """Make an API token for `owner` and return it with its secret (shown once, only its hash is stored).

    `author` is the signed-in user (who must be `owner`) or None for the operator's `flask kb create-token`;
    `by_token` says the request was itself authenticated by a token (refused: tokens do not mint tokens).
    `expires_days`: None = never (only for an admin `owner`); else 30/90/365 — `check_expiry`, whoever
    the author.
    The scope is `read` when `read_only` or when `owner` may not write (viewers).
    Raises PermissionDenied (kb.policy.check_may_create_token) and TokenError (fields `owner`: a
    deactivated owner, whose tokens never work; `label`, `expires_days`).
    """
    if author is not None:
        policy.check_may_create_token(author, owner=owner, by_token=by_token)
    if not owner.active:  # its requests would be refused (401): no token that cannot work
        problem = _("%(email)s is deactivated: a deactivated user cannot have an API token.",
                    email=owner.email)
        raise TokenError(problem, {"owner": problem})
    label = (label or "").strip()
    errors = _check_input(owner, label, expires_days)
    if errors:
        raise TokenError(next(iter(errors.values())), errors)
    writes = not read_only and policy.may_have_write_token(owner)
    secret = new_token_secret()
    token = ApiToken(user_id=owner.id, token_hash=hash_token(secret), label=label, created_at=utcnow(),
                     scope=TokenScope.WRITE if writes else TokenScope.READ,
                     expires_at=None if expires_days is None else expiry_after(expires_days))
    session.add(token)
    session.flush()
    logger.info("API token %s (%s) created for user %s by %s", token.id, token.scope.value, owner.id,
                author.id if author is not None else "the operator")
    return NewToken(token=token, secret=secret)


def tokens_stmt(*, actor: User, owner_id: int | None = None,
                everyone: bool = False) -> Select[tuple[ApiToken]]:
    """SELECT of the tokens `actor` asked for, newest first (paginate it): their own by default; the tokens
    of user `owner_id`, or with `everyone` all tokens (admins only).

    Raises PermissionDenied when `actor` may not see them.
    """
    stmt = select(ApiToken).where(policy.tokens_visible_clause(actor)).options(selectinload(ApiToken.user))
    if everyone:
        if not policy.may_see_all_tokens(actor):
            raise PermissionDenied(_("Only admins may see everyone's tokens."))
    else:
        owner_id = actor.id if owner_id is None else owner_id
        if not policy.may_see_tokens_of(actor, owner_id):
            raise PermissionDenied(_("Only admins may see other people's tokens."))
        stmt = stmt.where(ApiToken.user_id == owner_id)
    return stmt.order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())


def token_state(token: ApiToken, now: datetime | None = None) -> str:
    """"revoked", "inactive" (its owner is deactivated: every request with it is refused, 401), "expired"
    or "active" (at `now`, default the current time)."""
    if token.revoked_at is not None:
        return "revoked"
    if not token.user.active:
        return "inactive"
    return "expired" if token.is_expired(now or utcnow()) else "active"


def revoke_token(*, token: ApiToken, actor: User) -> ApiToken:
    """Revoke `token` at once (its next request is refused with 401 "revoked"); idempotent: revoking a
    revoked token changes nothing. Raises PermissionDenied (not the actor's token, and not an admin)."""
    policy.check_may_revoke_token(actor, token)
    if token.revoked_at is None:
        token.revoked_at, token.revoked_by_id = utcnow(), actor.id
        session.flush()
        logger.info("API token %s of user %s revoked by user %s", token.id, token.user_id, actor.id)
    return token


def revoke_all_tokens(*, user: User, author: User | None) -> int:
    """Revoke every unrevoked token of `user` in the caller's transaction (deactivation); the number revoked.

    No gate of its own: kb.services.users.update_user (admins) calls it.
    """
    session.flush()
    result = session.execute(
        update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_by_id=author.id if author is not None else None)
        .execution_options(synchronize_session="fetch")
    )
    count = result.rowcount or 0
    if count:
        logger.info("%d API tokens of user %s revoked on deactivation", count, user.id)
    return count
