"""`/tokens`: a user's API tokens (admins: anyone's). Creating needs a signed-in browser session.

No `Idempotency-Key` here: a replayed answer would have to store the secret, and only its hash is stored.
"""
from __future__ import annotations

from typing import Any

from flask import url_for
from flask_login import current_user

from kb import policy
from kb.auth import is_token_request
from kb.db import session
from kb.inputs import MAX_ID
from kb.pagination import paginate
from kb.services import tokens as service
from models import ApiToken, utcnow

from . import bp
from .common import created, not_found, page_body
from .query import PAGING, Param, Query
from .registry import operation
from .responses import items_of, ref
from .bodies import load_body
from .bodies.accounts import NewToken

TOKEN_QUERY = PAGING + Query((Param("user", "int", "Admins: this user's tokens (default: your own)."),))


def serialize_token(token: ApiToken) -> dict[str, Any]:
    """A token as the API shows it: never its secret nor its hash."""
    def when(value: Any) -> str | None:
        return value.isoformat() if value is not None else None

    return {"id": token.id, "user_id": token.user_id, "user_name": token.user.name, "label": token.label,
            "scope": token.scope.value, "created_at": when(token.created_at),
            "last_used_at": when(token.last_used_at), "expires_at": when(token.expires_at),
            "revoked_at": when(token.revoked_at), "state": service.token_state(token, utcnow())}


@bp.get("/tokens")
@operation("List API tokens (your own; admins: anyone's)", query=TOKEN_QUERY,
           response=items_of("Token", paged=True), tag="tokens", errors=(403,))
def list_tokens():
    args = TOKEN_QUERY.load()
    stmt = service.tokens_stmt(actor=current_user, owner_id=args["user"])
    return page_body(paginate(session, stmt, args["page"], args["per_page"]), serialize_token)


@bp.post("/tokens")
@operation("Create an API token (from a signed-in browser session only; the secret is in this answer once)",
           body=NewToken, status=201, response=ref("NewToken"), tag="tokens", errors=(403,))
def create_token():
    data = load_body(NewToken)
    new = service.create_token(owner=current_user, author=current_user, label=data["label"],
                               expires_days=data["expires_days"], read_only=bool(data.get("read_only")),
                               by_token=is_token_request())
    body = serialize_token(new.token) | {"secret": new.secret}
    return created(body, url_for("api.list_tokens"))


@bp.delete("/tokens/<int:token_id>")
@operation("Revoke an API token (idempotent)", response=ref("Token"), tag="tokens", errors=(404,))
def revoke_token(token_id: int):
    token = session.get(ApiToken, token_id) if token_id <= MAX_ID else None
    if token is None or not policy.may_revoke_token(current_user, token):
        not_found()  # someone else's token: as if it did not exist
    service.revoke_token(token=token, actor=current_user)
    return serialize_token(token)
