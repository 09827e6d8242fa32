import pytest

from tests.factories import PASSWORD


def test_pages_require_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_login_and_logout(client, create_user):
    user = create_user(name="王经理")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "王经理" in client.get("/").get_data(as_text=True)
    client.post("/logout")
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("password", ["wrong-password", ""])
def test_wrong_password_is_refused(client, create_user, password):
    user = create_user()
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 422
    assert client.get("/").status_code == 302


def test_inactive_user_cannot_sign_in(client, create_user):
    user = create_user(active=False)
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_login_never_redirects_off_site(client, create_user, target):
    user = create_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "next": target})
    assert response.headers["Location"] == "/"


def test_session_cookie_is_httponly_and_samesite(client, create_user):
    user = create_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_bearer_token_works_alongside_a_session_cookie(app, client, create_user):
    """A client that loaded a page (and so holds a cookie with only a CSRF token) still authenticates by token."""
    from kb.auth import issue_token
    from kb.db import session
    from models import User

    user = create_user()
    with app.app_context():
        token = issue_token(session.get(User, user.id))
        session.commit()
    client.get("/login")
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.get_json()["email"] == user.email
