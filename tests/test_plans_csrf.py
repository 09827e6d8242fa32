"""With CSRF protection on (as in production): plan forms and the Markdown preview need the token."""
from __future__ import annotations

import re

import pytest

from models import UserRole
from tests.conftest import make_config


@pytest.fixture
def app_config(tmp_path, database_url):
    return make_config(tmp_path, database_url, WTF_CSRF_ENABLED=True)


def _sign_in(client, user) -> str:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    from tests.factories import PASSWORD

    assert client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}).status_code == 302
    page = client.get("/").get_data(as_text=True)
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)


def test_preview_accepts_the_header_token_only(client, create_user):
    token = _sign_in(client, create_user(role=UserRole.VIEWER))
    assert client.post("/preview", data={"text": "**x**"}).status_code == 400
    response = client.post("/preview", data={"text": "**x**"}, headers={"X-CSRFToken": token})
    assert response.status_code == 200 and "<strong>x</strong>" in response.get_data(as_text=True)


def test_plan_edit_form_carries_a_token(client, create_user, create_account, create_plan):
    editor = create_user(role=UserRole.MEMBER)
    account = create_account(members=[editor])
    create_plan(account)
    _sign_in(client, editor)
    page = client.get(f"/accounts/{account.id}/plans/FY2027/edit").get_data(as_text=True)
    assert 'name="csrf_token"' in page
    assert client.post(f"/accounts/{account.id}/plans/FY2027/edit", data={"strategy": "x", "version": "1",
                                                                          "status": "draft"}).status_code == 400
