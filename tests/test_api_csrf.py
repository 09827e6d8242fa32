"""CSRF on the API: session-authenticated writes need the X-CSRFToken header; token requests do not."""
from __future__ import annotations

from typing import Any

import pytest
from itsdangerous import URLSafeTimedSerializer

from tests.api_support import Api, assert_error, world  # noqa: F401
from tests.conftest import make_config
from tests.factories import PASSWORD


@pytest.fixture
def app_config(tmp_path, database_url) -> dict[str, Any]:
    return make_config(tmp_path, database_url, WTF_CSRF_ENABLED=True)


def _csrf_token(app: Any, client: Any) -> str:
    """Put a CSRF secret in the client's session and return its signed token (what pages embed)."""
    raw = "a-test-csrf-secret"
    with client.session_transaction() as sess:
        sess["csrf_token"] = raw
    return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)


def _sign_in(app: Any, client: Any, user: Any) -> str:
    token = _csrf_token(app, client)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    return _csrf_token(app, client)  # signing in starts a fresh session


def test_session_write_without_csrf_token_is_refused(app, client, world):
    _sign_in(app, client, world.seated)
    response = Api(client).patch(f"/accounts/{world.account.id}", json={"region": "杭州"})
    error = assert_error(response, 400)
    assert error["code"] == "csrf_failed"
    assert Api(client).get(f"/accounts/{world.account.id}").get_json()["region"] != "杭州"


def test_session_write_with_csrf_header_goes_through(app, client, world):
    token = _sign_in(app, client, world.seated)
    response = Api(client).patch(f"/accounts/{world.account.id}", json={"region": "杭州"},
                                 headers={"X-CSRFToken": token})
    assert response.status_code == 200, response.get_json()
    assert Api(client).get(f"/accounts/{world.account.id}").get_json()["region"] == "杭州"


def test_session_reads_need_no_csrf_token(app, client, world):
    _sign_in(app, client, world.viewer)
    assert Api(client).get("/me").status_code == 200


def test_token_writes_need_no_csrf_token(client, world):
    response = world.api(client, "seated").patch(f"/accounts/{world.account.id}", json={"region": "宁波"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["region"] == "宁波"


def test_bad_token_write_is_401_not_csrf(client, world):
    response = Api(client, "kb_forged").post("/accounts", json={"name": "新客户"})
    assert_error(response, 401)
