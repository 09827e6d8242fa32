"""One token-expiry rule (issue 12, kb.services.tokens.check_expiry) for the page, the API and the CLI:
30, 90 or 365 days, or never for an admin's token. The same table of cases runs through all three; a path
that skipped the rule (the CLI used to make a member's token that never expires) fails here."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models import ApiToken
from tests.api_support import Api, world  # noqa: F401

#: (role of the owner, expiry chosen: days or None = never, allowed?)
CASES = [
    ("member", None, False),
    ("viewer", None, False),
    ("admin", None, True),
    ("member", 30, True),
    ("member", 365, True),
    ("viewer", 90, True),
    ("admin", 365, True),
    ("member", 45, False),
    ("admin", 3650, False),
]


def _count(app, user) -> int:
    with app.app_context():
        from kb.db import session

        return session.scalar(select(func.count()).select_from(ApiToken).where(ApiToken.user_id == user.id))


def _owner(world, role):
    return {"member": world.named, "viewer": world.viewer, "admin": world.admin}[role]


@pytest.mark.parametrize("role, days, allowed", CASES)
def test_the_rule_itself(app, world, role, days, allowed):
    with app.app_context():
        from kb.db import session
        from kb.services.tokens import check_expiry
        from models import User

        with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
            problem = check_expiry(owner=session.get(User, _owner(world, role).id), expires_days=days)
    assert (problem is None) == allowed
    if not allowed:
        assert problem == "请选择令牌的有效期：30、90 或 365 天。"


@pytest.mark.parametrize("role, days, allowed", CASES)
def test_the_page_follows_the_rule(app, client, login_as, world, role, days, allowed):
    owner = _owner(world, role)
    login_as(owner)
    before = _count(app, owner)
    response = client.post("/tokens", data={"label": "看板", "expires": "never" if days is None else str(days)})
    assert response.status_code == (201 if allowed else 422)
    assert _count(app, owner) == before + (1 if allowed else 0)


@pytest.mark.parametrize("role, days, allowed", CASES)
def test_the_api_follows_the_rule(app, client, login_as, world, role, days, allowed):
    owner = _owner(world, role)
    login_as(owner)
    before = _count(app, owner)
    response = Api(client).post("/tokens", json={"label": "看板", "expires_days": days})
    assert response.status_code == (201 if allowed else 422), response.get_json()
    if not allowed:
        assert "expires_days" in response.get_json()["error"]["fields"]
    else:
        assert (response.get_json()["expires_at"] is None) == (days is None)
    assert _count(app, owner) == before + (1 if allowed else 0)


@pytest.mark.parametrize("role, days, allowed", CASES)
def test_the_cli_follows_the_rule(app, runner, world, role, days, allowed):
    owner = _owner(world, role)
    before = _count(app, owner)
    expires = [] if days is None else ["--expires", str(days)]
    result = runner.invoke(args=["kb", "create-token", "--email", owner.email, *expires])
    assert (result.exit_code == 0) == allowed, result.output
    assert ("kb_" in result.output) == allowed
    assert _count(app, owner) == before + (1 if allowed else 0)
    if not allowed:
        assert result.exit_code in (1, 2) and "--expires" in result.output


@pytest.mark.parametrize("role, allowed", [("member", False), ("viewer", False), ("admin", True)])
def test_the_cli_says_never_as_the_page_does(app, runner, world, role, allowed):
    owner = _owner(world, role)
    result = runner.invoke(args=["kb", "create-token", "--email", owner.email, "--expires", "never"])
    assert (result.exit_code == 0) == allowed, result.output
    if not allowed:
        assert result.exit_code == 1
        assert f"give --expires 30, 90 or 365 for {owner.email}" in result.output


def test_the_cli_offers_the_pages_choices(app):
    from kb.cli import create_token_command
    from kb.services.tokens import EXPIRY_CHOICES

    option = next(p for p in create_token_command.params if p.name == "expires")
    assert list(option.type.choices) == [*map(str, EXPIRY_CHOICES), "never"]
