"""The tokens pages: your tokens (dates in the configured zone, "never", expired marked), create (the secret
shown once, with a warning), revoke (POST, CSRF, confirm); admins see and revoke everyone's.

The people here read Chinese (their saved locale), the product's default UI."""
from __future__ import annotations

import html
import re
from datetime import datetime, timezone

import pytest
import time_machine

from models import ApiToken, User, UserRole
from tests.conftest import make_config
from tests.tokens_support import new_token, stored_token


def _page(client, path="/tokens") -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return html.unescape(response.get_data(as_text=True))


def _secrets_in(text: str) -> list[str]:
    return re.findall(r"kb_[A-Za-z0-9_-]{43}", text)


def test_a_member_sees_only_their_own_tokens_with_local_dates(app, client, login_as, create_user):
    me, other = create_user(role="member", locale="zh_CN"), create_user(role="member", locale="zh_CN")
    with time_machine.travel(datetime(2026, 11, 30, 17, 30, tzinfo=timezone.utc), tick=False):
        new_token(app, me, label="周报脚本", expires_days=30)  # 01:30 on 1 December in Shanghai
    new_token(app, other, label="别人的脚本", expires_days=30)
    login_as(me)
    page = _page(client)
    assert "周报脚本" in page and "别人的脚本" not in page
    assert "2026-12-01 01:30" in page          # created, in Asia/Shanghai
    assert "2027-01-01 00:00" in page          # works through 31 December, local time
    assert "从未" in page                       # never used
    assert "API 令牌" in page


def test_expired_and_revoked_tokens_are_marked(app, client, login_as, create_user):
    me = create_user(role="member", locale="zh_CN")
    with time_machine.travel(datetime(2025, 1, 1, tzinfo=timezone.utc), tick=False):
        new_token(app, me, label="旧脚本", expires_days=30)
    token_id, _ = new_token(app, me, label="作废脚本", expires_days=30)
    with app.app_context():
        from kb.db import session
        from kb.services.tokens import revoke_token

        revoke_token(token=session.get(ApiToken, token_id), actor=session.get(User, me.id))
        session.commit()
    login_as(me)
    page = _page(client)
    row = page[page.index("旧脚本"):page.index("</tr>", page.index("旧脚本"))]
    assert "已过期" in row and "吊销" in row    # an expired token can still be revoked
    row = page[page.index("作废脚本"):page.index("</tr>", page.index("作废脚本"))]
    assert "吊销" in row and "<button" not in row


def test_creating_shows_the_secret_once(app, client, login_as, create_user):
    me = create_user(role="member", locale="zh_CN")
    login_as(me)
    form = _page(client)
    submit_token = re.search(r'name="submit_token" type="hidden" value="([^"]+)"', form).group(1)
    data = {"label": "BI 看板", "expires": "90", "read_only": "y", "submit_token": submit_token}
    response = client.post("/tokens", data=data)
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    page = html.unescape(response.get_data(as_text=True))
    [secret] = _secrets_in(page)
    assert "它不会再次显示" in page and 'data-copy="new-token-secret"' in page
    assert "只读" in page and "BI 看板" in page
    # The form below is fresh, for the next token.
    assert 'value="BI 看板"' not in page and submit_token not in page
    # Never again: not on the list, not when the same form is sent again.
    assert secret not in _page(client)
    again = client.post("/tokens", data=data, follow_redirects=True)
    assert secret not in again.get_data(as_text=True) and not _secrets_in(again.get_data(as_text=True))
    with app.app_context():
        from kb.db import session
        from sqlalchemy import select

        rows = session.scalars(select(ApiToken).where(ApiToken.user_id == me.id)).all()
        assert [(t.label, t.scope.value) for t in rows] == [("BI 看板", "read")]
    from tests.api_support import Api

    assert Api(app.test_client(), secret).get("/me").get_json()["id"] == me.id


def test_members_must_choose_an_expiry_admins_may_choose_never(client, login_as, create_user):
    login_as(create_user(role="member", locale="zh_CN"))
    assert 'value="never"' not in _page(client)
    response = client.post("/tokens", data={"label": "永久", "expires": "never"})
    assert response.status_code == 422
    login_as(create_user(role="admin", locale="zh_CN"))
    assert 'value="never"' in _page(client)
    response = client.post("/tokens", data={"label": "永久", "expires": "never"})
    assert response.status_code == 201 and "永不过期" in response.get_data(as_text=True)
    assert "从未" in response.get_data(as_text=True)


