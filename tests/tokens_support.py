"""Helpers for the token tests: make a token through the service, as the page and the CLI do."""
from __future__ import annotations

from typing import Any

from models import ApiToken, User


def new_token(app: Any, user: User, *, label: str = "报表工具", expires_days: int | None = None,
              read_only: bool = False) -> tuple[int, str]:
    """Commit a token for `user` made by the operator (the page's expiry rule); returns (id, secret)."""
    with app.app_context():
        from kb.db import session
        from kb.services.tokens import create_token

        made = create_token(owner=session.get(User, user.id), author=None, label=label,
                            expires_days=expires_days, read_only=read_only)
        session.commit()
        return made.token.id, made.secret


def stored_token(app: Any, token_id: int) -> ApiToken:
    with app.app_context():
        from kb.db import session

        token = session.get(ApiToken, token_id)
        session.expunge(token)
        return token
