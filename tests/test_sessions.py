"""Ending sessions: signing out, a password change or reset, and deactivation end every session and
"keep me signed in" cookie of that user at once — replayed old cookies sign nobody in. And KB_HTTPS."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from kb import create_app
from models import User
from tests.conftest import make_config
from tests.factories import PASSWORD

NEW_PASSWORD = "a-brand-new-pass"


@pytest.fixture
def admin(create_user):
    return create_user(role="admin", name="管理员", email="admin@example.com")


@pytest.fixture
def victim(create_user):
    return create_user(name="被盗用的人", email="victim@example.com")


def stolen_cookies(app, user):
    """Sign `user` in with "keep me signed in" on a browser of their own; copy its two cookies."""
    browser = app.test_client()
    response = browser.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    assert response.status_code == 302
    session_cookie, remember_cookie = browser.get_cookie("session"), browser.get_cookie("remember_token")
    assert session_cookie is not None and remember_cookie is not None
    return browser, {"session": session_cookie.value, "remember_token": remember_cookie.value}


def replay(app, cookies, only=None):
    """A new browser with copies of `cookies` (or only the one named `only`)."""
    attacker = app.test_client()
    for name, value in cookies.items():
        if only in (None, name):
            attacker.set_cookie(name, value)
    return attacker


def signed_in_as(client, user):
    response = client.get("/")
    return response.status_code == 200 and user.name in response.get_data(as_text=True)


def assert_replay(app, cookies, user, works):
    """Each cookie alone, and both, sign `user` in (works=True) or sign nobody in (pages and API)."""
    for only in ("session", "remember_token", None):
        attacker = replay(app, cookies, only)
        assert signed_in_as(attacker, user) is works, f"replayed {only or 'both cookies'}"
        if not works:
            response = replay(app, cookies, only).get("/accounts")
            assert response.status_code == 302 and "/login" in response.headers["Location"]
            api = replay(app, cookies, only).get("/api/v1/me")
            assert api.status_code == 401 and api.get_json()["error"]["code"] == "unauthorized"


def _edit(user, **over):
    data = {"name": user.name, "email": user.email, "role": user.role.value, "active": "y"}
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def test_copied_cookies_work_until_an_event(app, victim):
    """The control for the tests below: without an event, copies of the cookies sign the user in."""
    _, cookies = stolen_cookies(app, victim)
    assert_replay(app, cookies, victim, works=True)


def test_sign_out_ends_every_session_and_remember_cookie(app, victim):
    browser, cookies = stolen_cookies(app, victim)
    phone, phone_cookies = stolen_cookies(app, victim)
    assert browser.post("/logout").status_code == 302
    assert_replay(app, cookies, victim, works=False)
    assert_replay(app, phone_cookies, victim, works=False)
    assert not signed_in_as(phone, victim)
    # signing in again works, with fresh cookies
    assert browser.post("/login", data={"email": victim.email, "password": PASSWORD}).status_code == 302
    assert signed_in_as(browser, victim)


def test_changing_ones_password_ends_every_other_session(app, client, victim):
    _, cookies = stolen_cookies(app, victim)
    client.post("/login", data={"email": victim.email, "password": PASSWORD, "remember": "y"})
    response = client.post("/password", data={"current_password": PASSWORD, "password": NEW_PASSWORD,
                                              "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert_replay(app, cookies, victim, works=False)
    assert signed_in_as(client, victim), "the browser that changed the password stays signed in"
    # ... also through its new "keep me signed in" cookie
    fresh = replay(app, {"remember_token": client.get_cookie("remember_token").value})
    assert signed_in_as(fresh, victim)
    other = app.test_client()
    assert other.post("/login", data={"email": victim.email, "password": PASSWORD}).status_code == 422
    assert other.post("/login", data={"email": victim.email, "password": NEW_PASSWORD}).status_code == 302


@pytest.mark.parametrize("over, field, message", [
    ({"current_password": "not-my-password"}, "current_password", "That is not your current password."),
    ({"password": "short", "confirm": "short"}, "password", "The password needs at least 8 characters."),
    ({"confirm": "something-else"}, "confirm", "The two passwords do not match."),
])
def test_password_change_mistakes_change_nothing(app, client, victim, over, field, message):
    _, cookies = stolen_cookies(app, victim)
    client.post("/login", data={"email": victim.email, "password": PASSWORD})
    data = {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD, **over}
    response = client.post("/password", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert_replay(app, cookies, victim, works=True)


def test_password_page_is_linked_and_needs_sign_in(client, victim):
    assert client.get("/password").status_code == 302
    client.post("/login", data={"email": victim.email, "password": PASSWORD})
    assert 'href="/password"' in client.get("/").get_data(as_text=True)
    assert client.get("/password").status_code == 200


def test_admin_password_reset_ends_the_users_sessions(app, client, login_as, admin, victim):
    _, cookies = stolen_cookies(app, victim)
    login_as(admin)
    response = client.post(f"/admin/users/{victim.id}",
                           data=_edit(victim, password=NEW_PASSWORD, confirm=NEW_PASSWORD))
    assert response.status_code == 302
    assert_replay(app, cookies, victim, works=False)
    assert signed_in_as(client, admin), "resetting someone else's password keeps the admin signed in"


def test_admin_edit_without_password_keeps_the_users_sessions(app, client, login_as, admin, victim):
    _, cookies = stolen_cookies(app, victim)
    login_as(admin)
    assert client.post(f"/admin/users/{victim.id}", data=_edit(victim, name="改了名字")).status_code == 302
    victim.name = "改了名字"
    assert_replay(app, cookies, victim, works=True)


def test_admin_changing_own_password_stays_signed_in_here_only(app, client, login_as, admin):
    _, cookies = stolen_cookies(app, admin)
    login_as(admin)
    response = client.post(f"/admin/users/{admin.id}",
                           data=_edit(admin, password=NEW_PASSWORD, confirm=NEW_PASSWORD))
    assert response.status_code == 302
    assert signed_in_as(client, admin)
    assert_replay(app, cookies, admin, works=False)


def test_deactivation_ends_sessions_cookies_and_api_tokens(app, client, login_as, admin, victim):
    from kb.auth import issue_token
    from kb.db import session

    with app.app_context():
        token = issue_token(session.get(User, victim.id))
        session.commit()
    bearer = {"Authorization": f"Bearer {token}"}
    _, cookies = stolen_cookies(app, victim)
    assert app.test_client().get("/api/v1/me", headers=bearer).status_code == 200
    login_as(admin)
    assert client.post(f"/admin/users/{victim.id}", data=_edit(victim, active=None)).status_code == 302
    assert_replay(app, cookies, victim, works=False)
    assert app.test_client().get("/api/v1/me", headers=bearer).status_code == 401
    # reactivated, the old cookies still sign nobody in: only a new sign-in does
    assert client.post(f"/admin/users/{victim.id}", data=_edit(victim, active="y")).status_code == 302
    assert_replay(app, cookies, victim, works=False)
    # deactivation revoked the token for good (issue 12 §3): reactivating does not bring it back
    response = app.test_client().get("/api/v1/me", headers=bearer)
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "token_revoked"


@pytest.mark.parametrize("user_id", ["{id}", "{id}:", "{id}:forged-token", ":abc", "x:abc",
                                     "99999999999999999999:abc", "{id}:{token}"])
def test_session_ids_without_the_current_token_sign_nobody_in(app, client, victim, user_id):
    """E.g. a cookie from before this change (a plain id) or with a forged token; the last is the control."""
    with client.session_transaction() as sess:
        sess["_user_id"] = user_id.format(id=victim.id, token=victim.session_token)
        sess["_fresh"] = True
    assert client.get("/").status_code == (200 if "{token}" in user_id else 302)


def test_session_token_is_stored_per_user_and_changes_on_sign_out(app, client, victim, create_user):
    other = create_user(email="other@example.com")

    def tokens():
        with app.app_context():
            from kb.db import session

            return dict(session.execute(select(User.id, User.session_token)).all())

    before = tokens()
    assert before[victim.id] and before[other.id] and before[victim.id] != before[other.id]
    client.post("/login", data={"email": victim.email, "password": PASSWORD})
    client.post("/logout")
    after = tokens()
    assert after[victim.id] != before[victim.id]
    assert after[other.id] == before[other.id]


# --- KB_HTTPS -----------------------------------------------------------------------------------------

def _https_app(tmp_path, database_url, monkeypatch, value):
    if value is None:
        monkeypatch.delenv("KB_HTTPS", raising=False)
    else:
        monkeypatch.setenv("KB_HTTPS", value)
    return create_app(make_config(tmp_path, database_url))


@pytest.mark.parametrize("value, https", [("1", True), (None, False), ("0", False)])
def test_kb_https_makes_cookies_secure_and_sends_hsts(tmp_path, database_url, monkeypatch, create_user,
                                                       value, https):
    user = create_user()
    app = _https_app(tmp_path, database_url, monkeypatch, value)
    try:
        client = app.test_client()
        page = client.get("/login", base_url="https://kb.example.com")
        response = client.post("/login", base_url="https://kb.example.com",
                               data={"email": user.email, "password": PASSWORD, "remember": "y"})
    finally:
        app.extensions["kb.db"].engine.dispose()
    assert response.status_code == 302
    cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
    assert set(cookies) >= {"session", "remember_token"}
    for name in ("session", "remember_token"):
        assert ("; Secure" in cookies[name]) is https, cookies[name]
    hsts = page.headers.get("Strict-Transport-Security")
    if https:
        assert hsts is not None and "max-age=31536000" in hsts
        assert response.headers.get("Strict-Transport-Security") == hsts
    else:
        assert hsts is None
