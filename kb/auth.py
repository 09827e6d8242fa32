"""Signing in: Flask-Login sessions for pages, bearer tokens for the API, salted password hashes."""
from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

from flask import Flask, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin, LoginManager, current_user
from sqlalchemy import or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.security import check_password_hash, generate_password_hash

from models import ApiToken, User, utcnow

from . import policy
from .db import get_db, session
from .outage import one_line

logger = logging.getLogger(__name__)

login_manager = LoginManager()
login_manager.login_view = "auth.login"
# "basic": "strong" would treat any cookie without a login (e.g. only a CSRF token) as tampered and
# refuse the bearer token of the same request.
login_manager.session_protection = "basic"

#: Endpoints reachable without signing in.
PUBLIC_ENDPOINTS = frozenset({"auth.login", "static", "auth.set_language", "health.check", "health.favicon"})
#: A token's use is recorded at most this often: a GET never holds the database's write lock for the request.
TOKEN_USE_INTERVAL = timedelta(minutes=1)
#: WSGI environ keys: why a presented token was refused ("revoked" / "expired"), and the scope of the token
#: that authenticated the request.
TOKEN_REFUSED = "kb.token_refused"
TOKEN_SCOPE = "kb.token_scope"
#: A throwaway hash so unknown emails cost as much time as wrong passwords.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class Anonymous(AnonymousUserMixin):
    id = None
    role = None
    is_admin = False
    name = ""
    locale = None


login_manager.anonymous_user = Anonymous


def init_app(app: Flask) -> None:
    """Sign-in for `app`: Flask-Login, the sign-in requirement, and the client address behind proxies."""
    login_manager.init_app(app)
    app.before_request(_require_login)
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        # Only as many X-Forwarded-* hops as there are proxies of ours: a client cannot forge its address.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]


def hash_password(password: str) -> str:
    """A salted hash of `password` for `User.password_hash`."""
    return generate_password_hash(password)


def password_matches(user: User, password: str) -> bool:
    """Whether `password` is `user`'s current password."""
    return check_password_hash(user.password_hash, password)


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, else None."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


def end_all_sessions(*, user: User) -> None:
    """Sign `user` out everywhere: every session and remember-me cookie stops working at once.

    Their API tokens are separate credentials and stay valid (revoke them, or deactivate the user).
    """
    user.end_sessions()
    session.flush()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token_secret() -> str:
    """A fresh API token secret ("kb_" and 43 URL-safe characters); store only `hash_token` of it."""
    return "kb_" + secrets.token_urlsafe(32)


def issue_token(user: User, label: str = "") -> str:
    """Create a write-scope, never-expiring API token for `user` (tests, benchmarks; people and the CLI use
    kb.services.tokens.create_token); only its hash is stored, so the caller must show it now."""
    token = new_token_secret()
    session.add(ApiToken(user=user, token_hash=hash_token(token), label=label))
    session.flush()
    return token


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    """The active user of a session or remember-me cookie ("<id>:<session token>", see `User.get_id`).

    A cookie made before the user's sessions were ended (sign-out, password change, deactivation)
    carries an older token and signs nobody in.
    """
    raw_id, _, token = user_id.partition(":")
    if not raw_id.isdigit() or not token or len(raw_id) > 18:
        return None
    user = session.get(User, int(raw_id))
    if user is None or not user.active:
        return None
    return user if secrets.compare_digest(user.session_token.encode(), token.encode()) else None


@login_manager.request_loader
def _load_user_from_token(req) -> User | None:  # type: ignore[no-untyped-def]
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    token = header[len("Bearer "):].strip()
    # the token and its user in one statement (issue 9: on PostgreSQL each statement is a round trip, and
    # an API read is only two or three of them)
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token))
                         .options(joinedload(ApiToken.user, innerjoin=True)))
    if row is None:
        return None
    # Only whoever holds this secret learns that it was revoked or has expired: nothing about other tokens.
    if row.revoked_at is not None or row.is_expired(utcnow()):
        req.environ[TOKEN_REFUSED] = "revoked" if row.revoked_at is not None else "expired"
        return None
    if not row.user.active:
        return None
    _record_token_use(row)
    req.environ["kb.token_auth"] = True
    req.environ[TOKEN_SCOPE] = row.scope.value
    return row.user


def _record_token_use(row: ApiToken) -> None:
    """Note that `row` was used, at most once per TOKEN_USE_INTERVAL, in its own short transaction.

    The request's own session stays read-only, so a GET with a token never holds the write lock while
    the page is built (on SQLite that lock serialised every API search). The UPDATE's condition makes
    concurrent workers write once; a failure (the database busy) only loses this note, never the request.
    """
    now = utcnow()
    if row.last_used_at is not None and now - row.last_used_at < TOKEN_USE_INTERVAL:
        return
    table = ApiToken.__table__
    try:
        with get_db().engine.begin() as connection:
            connection.execute(update(table).where(
                table.c.id == row.id,
                or_(table.c.last_used_at.is_(None), table.c.last_used_at < now - TOKEN_USE_INTERVAL),
            ).values(last_used_at=now))
    except SQLAlchemyError as exc:
        logger.warning("could not record the use of API token %s: %s", row.id, one_line(exc))


def is_token_request() -> bool:
    return bool(request.environ.get("kb.token_auth"))


def _refuse_read_only_write():  # type: ignore[no-untyped-def]
    """The one place a read-only token's writes are refused (403 `read_only_token`), whatever the endpoint."""
    scope = request.environ.get(TOKEN_SCOPE)
    if scope is None or policy.token_allows_method(scope, request.method):
        return None
    message = _("This API token is read-only: it cannot change anything.")
    return jsonify({"error": {"code": "read_only_token", "message": message}}), 403


def _require_login():  # type: ignore[no-untyped-def]
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if current_user.is_authenticated:
        return _refuse_read_only_write()
    if request.path.startswith("/api/") and request.blueprint != "api_docs":  # /api/docs is a page
        refused = request.environ.get(TOKEN_REFUSED)
        if refused == "revoked":
            body = {"error": {"code": "token_revoked", "message": _("This API token has been revoked.")}}
        elif refused == "expired":
            body = {"error": {"code": "token_expired", "message": _("This API token has expired.")}}
        else:
            message = _("Sign in, or send the header 'Authorization: Bearer <token>'.")
            body = {"error": {"code": "unauthorized", "message": message}}
        return jsonify(body), 401
    return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))
