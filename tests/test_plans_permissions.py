"""Who may create, edit and restore plans: the permission matrix (reading is open to everyone signed in)."""
from __future__ import annotations

import pytest

from models import SeatRole, UserRole
from tests.test_plans_pages import form_data, stored_plan

ROLES = ["viewer", "member_off_team", "member_on_team", "member_seated", "admin"]
MAY_EDIT = {"member_on_team", "member_seated", "admin"}


@pytest.fixture
def setup(create_user, create_group, create_seat, create_account, create_plan):
    group = create_group()
    on_team = create_user(role=UserRole.MEMBER)
    seated = create_user(role=UserRole.MEMBER)
    create_seat(group, seated, SeatRole.SR)
    account = create_account(group=group, members=[on_team])
    create_plan(account, strategy="原文")
    users = {
        "viewer": create_user(role=UserRole.VIEWER),
        "member_off_team": create_user(role=UserRole.MEMBER),
        "member_on_team": on_team,
        "member_seated": seated,
        "admin": create_user(role=UserRole.ADMIN),
    }
    return account, users


def _as(client, login_as, users, who):
    login_as(users[who])
    return client


@pytest.mark.parametrize("who", ROLES)
def test_edit_matrix(app, client, login_as, setup, who):
    account, users = setup
    _as(client, login_as, users, who)
    base = f"/accounts/{account.id}/plans"
    allowed = who in MAY_EDIT
    assert client.get(f"{base}/FY2027/edit").status_code == (200 if allowed else 403)
    assert client.get(f"{base}/new").status_code == (200 if allowed else 403)
    assert client.post(f"{base}/new", data={"period": "FY2029"}).status_code == (302 if allowed else 403)
    assert client.get(f"{base}/FY2029/edit").status_code == (200 if allowed else 403)
    response = client.post(f"{base}/FY2027/edit", data=form_data(1, strategy=f"{who} 改过"))
    assert response.status_code == (302 if allowed else 403)
    assert stored_plan(app, account.id).strategy == (f"{who} 改过" if allowed else "原文")


@pytest.mark.parametrize("who", ROLES)
def test_restore_matrix(app, client, login_as, setup, who):
    account, users = setup
    login_as(users["admin"])
    client.post(f"/accounts/{account.id}/plans/FY2027/edit", data=form_data(1, strategy="第二版"))
    _as(client, login_as, users, who)
    response = client.post(f"/accounts/{account.id}/plans/FY2027/revisions/1/restore", data={"version": "2"})
    allowed = who in MAY_EDIT
    assert response.status_code == (302 if allowed else 403)
    stored = stored_plan(app, account.id)
    assert (stored.version, stored.strategy) == ((3, "原文") if allowed else (2, "第二版"))


@pytest.mark.parametrize("who", ROLES)
def test_everyone_signed_in_reads(client, login_as, setup, who):
    account, users = setup
    _as(client, login_as, users, who)
    base = f"/accounts/{account.id}/plans"
    for url in (base, f"{base}/FY2027", f"{base}/FY2027/history", f"{base}/FY2027/diff?a=1&b=1"):
        assert client.get(url).status_code == 200, url
    assert client.post("/preview", data={"text": "*x*"}).status_code == 200
    page = client.get(f"{base}/FY2027").get_data(as_text=True)
    assert (f"{base}/FY2027/edit" in page) is (who in MAY_EDIT)
    history = client.get(f"{base}/FY2027/history").get_data(as_text=True)
    assert "/restore" not in history  # only one revision: nothing to restore for anyone


def test_signed_out_is_sent_to_login(client, setup):
    account, users = setup
    response = client.get(f"/accounts/{account.id}/plans/FY2027")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
