"""`GET /api/v1/accounts/<id>/export.xlsx`: the page's workbook for a bearer token, same access rule."""
from __future__ import annotations

import pytest

from models import SeatRole, UserRole, Visibility

from .api_support import make_token
from .exports_support import sheet_text, workbook


@pytest.fixture
def world(create_user, create_group, create_account, create_seat, create_interaction):
    group = create_group()
    seated, other = create_user(), create_user()
    create_seat(group, seated, SeatRole.AR)
    account = create_account(group=group, name="国家电网")
    create_interaction(account, title="团队复盘", visibility=Visibility.TEAM, summary="内部 secretsummary")
    create_interaction(account, title="公开拜访", summary="publicsummary")
    return dict(account=account, seated=seated, other=other, viewer=create_user(role=UserRole.VIEWER))


@pytest.mark.parametrize("reader,sees", [("seated", True), ("other", False), ("viewer", False)])
def test_a_token_gets_the_workbook_it_may_see(app, client, world, reader, sees):
    token = make_token(app, world[reader])
    response = client.get(f"/api/v1/accounts/{world['account'].id}/export.xlsx",
                          headers={"Authorization": f"Bearer {token}"})
    text = sheet_text(workbook(response))
    assert "publicsummary" in text
    assert ("secretsummary" in text) is sees


def test_unknown_account_is_a_json_404_and_no_token_a_401(app, client, world):
    token = make_token(app, world["seated"])
    response = client.get("/api/v1/accounts/424242/export.xlsx", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404 and response.get_json()["error"]["code"]
    assert client.get(f"/api/v1/accounts/{world['account'].id}/export.xlsx").status_code == 401
