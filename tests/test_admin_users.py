"""User administration pages: admins only; create and edit users with clear validation messages."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from models import ApiToken, SeatRole, User, UserRole
from tests.factories import PASSWORD


@pytest.fixture
def admin(create_user):
    return create_user(role="admin", name="管理员", email="admin@example.com")


def _user(app, email):
    with app.app_context():
        from kb.db import session

        user = session.scalar(select(User).where(User.email == email))
        session.expunge_all()
        return user


def _new(**over):
    data = {"name": "赵新人", "email": "zhao@example.com", "role": "member", "password": "s3cret-pass",
            "confirm": "s3cret-pass"}
    data.update(over)
    return data


def _edit(user, **over):
    data = {"name": user.name, "email": user.email, "role": user.role.value, "active": "y"}
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize("role", ["viewer", "member"])
@pytest.mark.parametrize("method, path", [
    ("get", "/admin/users"), ("get", "/admin/users/new"), ("post", "/admin/users/new"),
    ("get", "/admin/users/{id}"), ("post", "/admin/users/{id}"),
])
def test_non_admins_get_403(client, login_as, create_user, app, role, method, path):
    user = create_user(role=role, name="普通用户")
    login_as(user)
    response = getattr(client, method)(path.format(id=user.id), data=_edit(user, role="admin"))
    assert response.status_code == 403
    assert _user(app, user.email).role == UserRole(role)


def test_admin_pages_need_sign_in(client):
    response = client.get("/admin/users")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_admin_sees_user_list_with_seats_and_token_use(
        client, login_as, admin, create_user, create_group, create_seat, app):
    ar = create_user(name="李客户经理")
    create_user(name="已离职", active=False)
    group = create_group(name="华南制造客户群", name_en="")
    create_seat(group, ar, SeatRole.AR)
    create_seat(create_group(name="旧客户群"), ar, SeatRole.SR, ended_on=date(2024, 12, 31))
    with app.app_context():
        from kb.db import session

        session.add(ApiToken(user_id=ar.id, token_hash="x" * 64,
                             last_used_at=datetime(2026, 3, 4, 5, 6, tzinfo=timezone.utc)))
        session.commit()
    login_as(admin)
    response = client.get("/admin/users")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    row = page.split("李客户经理", 1)[1].split("</tr>", 1)[0]
    assert "AR · 华南制造客户群" in row and "旧客户群" not in row  # only current seats
    assert "2026-03-04" in row and "Member" in row
    assert "Deactivated" in page.split("已离职", 1)[1].split("</tr>", 1)[0]
    assert "admin@example.com" in page


def test_admin_creates_user_who_can_sign_in(client, login_as, admin, app):
    login_as(admin)
    response = client.post("/admin/users/new", data=_new(email=" Zhao@Example.com ", role="viewer"))
    assert response.status_code == 302
    created = _user(app, "zhao@example.com")
    assert (created.name, created.role, created.active) == ("赵新人", UserRole.VIEWER, True)
    client.post("/logout")
    assert client.post("/login", data={"email": "zhao@example.com", "password": "s3cret-pass"}).status_code == 302
    assert "赵新人" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("over, field, message", [
    ({"email": "admin@example.com"}, "email", "Another user already has this email."),
    ({"email": "ADMIN@example.com"}, "email", "Another user already has this email."),
    ({"email": "not-an-email"}, "email", "Enter a valid email address."),
    ({"email": ""}, "email", "Enter an email address."),
    ({"name": ""}, "name", "Enter the person"),
    ({"name": "名" * 101}, "name", "At most 100 characters."),
    ({"password": "short", "confirm": "short"}, "password", "at least 8 characters"),
    ({"password": "", "confirm": ""}, "password", "Enter a password."),
    ({"confirm": "something-else"}, "confirm", "The two passwords do not match."),
    ({"role": "superuser"}, "role", ""),
])
def test_user_create_validation(client, login_as, admin, app, over, field, message):
    login_as(admin)
    response = client.post("/admin/users/new", data=_new(**over))
    assert response.status_code == 422
    body = response.get_data(as_text=True).replace("&#39;", "'")
    block = body.split(f'id="{field}"', 1)[1].split("</div>", 1)[0]
    assert 'class="error"' in block and message in block
    with app.app_context():
        from kb.db import session

        assert session.scalar(select(User).where(User.name == "赵新人")) is None


def test_admin_edits_user(client, login_as, admin, create_user, app):
    user = create_user(name="王五", email="wangwu@example.com")
    login_as(admin)
    page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert 'value="wangwu@example.com"' in page and '<option selected value="member">' in page
    response = client.post(f"/admin/users/{user.id}", data=_edit(
        user, name="王五（调岗）", email="wang5@example.com", role="viewer", password="brand-new-pass",
        confirm="brand-new-pass"))
    assert response.status_code == 302
    changed = _user(app, "wang5@example.com")
    assert (changed.name, changed.role, changed.active) == ("王五（调岗）", UserRole.VIEWER, True)
    client.post("/logout")
    assert client.post("/login", data={"email": "wang5@example.com", "password": "brand-new-pass"}).status_code == 302


def test_edit_without_password_keeps_it(client, login_as, admin, create_user, app):
    user = create_user(email="keep@example.com")
    login_as(admin)
    assert client.post(f"/admin/users/{user.id}", data=_edit(user, name="新名字")).status_code == 302
    client.post("/logout")
    assert client.post("/login", data={"email": "keep@example.com", "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize("over, field, message", [
    ({"email": "admin@example.com"}, "email", "Another user already has this email."),
    ({"email": "bad@"}, "email", "Enter a valid email address."),
    ({"password": "short", "confirm": "short"}, "password", "at least 8 characters"),
    ({"password": "long-enough-1", "confirm": "long-enough-2"}, "confirm", "The two passwords do not match."),
    ({"name": "  "}, "name", "Enter the person"),
])
def test_user_edit_validation(client, login_as, admin, create_user, app, over, field, message):
    user = create_user(name="原名", email="orig@example.com")
    login_as(admin)
    response = client.post(f"/admin/users/{user.id}", data=_edit(user, **over))
    assert response.status_code == 422
    body = response.get_data(as_text=True).replace("&#39;", "'")
    block = body.split(f'id="{field}"', 1)[1].split("</div>", 1)[0]
    assert message in block
    assert _user(app, "orig@example.com").name == "原名"


@pytest.mark.parametrize("over, field, message", [
    ({"role": "member"}, "role", "You cannot remove your own admin role"),
    ({"role": "viewer"}, "role", "You cannot remove your own admin role"),
    ({"active": None}, "active", "You cannot deactivate yourself"),
])
def test_admin_cannot_demote_or_deactivate_themselves(client, login_as, admin, app, over, field, message):
    login_as(admin)
    response = client.post(f"/admin/users/{admin.id}", data=_edit(admin, **over))
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert message in body.split(f'id="{field}"', 1)[1].split("</div>", 1)[0]
    stored = _user(app, "admin@example.com")
    assert (stored.role, stored.active) == (UserRole.ADMIN, True)
    assert client.get("/admin/users").status_code == 200  # still an admin


def test_admin_may_change_own_name(client, login_as, admin, app):
    login_as(admin)
    assert client.post(f"/admin/users/{admin.id}", data=_edit(admin, name="管理员甲")).status_code == 302
    assert _user(app, "admin@example.com").name == "管理员甲"


def test_deactivated_user_cannot_sign_in_and_loses_session(client, login_as, admin, create_user, app):
    user = create_user(email="leaver@example.com", name="要离职的人")
    other = app.test_client()
    assert other.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    assert other.get("/").status_code == 200
    login_as(admin)
    assert client.post(f"/admin/users/{user.id}", data=_edit(user, active=None)).status_code == 302
    assert _user(app, "leaver@example.com").active is False
    assert other.get("/").status_code == 302  # the open session no longer works
    response = other.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 422  # the sign-in form again, with an error
    assert other.get("/").status_code == 302
    # and reactivating lets them back in
    assert client.post(f"/admin/users/{user.id}", data=_edit(user, active="y")).status_code == 302
    assert other.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302


def test_deactivated_seat_holder_shows_as_coverage_gap(
        client, login_as, admin, create_user, create_group, create_seat):
    holder = create_user(name="交付老兵")
    group = create_group()
    create_seat(group, holder, SeatRole.FR)
    login_as(admin)
    assert "who is deactivated" not in client.get(f"/groups/{group.id}").get_data(as_text=True)
    client.post(f"/admin/users/{holder.id}", data=_edit(holder, active=None))
    assert "交付老兵, who is deactivated" in client.get(f"/groups/{group.id}").get_data(as_text=True)


def test_unknown_user_is_404(client, login_as, admin):
    login_as(admin)
    assert client.get("/admin/users/9999").status_code == 404
    assert client.post("/admin/users/9999", data={"name": "x"}).status_code == 404


def test_deactivating_a_seat_holder_warns_the_admin(client, login_as, admin, create_user, create_group,
                                                    create_seat):
    holder = create_user(name="方案专家")
    create_seat(create_group(name="能源客户群", name_en=""), holder, SeatRole.SR)
    login_as(admin)
    response = client.post(f"/admin/users/{holder.id}", data=_edit(holder, active=None), follow_redirects=True)
    assert "方案专家 still holds 1 triangle seat(s): SR · 能源客户群" in response.get_data(as_text=True)
    other = create_user(name="无席位")
    response = client.post(f"/admin/users/{other.id}", data=_edit(other, active=None), follow_redirects=True)
    assert "still holds" not in response.get_data(as_text=True)


def test_user_list_runs_a_constant_number_of_queries(app, client, login_as, admin, create_user, create_group,
                                                     create_seat):
    from tests.test_groups_pages import _statements

    create_seat(create_group(), create_user(), SeatRole.AR)
    login_as(admin)
    before = _statements(app, client, "/admin/users")
    group = create_group()
    for role in SeatRole:
        create_seat(group, create_user(), role)
    assert _statements(app, client, "/admin/users") == before
