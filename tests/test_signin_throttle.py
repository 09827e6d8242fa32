"""Sign-in throttling with its state in the database: 10 failures for one account (or 50 from one address)
within 15 minutes get 429 with Retry-After, even with the right password, until the window has passed."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import time_machine
from sqlalchemy import create_engine, func, select, text

from kb import create_app
from kb.migrate import upgrade
from models import SigninAttempt, User
from tests.conftest import make_config
from tests.factories import PASSWORD

T0 = datetime(2026, 11, 29, 10, 0, tzinfo=timezone.utc)


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def attempt(client, email, password="wrong-password", address="10.0.0.1", lang=None):
    environ = {"REMOTE_ADDR": address}
    headers = {"Accept-Language": lang} if lang else {}
    return client.post("/login", data={"email": email, "password": password}, environ_base=environ,
                       headers=headers)


def fail(client, email, times, **kw):
    for _ in range(times):
        response = attempt(client, email, **kw)
        assert response.status_code == 422, "a plain failure shows the form again, as a refused submission"


def add_failures(app, n, email="someone@example.com", address="10.0.0.1", at=None):
    with app.app_context():
        from kb.db import session

        session.add_all(SigninAttempt(email=email, remote_addr=address, success=False, attempted_at=at or T0)
                        for _ in range(n))
        session.commit()


def test_ten_failures_lock_the_account_even_for_the_right_password(client, create_user, clock):
    user = create_user()
    fail(client, user.email, 10)
    clock.shift(timedelta(minutes=5))
    response = attempt(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == str(10 * 60)
    assert "Too many failed sign-ins. Try again in 10 min." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302, "not signed in"


def test_nine_failures_do_not_lock(client, create_user, clock):
    user = create_user()
    fail(client, user.email, 9)
    assert attempt(client, user.email, PASSWORD).status_code == 302


def test_the_lock_ends_when_the_window_has_passed(client, create_user, clock):
    user = create_user()
    fail(client, user.email, 10)
    clock.shift(timedelta(minutes=15) - timedelta(seconds=1))
    response = attempt(client, user.email, PASSWORD)
    assert response.status_code == 429 and response.headers["Retry-After"] == "1"
    clock.shift(timedelta(seconds=1))
    assert attempt(client, user.email, PASSWORD).status_code == 302


def test_refused_attempts_do_not_extend_the_lock(client, create_user, clock):
    user = create_user()
    fail(client, user.email, 10)
    for _ in range(5):
        clock.shift(timedelta(minutes=2))
        assert attempt(client, user.email).status_code == 429
    clock.shift(timedelta(minutes=5))  # 15 minutes after the 10 failures
    assert attempt(client, user.email, PASSWORD).status_code == 302


def test_the_lock_holds_from_every_address_and_for_the_email_in_any_case(client, create_user, clock):
    user = create_user(email="wang@example.com")
    for i in range(10):
        assert attempt(client, "Wang@Example.COM", address=f"10.0.1.{i}").status_code == 422
    assert attempt(client, user.email, PASSWORD, address="192.0.2.7").status_code == 429


def test_a_success_starts_the_count_again(client, create_user, clock):
    user = create_user()
    fail(client, user.email, 9)
    assert attempt(client, user.email, PASSWORD).status_code == 302
    client.post("/logout")
    fail(client, user.email, 9)
    assert attempt(client, user.email, PASSWORD).status_code == 302


def test_unknown_emails_are_throttled_alike(client, create_user, clock):
    """Same answers for an e-mail of nobody as for a user's: no way to tell which accounts exist."""
    user = create_user()
    answers = {}
    for email in (user.email, "nobody@example.com"):
        statuses = [attempt(client, email).status_code for _ in range(11)]
        answers[email] = statuses
    assert answers[user.email] == answers["nobody@example.com"] == [422] * 10 + [429]


def test_fifty_failures_from_one_address_lock_that_address(app, client, create_user, clock):
    user = create_user()
    add_failures(app, 25, email="a@example.com", address="203.0.113.9")
    add_failures(app, 24, email="b@example.com", address="203.0.113.9")
    assert attempt(client, user.email, address="203.0.113.9").status_code == 422  # the 50th failure
    response = attempt(client, user.email, PASSWORD, address="203.0.113.9")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == str(15 * 60)
    assert attempt(client, user.email, PASSWORD, address="198.51.100.1").status_code == 302


def test_the_sign_in_page_says_so_in_chinese(client, create_user, clock):
    user = create_user()
    fail(client, user.email, 10)
    response = attempt(client, user.email, PASSWORD, lang="zh-CN")
    assert response.status_code == 429
    assert "登录失败次数过多，请 15 分钟后再试。" in response.get_data(as_text=True)


def test_limits_are_settings(tmp_path, database_url, create_user, clock):
    user = create_user()
    app = create_app(make_config(tmp_path, database_url, SIGNIN_MAX_FAILURES_PER_ACCOUNT=3,
                                 SIGNIN_WINDOW_SECONDS=60))
    try:
        client = app.test_client()
        fail(client, user.email, 3)
        response = attempt(client, user.email, PASSWORD)
        assert response.status_code == 429 and response.headers["Retry-After"] == "60"
        clock.shift(timedelta(seconds=60))
        assert attempt(client, user.email, PASSWORD).status_code == 302
    finally:
        app.extensions["kb.db"].engine.dispose()