@pytest.mark.parametrize("data, message", [
    ({"label": "", "expires": "30"}, "请给令牌起个名称"),
    ({"label": "长" * 81, "expires": "30"}, "最多 80 个字符"),
    ({"label": "好", "expires": "45"}, None),
])
def test_bad_input_is_422_with_the_message_on_the_field(client, login_as, create_user, data, message):
    login_as(create_user(role="member", locale="zh_CN"))
    response = client.post("/tokens", data=data)
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    field = "label" if message else "expires"
    assert re.search(rf'id="{field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="{field}"', page)
    assert f'id="{field}-error-1"' in page
    if message:
        assert message in page
    assert not _secrets_in(page)


def test_a_viewer_makes_read_only_tokens(app, client, login_as, create_user):
    viewer = create_user(role=UserRole.VIEWER, locale="zh_CN")
    login_as(viewer)
    page = _page(client)
    assert "您的令牌都是只读的" in page and 'name="read_only"' not in page
    assert client.post("/tokens", data={"label": "看板", "expires": "30"}).status_code == 201
    with app.app_context():
        from kb.db import session
        from sqlalchemy import select

        assert session.scalar(select(ApiToken.scope).where(ApiToken.user_id == viewer.id)).value == "read"


def test_revoke_own_token_from_the_page(app, client, login_as, create_user):
    me = create_user(role="member", locale="zh_CN")
    token_id, _ = new_token(app, me, label="要作废的", expires_days=30)
    login_as(me)
    assert f'action="/tokens/{token_id}/revoke"' in _page(client)
    assert "data-confirm=" in _page(client)
    response = client.post(f"/tokens/{token_id}/revoke")
    assert response.status_code == 302
    assert stored_token(app, token_id).revoked_at is not None
    assert "令牌“要作废的”已吊销" in _page(client)


def test_a_member_cannot_revoke_or_see_someone_elses_token(app, client, login_as, create_user):
    token_id, _ = new_token(app, create_user(role="member", locale="zh_CN"), expires_days=30)
    login_as(create_user(role="member", locale="zh_CN"))
    assert client.post(f"/tokens/{token_id}/revoke").status_code == 404
    assert stored_token(app, token_id).revoked_at is None
    assert client.get("/admin/tokens").status_code == 403


def test_an_admin_sees_and_revokes_everyones_tokens(app, client, login_as, create_user):
    owner = create_user(role="member", name="孙销售", locale="zh_CN")
    token_id, _ = new_token(app, owner, label="孙的脚本", expires_days=30)
    admin = create_user(role="admin", locale="zh_CN")
    login_as(admin)
    assert "所有人的令牌" in _page(client)
    page = _page(client, "/admin/tokens")
    assert "孙的脚本" in page and "孙销售" in page
    response = client.post(f"/tokens/{token_id}/revoke", data={"next": "/admin/tokens"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/tokens")
    token = stored_token(app, token_id)
    assert token.revoked_at is not None and token.revoked_by_id == admin.id


def test_the_user_menu_links_to_the_tokens_page(client, login_as, create_user):
    login_as(create_user(role="viewer", locale="zh_CN"))
    assert 'href="/tokens"' in _page(client, "/")


class TestWithCsrf:
    @pytest.fixture
    def app_config(self, tmp_path, database_url):
        return make_config(tmp_path, database_url, WTF_CSRF_ENABLED=True)

    def test_create_and_revoke_need_the_csrf_token(self, app, client, create_user):
        from tests.factories import PASSWORD

        me = create_user(role="member", locale="zh_CN")
        token_id, _ = new_token(app, me, expires_days=30)
        login_page = client.get("/login").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
        assert client.post("/login", data={"email": me.email, "password": PASSWORD,
                                           "csrf_token": csrf}).status_code == 302
        page = client.get("/tokens").get_data(as_text=True)
        assert page.count('name="csrf_token"') >= 2   # the create form and each revoke form
        assert client.post("/tokens", data={"label": "无令牌", "expires": "30"}).status_code == 400
        assert client.post(f"/tokens/{token_id}/revoke").status_code == 400
        assert stored_token(app, token_id).revoked_at is None
        csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
        assert client.post(f"/tokens/{token_id}/revoke", data={"csrf_token": csrf}).status_code == 302
        assert stored_token(app, token_id).revoked_at is not None


def test_a_token_that_never_expires_reads_never_expires_and_the_header_is_shown(client, login_as, create_user):
    login_as(create_user(role="admin", locale="zh_CN"))
    response = client.post("/tokens", data={"label": "永久", "expires": "never"})
    text = response.get_data(as_text=True)
    assert "<td>永不过期</td>" in text  # the expiry column ("从未" reads "has never happened")
    assert "Authorization: Bearer &lt;token&gt;" in text  # shown, not swallowed as a tag
