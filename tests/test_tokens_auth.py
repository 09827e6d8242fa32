"""Token authentication: expired and revoked tokens are 401 saying which; read-only tokens read but never
write (403 `read_only_token` on every API write, checked in one place); viewers' tokens are read-only."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import time_machine

from models import SeatRole
from tests.api_support import Api, assert_error, world  # noqa: F401
from tests.tokens_support import new_token, stored_token


def test_a_token_works_until_its_expiry_then_is_401_expired(app, client, world):
    with time_machine.travel(datetime(2026, 11, 30, 3, 0, tzinfo=timezone.utc), tick=False):
        token_id, secret = new_token(app, world.seated, expires_days=30)
    expires = stored_token(app, token_id).expires_at
    # Made on 30 November (Shanghai): it works through 30 December, local time, and stops at its midnight.
    assert expires == datetime(2026, 12, 30, 16, 0, tzinfo=timezone.utc)
    api = Api(client, secret)
    with time_machine.travel(expires - timedelta(minutes=1), tick=False):
        assert api.get("/me").status_code == 200
    with time_machine.travel(expires + timedelta(seconds=1), tick=False):
        error = assert_error(api.get("/me"), 401)
        assert error["code"] == "token_expired"
        assert secret not in api.get("/me").get_data(as_text=True)


def test_a_revoked_token_is_401_revoked(app, client, world):
    token_id, secret = new_token(app, world.named, expires_days=90)
    api = Api(client, secret)
    assert api.get(f"/accounts/{world.account.id}").status_code == 200
    with app.app_context():
        from kb.db import session
        from kb.services.tokens import revoke_token
        from models import ApiToken, User

        revoke_token(token=session.get(ApiToken, token_id), actor=session.get(User, world.named.id))
        session.commit()
    error = assert_error(api.get(f"/accounts/{world.account.id}"), 401)
    assert error["code"] == "token_revoked"


def test_an_unknown_token_says_nothing_about_revoked_or_expired(app, client, world):
    new_token(app, world.named, expires_days=30)
    error = assert_error(Api(client, "kb_someone-elses-guess").get("/me"), 401)
    assert error["code"] == "unauthorized"


@pytest.fixture
def read_api(app, client, world, create_plan):
    create_plan(world.account)
    _, secret = new_token(app, world.admin, read_only=True)
    return Api(client, secret)


@pytest.mark.parametrize("method, path, body", [
    ("POST", "/accounts", {"name": "只读测试客户"}),
    ("PATCH", "/accounts/{account}", {"region": "浙江"}),
    ("POST", "/accounts/{account}/stakeholders", {"name": "张三"}),
    ("POST", "/accounts/{account}/interactions",
     {"occurred_on": "2026-11-20", "kind": "visit", "summary": "拜访"}),
    ("PUT", "/accounts/{account}/plans/FY2027", {"answers": {}}),
    ("POST", "/leads", {"account_id": "{account}", "title": "新线索"}),
    ("DELETE", "/tokens/1", None),
    ("POST", "/tokens", {"label": "x", "expires_days": 30}),
])
def test_a_read_only_token_cannot_write_anywhere(app, world, read_api, method, path, body):
    path = path.format(account=world.account.id)
    if body:
        body = {k: (world.account.id if v == "{account}" else v) for k, v in body.items()}
    response = read_api.request(method, path, json=body)
    error = assert_error(response, 403)
    assert error["code"] == "read_only_token"


def test_a_read_only_write_changes_nothing(app, world, read_api):
    assert read_api.patch(f"/accounts/{world.account.id}", json={"region": "只读改不了"}).status_code == 403
    assert read_api.get(f"/accounts/{world.account.id}").get_json()["region"] != "只读改不了"


@pytest.mark.parametrize("path", [
    "/me", "/accounts", "/accounts/{account}", "/accounts/{account}/stakeholders",
    "/accounts/{account}/interactions", "/accounts/{account}/plans/FY2027", "/leads", "/opportunities", "/tokens",
])
def test_a_read_only_token_reads_what_its_user_may_read(world, read_api, path):
    response = read_api.get(path.format(account=world.account.id))
    assert response.status_code == 200, response.get_data(as_text=True)


def test_a_read_only_admin_token_still_sees_team_only_visits(app, client, world, create_interaction):
    from models import Visibility

    create_interaction(world.account, summary="只给团队看的拜访", visibility=Visibility.TEAM)
    _, secret = new_token(app, world.admin, read_only=True)
    body = Api(client, secret).get(f"/accounts/{world.account.id}/interactions").get_data(as_text=True)
    assert "只给团队看的拜访" in body


def test_a_viewers_token_is_always_read_only(app, client, world):
    token_id, secret = new_token(app, world.viewer, expires_days=30, read_only=False)
    assert stored_token(app, token_id).scope.value == "read"
    error = assert_error(Api(client, secret).post("/accounts", json={"name": "观察者客户"}), 403)
    assert error["code"] == "read_only_token"


def test_a_write_token_of_a_team_member_still_writes(app, client, world):
    _, secret = new_token(app, world.seated, expires_days=30)
    response = Api(client, secret).patch(f"/accounts/{world.account.id}", json={"region": "浙江"})
    assert response.status_code == 200, response.get_json()