def test_the_count_is_shared_by_every_worker(tmp_path, database_url, create_user, clock):
    """Two app instances (two gunicorn workers, or two machines) over one database share the count."""
    user = create_user()
    workers = [create_app(make_config(tmp_path / str(i), database_url)) for i in range(2)]
    try:
        for i in range(10):
            fail(workers[i % 2].test_client(), user.email, 1)
        assert attempt(workers[0].test_client(), user.email, PASSWORD).status_code == 429
        assert attempt(workers[1].test_client(), user.email, PASSWORD).status_code == 429
    finally:
        for worker in workers:
            worker.extensions["kb.db"].engine.dispose()


def test_old_attempts_are_pruned(app, client, create_user, clock):
    user = create_user()
    add_failures(app, 3, email=user.email, at=T0 - timedelta(days=31))
    add_failures(app, 2, email=user.email, at=T0 - timedelta(days=29))
    fail(client, user.email, 1)
    with app.app_context():
        from kb.db import session

        kept = session.scalars(select(SigninAttempt.attempted_at).order_by(SigninAttempt.attempted_at)).all()
    assert kept == [T0 - timedelta(days=29)] * 2 + [T0]


# --- The admin's view ---------------------------------------------------------------------------------

def test_admin_sees_recent_failed_sign_ins_on_the_users_page(app, client, login_as, create_user, clock):
    admin = create_user(role="admin", email="admin@example.com")
    user = create_user(email="target@example.com", name="被试探的人")
    fail(client, user.email, 2, address="203.0.113.77")
    fail(client, "someone-else@example.com", 1, address="198.51.100.99")
    login_as(admin)
    page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "Recent failed sign-ins" in page
    assert page.count("203.0.113.77") == 2
    assert "198.51.100.99" not in page
    assert "2026-11-29 18:00" in page  # 10:00 UTC in the reader's zone (Asia/Shanghai)
    quiet = client.get(f"/admin/users/{admin.id}").get_data(as_text=True)
    assert "No failed sign-in in the last 30 days." in quiet


def test_members_do_not_see_failed_sign_ins(client, login_as, create_user, clock):
    member = create_user(email="member@example.com")
    fail(client, member.email, 1, address="203.0.113.77")
    login_as(member)
    assert client.get(f"/admin/users/{member.id}").status_code == 403


# --- The migration ------------------------------------------------------------------------------------

def test_migration_gives_every_existing_user_a_token_of_their_own(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    try:
        upgrade(engine, "0001")
        with engine.begin() as conn:
            for email in ("a@example.com", "b@example.com"):
                conn.execute(text('INSERT INTO "user" (email, name, password_hash, role, active, created_at) '
                                  "VALUES (:email, 'x', 'x', 'member', true, :now)"),
                             {"email": email, "now": T0})
        upgrade(engine)
        with engine.connect() as conn:
            tokens = conn.execute(select(User.session_token)).scalars().all()
            assert conn.scalar(select(func.count()).select_from(SigninAttempt)) == 0
    finally:
        engine.dispose()
    assert len(tokens) == 2 and all(len(t) >= 32 for t in tokens) and tokens[0] != tokens[1]


@pytest.mark.parametrize("proxies, locked", [(1, False), (0, True)])
def test_behind_a_trusted_proxy_the_forwarded_address_counts(tmp_path, database_url, create_user, clock,
                                                              proxies, locked):
    user = create_user()
    app = create_app(make_config(tmp_path, database_url, TRUSTED_PROXIES=proxies))
    try:
        add_failures(app, 50, email="spray@example.com", address="203.0.113.9")
        client = app.test_client()
        response = client.post("/login", data={"email": user.email, "password": PASSWORD},
                               environ_base={"REMOTE_ADDR": "203.0.113.9"},
                               headers={"X-Forwarded-For": "198.51.100.23"})
    finally:
        app.extensions["kb.db"].engine.dispose()
    assert response.status_code == (429 if locked else 302)


# --- The current password on the change-password page is a password proof too -------------------------

def change_password(client, current, new="a-brand-new-pass-1"):
    return client.post("/password", data={"current_password": current, "password": new, "confirm": new},
                       environ_base={"REMOTE_ADDR": "10.0.0.9"})


def test_guessing_the_current_password_is_throttled_like_sign_in(client, create_user, login_as, clock):
    user = create_user()
    login_as(user)
    clock.shift(timedelta(seconds=1))  # after the sign-in (which starts the account's count again)
    for _ in range(10):
        assert change_password(client, "a-wrong-guess").status_code == 422  # each guess is recorded
    refused = change_password(client, PASSWORD)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == str(15 * 60)
    assert "Too many failed sign-ins" in change_password(client, "a-wrong-guess").get_data(as_text=True)
    assert "Too many failed sign-ins" in refused.get_data(as_text=True)
    clock.shift(timedelta(minutes=16))
    assert change_password(client, PASSWORD).status_code == 302  # the window has passed: the right one works


def test_nine_wrong_guesses_do_not_lock_and_a_short_new_password_is_no_guess(client, create_user, login_as,
                                                                             clock):
    user = create_user()
    login_as(user)
    clock.shift(timedelta(seconds=1))
    for _ in range(9):
        change_password(client, "a-wrong-guess")
    for _ in range(3):
        assert change_password(client, PASSWORD, new="short").status_code == 422  # right current password
    assert change_password(client, PASSWORD).status_code == 302
