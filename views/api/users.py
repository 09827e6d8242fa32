"""`/me` and `/users`."""
from __future__ import annotations

from flask_login import current_user
from sqlalchemy import select

from kb import policy
from kb.db import session
from models import User

from . import bp
from .registry import operation
from .responses import items_of, ref
from .common import require
from .serializers import serialize_user


@bp.get("/me")
@operation("Who am I", response=ref("User"), tag="users")
def me():
    return serialize_user(current_user)


@bp.get("/users")
@operation("List users (admins)", response=items_of("User"), tag="users", errors=(403,))
def users():
    require(policy.may_manage(current_user))
    rows = session.scalars(select(User).order_by(User.name, User.id))
    return {"items": [serialize_user(u, full=True) for u in rows]}
