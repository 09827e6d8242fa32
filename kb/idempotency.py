"""Creating once: the API's `Idempotency-Key` header and the double-submit token of create forms.

A key is claimed in the request's own transaction, before the view runs, and the first answer is stored on
it before the request's one commit: the record and its key are committed together or not at all. Two
requests with the same key at once meet on the key's unique index: the second waits for the first to
commit, then replays its answer. Keys are per user and live 24 hours.
"""
from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
import threading
import time
from datetime import datetime, timedelta
from typing import Any, Callable

from flask import Response, current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from models import IdempotencyKey, utcnow

from .db import session

logger = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
#: How long a key is remembered: a retry within this time gets the first answer.
KEY_TTL = timedelta(hours=24)
MAX_KEY_LENGTH = 255
#: Expired keys are deleted by the first claim after this many seconds (per process).
PRUNE_INTERVAL_SECONDS = 600.0
_VALID_KEY = re.compile(r"[\x21-\x7e]{1,%d}" % MAX_KEY_LENGTH)  # visible ASCII, like Stripe's keys

_prune_lock = threading.Lock()
_last_prune = float("-inf")


def fingerprint(*parts: str | bytes) -> str:
    """A SHA-256 of the request's identity: the same key sent with anything else is refused."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\x00")
    return digest.hexdigest()


def _canonical_body(raw: bytes) -> bytes:
    """JSON bodies compare by content, so a client re-serialising the same object is not refused."""
    try:
        return json.dumps(json.loads(raw), sort_keys=True, ensure_ascii=False).encode()
    except ValueError:
        return raw


def _find(user_id: int, key: str) -> IdempotencyKey | None:
    return session.scalar(select(IdempotencyKey).where(IdempotencyKey.user_id == user_id,
                                                       IdempotencyKey.key == key))


def claim(*, user_id: int, key: str, request_fingerprint: str,
          now: datetime | None = None) -> tuple[IdempotencyKey, bool]:
    """Reserve `key` for `user_id` in the current transaction (flushed); returns ``(row, fresh)``.

    `fresh` is False when the key is already taken (possibly after waiting for a concurrent request with
    the same key to commit): the caller compares fingerprints and replays the stored answer. A key older
    than KEY_TTL is taken over as if new. Raises nothing of its own.
    """
    now = now or utcnow()
    _maybe_prune(now)
    row = _find(user_id, key)
    if row is not None and row.created_at >= now - KEY_TTL:
        return row, False
    if row is not None:  # expired: the key starts a new life
        row.fingerprint, row.created_at = request_fingerprint, now
        row.status_code = row.response_body = row.location = None
        session.flush()
        return row, True
    row = IdempotencyKey(user_id=user_id, key=key, fingerprint=request_fingerprint, created_at=now)
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        # Another request with this key got there first; the unique index made us wait for its commit.
        # No savepoint: on SQLite (pysqlite) the RELEASE of a first savepoint commits the key on its own.
        # Rolling the whole transaction back loses nothing, as the claim comes before the request's work.
        session.rollback()
        existing = _find(user_id, key)
        if existing is None:
            raise
        return existing, False
    return row, True


def prune_expired(*, now: datetime | None = None) -> int:
    """Delete keys older than KEY_TTL (flush only); returns how many went."""
    cutoff = (now or utcnow()) - KEY_TTL
    result = session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff))
    return result.rowcount or 0


def _maybe_prune(now: datetime) -> None:
    global _last_prune
    with _prune_lock:
        if time.monotonic() - _last_prune < PRUNE_INTERVAL_SECONDS:
            return
        _last_prune = time.monotonic()
    removed = prune_expired(now=now)
    if removed:
        logger.info("pruned %d expired idempotency keys", removed)


def _replay(row: IdempotencyKey) -> Response:
    response = Response(row.response_body or "", status=row.status_code, mimetype="application/json")
    if row.location:
        response.headers["Location"] = row.location
    response.headers[REPLAYED_HEADER] = "true"
    return response


def idempotent(view: Callable[..., Any]) -> Callable[..., Any]:
    """For API writes: with an `Idempotency-Key` header, a retry gets the first answer instead of a duplicate.

    Answers 400 for a malformed key, 422 (`idempotency_key_reused`) for the key sent with another request,
    409 (`in_progress`) while the first request with the key has not finished.
    """
    from .errors import api_error

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        key = request.headers.get(HEADER)
        if key is None:
            return view(*args, **kwargs)
        if not _VALID_KEY.fullmatch(key):
            return api_error(400, _("The Idempotency-Key header must be 1 to 255 visible ASCII characters."))
        request_fp = fingerprint(request.method, request.path, request.query_string,
                                 _canonical_body(request.get_data()))
        row, fresh = claim(user_id=current_user.id, key=key, request_fingerprint=request_fp)
        if not fresh:
            if row.fingerprint != request_fp:
                return api_error(422, _("This Idempotency-Key was already used for a different request."),
                                 code="idempotency_key_reused")
            if row.status_code is None:
                return api_error(409, _("A request with this Idempotency-Key is still in progress."),
                                 code="in_progress")
            return _replay(row)
        response = current_app.make_response(view(*args, **kwargs))
        if 200 <= response.status_code < 300:
            row.status_code = response.status_code
            row.response_body = response.get_data(as_text=True)
            row.location = response.headers.get("Location")
            session.flush()
        return response

    return wrapper


def claim_form(*, user_id: int, token: str | None, scope: str) -> IdempotencyKey | None:
    """Claim a rendered form's token; None if the form carries no usable token (then nothing is protected).

    The row's `location` is set when that token already created a record: the caller redirects there.
    """
    if not token or not _VALID_KEY.fullmatch(token) or len(token) > 100:
        return None
    form_fp = fingerprint("form", scope)
    row, _fresh = claim(user_id=user_id, key="form:" + token, request_fingerprint=form_fp)
    return row if row.fingerprint == form_fp else None


def complete_form(row: IdempotencyKey | None, *, location: str) -> None:
    """Remember where the form's record is, in the transaction that creates it (flush only)."""
    if row is not None:
        row.location, row.status_code = location, 303
        session.flush()
