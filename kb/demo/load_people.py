"""Demo loaders for users, customer groups with their seat history, and accounts."""
from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import insert, select

from models import Account, Coverage, CustomerGroup, SeatRole, Tier, TriangleSeat, User, UserRole, account_member

from ..auth import hash_password
from .context import ANCHOR, DemoContext, at
from .data_accounts import ACCOUNTS
from .data_people import GROUPS, USERS

logger = logging.getLogger(__name__)

#: Every demo login signs in with this password (documented in README.md).
DEMO_PASSWORD = "demo1234"


def load_users(ctx: DemoContext) -> None:
    """Our people; one password hash shared by all (hashing is deliberately slow).

    A demo user who already exists (a second load with --force) is reused as is.
    """
    password_hash = hash_password(DEMO_PASSWORD)
    existing = {u.email: u for u in ctx.session.scalars(select(User).where(User.email.in_([r[1] for r in USERS])))}
    for key, email, name, role, active, joined in USERS:
        if email in existing:
            ctx.users[key] = existing[email]
            continue
        user = User(email=email, name=name, role=UserRole(role), password_hash=password_hash, active=active,
                    locale=None, created_at=at(joined, 1))
        ctx.session.add(user)
        ctx.users[key] = user
    ctx.session.flush()
    ctx.counts["users"] = len(USERS) - len(existing)


def load_groups(ctx: DemoContext) -> None:
    """Customer groups and every seat their triangles ever had (rotations end the old seat).

    A group that already exists by name is reused with its seats untouched.
    """
    admin = ctx.uid("liming")
    names = [g["name"] for g in GROUPS]
    existing = {g.name: g for g in ctx.session.scalars(select(CustomerGroup).where(CustomerGroup.name.in_(names)))}
    for data in GROUPS:
        ctx.seats[data["key"]] = [(role, user, start, end) for role, user, start, end, _ in data["seats"]]
        if data["name"] in existing:
            ctx.groups[data["key"]] = existing[data["name"]]
            continue
        last_change = max(max(s[2], s[3] or s[2]) for s in data["seats"])
        group = CustomerGroup(
            name=data["name"], name_en=data["name_en"], description=data["description"],
            created_by_id=admin, updated_by_id=admin, created_at=at(data["created"], 2),
            updated_at=at(last_change, 2),
        )
        ctx.session.add(group)
        ctx.groups[data["key"]] = group
        for role, user, start, end, note in data["seats"]:
            group.seats.append(TriangleSeat(
                user_id=ctx.uid(user), role=SeatRole(role), started_on=start, ended_on=end, note=note,
                created_by_id=admin, created_at=at(start, 2),
                updated_by_id=admin, updated_at=at(end or start, 2),
            ))
    ctx.session.flush()
    ctx.counts["customer groups"] = len(GROUPS) - len(existing)


def load_accounts(ctx: DemoContext) -> None:
    """Accounts (parents before children), their named members and the archived one."""
    for data in ACCOUNTS:
        ctx.account_data[data["key"]] = data
    for data in ACCOUNTS:
        created = data["created"]
        author = ctx.holder(data["key"], "AR", created) or "liming"
        editor = ctx.holder(data["key"], "AR", ANCHOR) or "liming"
        archived = data.get("archived")
        changed = archived or min(created + timedelta(days=ctx.rng.randint(30, 400)), ANCHOR)
        account = Account(
            name=data["name"], name_en=data["name_en"], aliases=list(data["aliases"]),
            industry=data["industry"], region=data["region"], tier=Tier(data["tier"]),
            coverage=Coverage(data["coverage"]), description=data["description"],
            customer_group=ctx.groups.get(data.get("group", "")),
            parent=ctx.accounts[data["parent"]] if data.get("parent") else None,
            archived_at=at(archived, 8) if archived else None,
            created_by_id=ctx.uid(author), created_at=at(created, 3),
            updated_by_id=ctx.uid("liming" if archived else editor), updated_at=at(changed, 3),
        )
        ctx.session.add(account)
        ctx.accounts[data["key"]] = account
    ctx.session.flush()
    rows = [
        {"account_id": ctx.accounts[data["key"]].id, "user_id": ctx.uid(user),
         "added_at": at(data["created"] + timedelta(days=7), 4)}
        for data in ACCOUNTS for user in data.get("members", [])
    ]
    if rows:
        ctx.session.execute(insert(account_member), rows)
    ctx.counts["accounts"] = len(ACCOUNTS)
