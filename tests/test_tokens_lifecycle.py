"""Tokens over a person's time here: deactivation (admin page, service, handover) revokes them in the same
transaction; `flask kb create-token` gains --expires, --read-only and --label; expiry by the local day."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from models import ApiToken, User
from tests.api_support import Api, assert_error, world  # noqa: F401
from tests.tokens_support import new_token, stored_token


def _active_tokens(app, user) -> list[str]:
    with app.app_context():
        from kb.db import session

        return list(session.scalars(select(ApiToken.label).where(ApiToken.user_id == user.id,
                                                                 ApiToken.revoked_at.is_(None))))


def test_deactivating_on_the_admin_page_revokes_the_users_tokens(app, client, login_as, world):
    token_id, secret = new_token(app, world.outsider, label="离职者脚本", expires_days=30)
    login_as(world.admin)
    response = client.post(f"/admin/users/{world.outsider.id}", data={
        "name": world.outsider.name, "email": world.outsider.email, "role": "member", "version": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert _active_tokens(app, world.outsider) == []
    token = stored_token(app, token_id)
    assert token.revoked_at is not None and token.revoked_by_id == world.admin.id
    assert assert_error(Api(app.test_client(), secret).get("/me"), 401)["code"] == "token_revoked"
    # Reactivating does not bring tokens back: the person makes new ones.
    response = client.post(f"/admin/users/{world.outsider.id}", data={
        "name": world.outsider.name, "email": world.outsider.email, "role": "member", "active": "y",
        "version": "2"})
    assert response.status_code == 302 and _active_tokens(app, world.outsider) == []


def test_a_failed_deactivation_revokes_nothing(app, world):
    new_token(app, world.outsider, label="保留", expires_days=30)
    with app.app_context():
        from kb.db import session
        from kb.services.users import UserError, update_user

        user = session.get(User, world.outsider.id)
        with pytest.raises(UserError):
            update_user(user=user, name="", email=user.email, role=user.role, active=False,
                        author=session.get(User, world.admin.id))
        session.rollback()
    assert "保留" in _active_tokens(app, world.outsider)


def test_other_changes_to_a_user_keep_their_tokens(app, world):
    new_token(app, world.outsider, label="保留", expires_days=30)
    with app.app_context():
        from kb.db import session
        from kb.services.users import update_user

        user = session.get(User, world.outsider.id)
        update_user(user=user, name="赵新名", email=user.email, role=user.role, active=True,
                    password="a-new-password", author=session.get(User, world.admin.id))
        session.commit()
    assert "保留" in _active_tokens(app, world.outsider)


def test_the_handovers_deactivate_the_leaver_revokes_their_tokens(app, client, world):
    _, secret = new_token(app, world.seated, label="交接前的脚本", expires_days=90)
    with app.app_context():
        from kb import clock
        from kb.db import session
        from kb.services.handover import apply_handover

        apply_handover(actor=session.get(User, world.admin.id), from_user=session.get(User, world.seated.id),
                       to_user=session.get(User, world.named.id), today=clock.today(), deactivate_from=True)
        session.commit()
    assert _active_tokens(app, world.seated) == []
    assert_error(Api(client, secret).get("/me"), 401)


def test_cli_creates_an_expiring_read_only_token(app, runner, world):
    result = runner.invoke(args=["kb", "create-token", "--email", world.viewer.email, "--label", "BI 导出",
                                 "--expires", "90", "--read-only"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip()
    assert secret.startswith("kb_")
    with app.app_context():
        from kb.auth import hash_token
        from kb.db import session

        token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
        assert (token.label, token.scope.value, token.user_id) == ("BI 导出", "read", world.viewer.id)
        assert token.expires_at is not None


def test_cli_default_for_an_admin_is_a_write_token_that_never_expires(app, runner, world):
    result = runner.invoke(args=["kb", "create-token", "--email", world.admin.email])
    assert result.exit_code == 0, result.output
    with app.app_context():
        from kb.auth import hash_token
        from kb.db import session

        secret = result.output.strip()
        token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
        assert (token.label, token.scope.value, token.expires_at) == ("cli", "write", None)


@pytest.mark.parametrize("args, message", [
    (["--expires", "0"], "--expires"),
    (["--expires", "3650"], "--expires"),     # the page's choices only: 30, 90, 365 (never: admins)
    (["--expires", "45"], "--expires"),
    (["--expires", "abc"], "--expires"),
    (["--expires", "30", "--label", ""], "label"),
    (["--expires", "30", "--label", "x" * 81], "80"),
])
def test_cli_refuses_bad_options(app, runner, world, args, message):
    before = len(_active_tokens(app, world.seated))
    result = runner.invoke(args=["kb", "create-token", "--email", world.seated.email, *args])
    assert result.exit_code != 0 and message in result.output
    assert "kb_" not in result.output
    assert len(_active_tokens(app, world.seated)) == before


@pytest.mark.parametrize("zone, today, days, expected", [
    ("Asia/Shanghai", date(2026, 11, 30), 30, datetime(2026, 12, 30, 16, 0, tzinfo=timezone.utc)),
    ("UTC", date(2026, 11, 30), 365, datetime(2027, 12, 1, 0, 0, tzinfo=timezone.utc)),
    ("Europe/Berlin", date(2027, 3, 1), 30, datetime(2027, 3, 31, 22, 0, tzinfo=timezone.utc)),  # after DST
])
def test_expiry_is_the_end_of_the_local_day(tmp_path, database_url, zone, today, days, expected):
    from kb import create_app
    from kb.services.tokens import expiry_after
    from tests.conftest import close_app, make_config

    app = create_app(make_config(tmp_path, database_url, TIMEZONE=zone))
    try:
        with app.app_context():
            assert expiry_after(days, today=today) == expected
    finally:
        close_app(app)
