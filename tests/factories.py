"""Factory fixtures: each returns a callable that creates and commits one record and returns it."""
from __future__ import annotations

import itertools
from datetime import date
from typing import Any, Callable

import pytest
from werkzeug.security import generate_password_hash

from models import (
    Account, AccountPlan, Attitude, Coverage, CustomerGroup, DecisionRole, Influence, Interaction,
    InteractionKind, NextStep, PlanRevision, RelationshipLayer, SeatRole, Stakeholder, StakeholderOwner, Tier,
    TriangleSeat, User, UserRole, Visibility,
)

PASSWORD = "password123"
# Hashing with the default (scrypt) costs ~50 ms; tests share one hash of PASSWORD.
_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
_seq = itertools.count(1)


def _save(app: Any, obj: Any) -> Any:
    with app.app_context():
        from kb.db import session

        session.add(obj)
        session.commit()
        return obj


@pytest.fixture
def create_user(app: Any) -> Callable[..., User]:
    def make(role: str | UserRole = UserRole.MEMBER, email: str | None = None, name: str | None = None,
             active: bool = True, **kw: Any) -> User:
        n = next(_seq)
        return _save(app, User(email=email or f"user{n}@example.com", name=name or f"用户{n}",
                               role=UserRole(role), password_hash=_HASH, active=active, **kw))
    return make


@pytest.fixture
def create_group(app: Any) -> Callable[..., CustomerGroup]:
    def make(name: str | None = None, **kw: Any) -> CustomerGroup:
        n = next(_seq)
        return _save(app, CustomerGroup(name=name or f"客户群{n}", name_en=kw.pop("name_en", f"Group {n}"), **kw))
    return make


@pytest.fixture
def create_seat(app: Any) -> Callable[..., TriangleSeat]:
    def make(group: CustomerGroup, user: User, role: str | SeatRole = SeatRole.AR,
             started_on: date = date(2024, 1, 1), ended_on: date | None = None) -> TriangleSeat:
        return _save(app, TriangleSeat(customer_group_id=group.id, user_id=user.id, role=SeatRole(role),
                                       started_on=started_on, ended_on=ended_on))
    return make


@pytest.fixture
def create_account(app: Any) -> Callable[..., Account]:
    def make(group: CustomerGroup | None = None, name: str | None = None, members: list[User] = (),
             **kw: Any) -> Account:
        n = next(_seq)
        account = Account(
            name=name or f"测试客户{n}", name_en=kw.pop("name_en", f"Test Account {n}"),
            aliases=kw.pop("aliases", []), industry=kw.pop("industry", "电信"), region=kw.pop("region", "华东"),
            tier=kw.pop("tier", Tier.KEY), coverage=kw.pop("coverage", Coverage.DIRECT),
            customer_group_id=group.id if group else None, **kw,
        )
        with app.app_context():
            from kb.db import session

            session.add(account)
            for user in members:
                account.members.append(session.get(User, user.id))
            session.commit()
            return account
    return make


@pytest.fixture
def create_stakeholder(app: Any) -> Callable[..., Stakeholder]:
    def make(account: Account, name: str | None = None, owners: list[User] = (),
             reports_to: Stakeholder | None = None, **kw: Any) -> Stakeholder:
        n = next(_seq)
        s = Stakeholder(
            account_id=account.id, name=name or f"张{n}", title=kw.pop("title", "总经理"),
            department=kw.pop("department", "信息部"), reports_to_id=reports_to.id if reports_to else None,
            decision_role=kw.pop("decision_role", DecisionRole.INFLUENCER), attitude=kw.pop("attitude", Attitude.NEUTRAL),
            influence=kw.pop("influence", Influence.MEDIUM), layer=kw.pop("layer", RelationshipLayer.KEY),
            relationship_level=kw.pop("relationship_level", 3), **kw,
        )
        s.owners = [StakeholderOwner(user_id=u.id, is_primary=(i == 0)) for i, u in enumerate(owners)]
        return _save(app, s)
    return make


@pytest.fixture
def create_interaction(app: Any) -> Callable[..., Interaction]:
    def make(account: Account, visibility: str | Visibility = Visibility.ORG, summary: str = "拜访纪要",
             occurred_on: date = date(2026, 10, 1), next_steps: list[dict[str, Any]] = (),
             stakeholders: list[Stakeholder] = (), attendees: list[User] = (), **kw: Any) -> Interaction:
        with app.app_context():
            from kb.db import session

            i = Interaction(account_id=account.id, visibility=Visibility(visibility), summary=summary,
                            occurred_on=occurred_on, kind=kw.pop("kind", InteractionKind.VISIT),
                            title=kw.pop("title", "拜访"), **kw)
            i.stakeholders = [session.get(Stakeholder, s.id) for s in stakeholders]
            i.attendees = [session.get(User, u.id) for u in attendees]
            i.next_steps = [NextStep(position=p, **step) for p, step in enumerate(next_steps)]
            session.add(i)
            session.commit()
            return i
    return make


@pytest.fixture
def create_plan(app: Any) -> Callable[..., AccountPlan]:
    def make(account: Account, period: str = "FY2027", author: User | None = None, **answers: Any) -> AccountPlan:
        with app.app_context():
            from kb.db import session

            plan = AccountPlan(account_id=account.id, period=period, version=1,
                               sections=answers.pop("sections", {}), **answers)
            session.add(plan)
            session.flush()
            content = {k: getattr(plan, k) for k in
                       ("strategy", "customers_customer", "profit_model", "weakest_product", "decision_makers")}
            content.update(sections=plan.sections, status="draft", decision_maker_ids=[])
            session.add(PlanRevision(plan_id=plan.id, number=1, content=content,
                                     author_id=author.id if author else None))
            session.commit()
            return plan
    return make


@pytest.fixture
def login_as(client: Any) -> Callable[[User], Any]:
    """Sign the test client in as `user` (password: PASSWORD)."""
    def do(user: User) -> Any:
        client.post("/logout")
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, "login failed"
        return client
    return do
