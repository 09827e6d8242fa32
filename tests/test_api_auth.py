"""API authentication: bearer tokens, the browser session, /me and /users, JSON errors everywhere."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from models import ApiToken, User, utcnow
from tests.api_support import Api, assert_error, make_token, world  # noqa: F401


def test_me_with_a_bearer_token(client, world):
    response = world.api(client, "seated").get("/me")
    assert response.status_code == 200
    assert response.get_json() == {"id": world.seated.id, "email": world.seated.email, "name": "李客户经理",
                                   "role": "member"}


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer ", "Bearer kb_not-a-real-token", "Basic abc",
                                    "bearer kb_x"])
def test_missing_or_bad_token_is_401_json(client, world, header):
    headers = {"Authorization": header} if header is not None else {}
    response = client.get("/api/v1/me", headers=headers)
    error = assert_error(response, 401)
    assert error["code"] == "unauthorized"


def test_revoked_token_is_401(app, client, world):
    api = world.api(client, "admin")
    assert api.get("/me").status_code == 200
    with app.app_context():
        from kb.db import session

        for row in session.scalars(select(ApiToken).where(ApiToken.user_id == world.admin.id)):
            row.revoked_at = utcnow()
        session.commit()
    assert_error(api.get("/me"), 401)


def test_token_of_a_deactivated_user_is_401(app, client, world):
    with app.app_context():
        from kb.db import session

        session.get(User, world.viewer.id).active = False
        session.commit()
    assert_error(world.api(client, "viewer").get("/me"), 401)


def test_unauthenticated_write_is_401_not_a_redirect(client, world):
    response = client.post("/api/v1/accounts", json={"name": "新客户"})
    assert_error(response, 401)


def test_session_auth_works(client, login_as, world):
    login_as(world.named)
    response = Api(client).get("/me")
    assert response.status_code == 200
    assert response.get_json()["email"] == world.named.email
    # Without CSRF protection in this configuration, a session write goes through.
    response = Api(client).patch(f"/accounts/{world.account.id}", json={"region": "浙江"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["region"] == "浙江"


def test_users_list_is_for_admins(client, world):
    response = world.api(client, "admin").get("/users")
    assert response.status_code == 200
    emails = {u["email"] for u in response.get_json()["items"]}
    assert {world.admin.email, world.viewer.email, world.outsider.email} <= emails
    first = response.get_json()["items"][0]
    assert {"id", "email", "name", "role", "active"} <= set(first)
    for who in ("seated", "viewer", "outsider"):
        assert_error(world.api(client, who).get("/users"), 403)


@pytest.mark.parametrize("path", ["/nope", "/accounts/abc", "/accounts/999999", "/stakeholders/999999",
                                  "/interactions/999999", "/customer-groups/999999",
                                  "/accounts/999999/plans/FY2027", "/accounts/999999/stakeholders"])
def test_unknown_paths_and_ids_are_json_404(client, world, path):
    assert_error(world.api(client, "admin").get(path), 404)


def test_wrong_method_is_json_405(client, world):
    response = world.api(client, "admin").request("DELETE", f"/accounts/{world.account.id}")
    assert_error(response, 405)


def test_new_token_works_after_issue(app, client, world):
    token = make_token(app, world.outsider)
    assert Api(client, token).get("/me").get_json()["id"] == world.outsider.id
