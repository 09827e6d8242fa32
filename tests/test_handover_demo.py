"""The demo's departed AR (黄涛, deactivated) still owns relationships: one handover moves them all, and a
dry run before it changes nothing in any table."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from models import Base, StakeholderOwner, User
from tests.api_support import Api, make_token

#: The API stamps the token it was called with; nothing else may move on a dry run.
STAMPED = {("api_token", "last_used_at")}


def snapshot(app: Any) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    with app.app_context():
        from kb.db import session

        rows = {}
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if (table.name, c.name) not in STAMPED]
            rows[table.name] = [tuple(r) for r in session.execute(
                select(*columns).order_by(*table.primary_key.columns))]
        return rows


def _user(app: Any, email: str) -> User:
    with app.app_context():
        from kb.db import session

        user = session.scalars(select(User).where(User.email == email)).one()
        session.expunge(user)
        return user


def test_demo_departed_user_handed_over_in_one_step(app, runner, client):
    assert runner.invoke(args=["kb", "demo"]).exit_code == 0
    admin, leaver, heir = (_user(app, e) for e in ("admin@demo.kb", "huangtao@demo.kb", "ar@demo.kb"))
    assert not leaver.active
    api = Api(client, make_token(app, admin))
    body = {"from_user_id": leaver.id, "to_user_id": heir.id, "note": "黄涛离职，客户关系交接给王芳"}

    before = snapshot(app)
    dry = api.post("/handovers", json={**body, "dry_run": True})
    assert dry.status_code == 200, dry.get_json()
    planned = dry.get_json()["changes"]
    assert planned and {c["kind"] for c in planned} == {"stakeholder_owner"}
    assert snapshot(app) == before  # the dry run changed nothing, in any table

    done = api.post("/handovers", json=body)
    assert done.status_code == 201, done.get_json()
    assert done.get_json()["changes"] == planned
    with app.app_context():
        from kb.db import session

        assert session.scalars(select(StakeholderOwner).where(StakeholderOwner.user_id == leaver.id)).all() == []
        moved = {c["id"] for c in planned}
        owners = session.execute(select(StakeholderOwner.stakeholder_id).where(
            StakeholderOwner.user_id == heir.id, StakeholderOwner.stakeholder_id.in_(moved))).scalars().all()
        assert set(owners) == moved
    again = api.post("/handovers", json={**body, "dry_run": True}).get_json()
    assert again["changes"] == []  # nothing left
