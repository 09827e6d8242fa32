"""`/api/v1/tokens`: list your own (admins: anyone's with ?user=), create from a session only (the secret
once, never in a list), revoke (your own; admins anyone's; idempotent); other people's tokens are 404."""
from __future__ import annotations

import logging
import re

import pytest

from models import ApiToken
from tests.api_support import Api, assert_error, world  # noqa: F401
from tests.tokens_support import new_token, stored_token


def test_a_member_creates_a_token_from_the_session_and_sees_the_secret_once(app, client, login_as, world):
    login_as(world.named)
    response = Api(client).post("/tokens", json={"label": "周报脚本", "expires_days": 90, "read_only": True})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    secret = body["secret"]
    assert secret.startswith("kb_") and body["label"] == "周报脚本" and body["scope"] == "read"
    assert body["expires_at"] is not None and body["state"] == "active"
    listed = Api(client).get("/tokens")
    assert secret not in listed.get_data(as_text=True)
    # Newest first; the other one is the world's "test" token of this member.
    assert [t["label"] for t in listed.get_json()["items"]] == ["周报脚本", "test"]
    # The secret works, as a read-only token of this member.
    assert Api(client.application.test_client(), secret).get("/me").get_json()["id"] == world.named.id
    with app.app_context():
        from kb.db import session

        assert session.get(ApiToken, body["id"]).token_hash != secret


def test_a_token_cannot_mint_tokens(world, client):
    response = world.api(client, "admin").post("/tokens", json={"label": "x", "expires_days": 30})
    error = assert_error(response, 403)
    assert error["code"] == "forbidden"


@pytest.mark.parametrize("body, field", [
    ({"expires_days": 30}, "label"),
    ({"label": "", "expires_days": 30}, "label"),
    ({"label": "x" * 81, "expires_days": 30}, "label"),
    ({"label": "ok"}, "expires_days"),
    ({"label": "ok", "expires_days": 45}, "expires_days"),
    ({"label": "ok", "expires_days": None}, "expires_days"),   # members must choose an expiry
    ({"label": "ok", "expires_days": "30"}, "expires_days"),
    ({"label": "ok", "expires_days": 30, "read_only": "yes"}, "read_only"),
    ({"label": "ok", "expires_days": 30, "secret": "kb_mine"}, "secret"),
])
def test_bad_input_is_422_naming_the_field(client, login_as, world, body, field):
    login_as(world.named)
    response = Api(client).post("/tokens", json=body)
    assert_error(response, 422, field)
    assert [t["label"] for t in Api(client).get("/tokens").get_json()["items"]] == ["test"]


def test_an_admin_may_create_a_token_that_never_expires(client, login_as, world):
    login_as(world.admin)
    response = Api(client).post("/tokens", json={"label": "集成", "expires_days": None})
    assert response.status_code == 201 and response.get_json()["expires_at"] is None
    assert response.get_json()["scope"] == "write"


def test_a_viewer_creates_read_only_tokens_only(client, login_as, world):
    login_as(world.viewer)
    response = Api(client).post("/tokens", json={"label": "看板", "expires_days": 30, "read_only": False})
    assert response.status_code == 201 and response.get_json()["scope"] == "read"


def test_members_list_only_their_own_tokens(app, client, world):
    new_token(app, world.named, label="王的脚本", expires_days=30)
    new_token(app, world.outsider, label="赵的脚本", expires_days=30)
    labels = [t["label"] for t in world.api(client, "named").get("/tokens").get_json()["items"]]
    assert "王的脚本" in labels and "赵的脚本" not in labels
    assert_error(world.api(client, "named").get(f"/tokens?user={world.outsider.id}"), 403)


def test_an_admin_lists_anyones_tokens(app, client, world):
    new_token(app, world.outsider, label="赵的脚本", expires_days=30)
    items = world.api(client, "admin").get(f"/tokens?user={world.outsider.id}").get_json()["items"]
    assert {t["label"] for t in items} >= {"赵的脚本"}
    assert all(t["user_id"] == world.outsider.id and "secret" not in t for t in items)


def test_revoke_own_token_is_idempotent(app, client, world):
    token_id, secret = new_token(app, world.named, expires_days=30)
    api = world.api(client, "named")
    first = api.request("DELETE", f"/tokens/{token_id}")
    assert first.status_code == 200 and first.get_json()["state"] == "revoked"
    again = api.request("DELETE", f"/tokens/{token_id}")
    assert again.status_code == 200 and again.get_json()["revoked_at"] == first.get_json()["revoked_at"]
    assert_error(Api(client, secret).get("/me"), 401)


def test_a_member_cannot_revoke_someone_elses_token(app, client, world):
    token_id, secret = new_token(app, world.outsider, expires_days=30)
    error = assert_error(world.api(client, "named").request("DELETE", f"/tokens/{token_id}"), 404)
    assert error["code"] == "not_found"
    assert stored_token(app, token_id).revoked_at is None
    assert Api(client, secret).get("/me").status_code == 200


def test_an_admin_revokes_anyones_token(app, client, world):
    token_id, secret = new_token(app, world.outsider, expires_days=30)
    assert world.api(client, "admin").request("DELETE", f"/tokens/{token_id}").status_code == 200
    revoked = stored_token(app, token_id)
    assert revoked.revoked_at is not None and revoked.revoked_by_id == world.admin.id
    assert_error(Api(client, secret).get("/me"), 401)


def test_revoking_an_unknown_token_is_404(client, world):
    assert_error(world.api(client, "admin").request("DELETE", "/tokens/999999"), 404)
    assert_error(world.api(client, "admin").request("DELETE", "/tokens/99999999999999"), 404)


def test_a_token_cannot_mint_tokens_through_the_page_either(app, world):
    client = app.test_client()
    response = client.post("/tokens", data={"label": "偷偷造", "expires": "30"},
                           headers={"Authorization": f"Bearer {world.tokens['named']}"})
    assert response.status_code == 422  # the form page again, saying why (kb.form_errors)
    assert "An API token cannot create tokens" in response.get_data(as_text=True)
    assert not re.findall(r"kb_[A-Za-z0-9_-]{43}", response.get_data(as_text=True))
    assert [t["label"] for t in world.api(client, "named").get("/tokens").get_json()["items"]] == ["test"]


def test_secrets_never_reach_the_logs(app, client, login_as, world, caplog):
    caplog.set_level(logging.DEBUG)
    login_as(world.named)
    response = Api(client).post("/tokens", json={"label": "日志检查", "expires_days": 30})
    secret = response.get_json()["secret"]
    token_id = response.get_json()["id"]
    Api(app.test_client(), secret).get("/me")
    Api(client).request("DELETE", f"/tokens/{token_id}")
    Api(app.test_client(), secret).get("/me")
    assert f"API token {token_id}" in caplog.text   # creation and revocation are logged, by id
    assert secret not in caplog.text and secret[3:] not in caplog.text
