"""Configuration: defaults here, then `instance/config.py`, then `KB_*` environment variables, then tests."""
from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from typing import Any, Mapping

from flask import Flask

logger = logging.getLogger(__name__)


class DefaultConfig:
    #: SQLAlchemy URL; default: an SQLite file in the instance folder.
    DATABASE_URL: str | None = None
    #: Folder of the Whoosh index; default: `instance/search-index`.
    SEARCH_INDEX_DIR: str | None = None
    SECRET_KEY: str | None = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    #: Bigger request bodies get 413 Request Entity Too Large.
    MAX_CONTENT_LENGTH = 1024 * 1024
    #: Uploads to /import and POST /api/v1/imports may be this big (a 20,000-row sheet is a few MB).
    IMPORT_MAX_BYTES = 20 * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    #: The users' time zone (IANA name): "today" is the day there; timestamps are shown there.
    TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ("zh_CN", "en")
    PER_PAGE = 25
    #: An account's page, brief, onboarding view and form pickers show at most this many stakeholders,
    #: interactions and open next steps each (the rest on paged lists): their work does not grow with the account.
    ACCOUNT_PAGE_LIMIT = 50
    #: Plan answers untouched for longer than this are flagged as stale.
    STALE_AFTER_DAYS = 365
    #: A decision-maker or high-influence stakeholder not met for longer than this is a relationship at risk.
    RISK_CONTACT_DAYS_KEY = 90
    #: Any other stakeholder not met for longer than this is a relationship at risk.
    RISK_CONTACT_DAYS_OTHER = 180
    #: The dashboard lists accounts nobody has visited for longer than this (days).
    NOT_VISITED_DAYS = 90
    #: Log SQL statements (debugging only).
    SQL_ECHO = False
    #: Longest wait (seconds) for a database lock or a PostgreSQL connection before the request answers 503:
    #: well inside gunicorn's 30 s worker timeout, so a held lock never kills a worker mid-write.
    DB_LOCK_TIMEOUT_SECONDS = 10
    #: Served over HTTPS only (KB_HTTPS=1 in production): secure cookies and Strict-Transport-Security.
    HTTPS = False
    #: Sign-in throttling: this many failures for one e-mail (or from one address) within the window get 429.
    SIGNIN_MAX_FAILURES_PER_ACCOUNT = 10
    SIGNIN_MAX_FAILURES_PER_ADDRESS = 50
    SIGNIN_WINDOW_SECONDS = 15 * 60
    #: Reverse proxies in front of the app (KB_TRUSTED_PROXIES=1 behind one nginx): the client address (for
    #: the per-address sign-in limit) and scheme are then read from their X-Forwarded-For/-Proto headers.
    TRUSTED_PROXIES = 0
    #: Sign-in attempts older than this are deleted (admins see recent failures on a user's page).
    SIGNIN_KEEP_DAYS = 30
    #: Validate every API answer against its declared pydantic model, raising on a mismatch (the tests).
    API_CHECK_ANSWERS = False


def _known_keys(app: Flask) -> set[str]:
    flask_keys = set(app.config.keys())
    # TEST_DATABASE_URL: the suite's KB_TEST_DATABASE_URL, which from_prefixed_env("KB") also reads.
    ours = {k for k in vars(DefaultConfig) if k.isupper()} | {"INSTANCE_PATH", "TEST_DATABASE_URL"}
    extension_prefixes = ("WTF_", "BABEL_", "SESSION_", "REMEMBER_", "TESTING", "DEBUG", "SERVER_NAME")
    return flask_keys | ours | {k for k in app.config if k.startswith(extension_prefixes)}


def load_config(app: Flask, overrides: Mapping[str, Any] | None) -> None:
    """Fill `app.config` in order: defaults, instance file, `KB_*` environment, `overrides`."""
    known = _known_keys(app)
    app.config.from_object(DefaultConfig)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("KB")
    if overrides:
        app.config.update(overrides)
    for key in app.config:
        if key.isupper() and key not in known and not key.startswith(("WTF_", "BABEL_")):
            logger.warning("unknown configuration key %s", key)

    instance = Path(app.instance_path)
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = f"sqlite:///{instance / 'kb.sqlite3'}"
    if not app.config["SEARCH_INDEX_DIR"]:
        app.config["SEARCH_INDEX_DIR"] = str(instance / "search-index")
    if app.config["HTTPS"]:
        app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = True
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _secret_from_instance(instance) or _ephemeral_secret(app)


def secret_key_path(instance_path: str | os.PathLike[str]) -> Path:
    return Path(instance_path) / "secret_key"


def write_secret_key(instance_path: str | os.PathLike[str]) -> Path:
    """Create the instance's secret key file once (used by `flask kb init`); keep an existing one."""
    path = secret_key_path(instance_path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path


def _secret_from_instance(instance: Path) -> str | None:
    path = secret_key_path(instance)
    return path.read_text().strip() if path.exists() else None


def _ephemeral_secret(app: Flask) -> str:
    # Warned about on the first request, not here: `flask kb init` builds the app before it writes the key,
    # and warning then (as `make run` did) tells the user to run the very command that is running.
    warned = False

    @app.before_request
    def warn_once() -> None:
        nonlocal warned
        if not warned:
            warned = True
            logger.warning("no SECRET_KEY configured: using a random one; sessions end at restart "
                           "(run `flask kb init`)")
    return secrets.token_urlsafe(48)
