"""Helpers for the API tests (tests/test_api_*.py): bearer tokens, a JSON client and a small world."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from models import SeatRole, User


def make_token(app: Any, user: User) -> str:
    """Issue and commit an API token for `user`."""
    with app.app_context():
        from kb.auth import issue_token
        from kb.db import session

        token = issue_token(session.get(User, user.id), label="test")
        session.commit()
        return token


class Api:
    """The test client speaking JSON with a bearer token (or none: then the session cookie, if any)."""

    def __init__(self, client: Any, token: str | None = None) -> None:
        self.client = client
        self.token = token

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        headers.update(extra or {})
        return headers

    def request(self, method: str, path: str, json: Any = None, headers: dict[str, str] | None = None,
                **kw: Any) -> Any:
        if json is not None:
            kw["json"] = json
        return self.client.open("/api/v1" + path, method=method, headers=self._headers(headers), **kw)

    def get(self, path: str, **kw: Any) -> Any:
        return self.request("GET", path, **kw)

    def post(self, path: str, json: Any = None, **kw: Any) -> Any:
        return self.request("POST", path, json=json, **kw)

    def patch(self, path: str, json: Any = None, **kw: Any) -> Any:
        return self.request("PATCH", path, json=json, **kw)

    def put(self, path: str, json: Any = None, **kw: Any) -> Any:
        return self.request("PUT", path, json=json, **kw)


def assert_error(response: Any, status: int, *fields: str) -> dict[str, Any]:
    """The response is a JSON error of `status` in the API's shape, naming `fields` (if any)."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json, response.get_data(as_text=True)[:200]
    error = response.get_json()["error"]
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str)
    for name in fields:
        assert name in error.get("fields", {}), error
    return error


@dataclass
class World:
    """An account in a group, and one user of each kind relative to it."""

    group: Any
    account: Any
    admin: User
    seated: User      # member with a current seat in the account's group
    named: User       # member named on the account
    outsider: User    # member off the team
    viewer: User
    tokens: dict[str, str]

    def api(self, client: Any, who: str) -> Api:
        return Api(client, self.tokens[who])


@pytest.fixture
def world(app, client, create_user, create_group, create_seat, create_account) -> World:
    admin = create_user(role="admin", name="管理员")
    seated = create_user(role="member", name="李客户经理")
    named = create_user(role="member", name="王成员")
    outsider = create_user(role="member", name="赵外人")
    viewer = create_user(role="viewer", name="钱观察")
    group = create_group(name="华东运营商客户群")
    create_seat(group, seated, SeatRole.AR)
    account = create_account(group=group, name="中国移动浙江公司", name_en="China Mobile Zhejiang",
                             aliases=["浙江移动", "ZJCM"], members=[named])
    users = {"admin": admin, "seated": seated, "named": named, "outsider": outsider, "viewer": viewer}
    tokens = {key: make_token(app, user) for key, user in users.items()}
    return World(group=group, account=account, tokens=tokens, **users)
