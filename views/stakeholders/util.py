"""Small view helpers shared by the people blueprints (stakeholders and interactions)."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from wtforms.fields.choices import SelectChoice

from kb.db import session
from models import User, UserRole


def options(pairs: Iterable[Any]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms SelectChoice objects (tuples are deprecated in WTForms 3.3)."""
    return [p if isinstance(p, SelectChoice) else SelectChoice(p[0], p[1]) for p in pairs]


def user_choices(keep: Iterable[int] = (), blank: str | None = None) -> list[SelectChoice]:
    """(id, name) of active members and admins (viewers only read), plus the users in `keep` whatever they are
    now (an inactive one marked so), so a saved choice is never dropped."""
    keep_ids = [k for k in keep if k]
    users = session.scalars(
        select(User).where(or_(and_(User.active.is_(True), User.role != UserRole.VIEWER), User.id.in_(keep_ids)))
        .order_by(User.name, User.id)
    )
    pairs = [(u.id, u.name if u.active else _("%(name)s (inactive)", name=u.name)) for u in users]
    return options(([(0, blank)] if blank is not None else []) + pairs)


def audit_users(obj: object) -> dict[str, User | None]:
    """The users who created and last changed an audited record (for the audit line)."""
    created = getattr(obj, "created_by_id", None)
    updated = getattr(obj, "updated_by_id", None)
    return {"created_by": session.get(User, created) if created else None,
            "updated_by": session.get(User, updated) if updated else None}
