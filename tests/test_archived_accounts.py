"""An archived account is read-only for everyone until one of its editors restores it."""
from datetime import datetime, timezone

import pytest

from kb.auth import issue_token
from kb.db import session
from models import Account, User


@pytest.fixture
def archived(app, create_user, create_group, create_seat, create_account, create_stakeholder, create_plan,
             create_interaction):
    group = create_group()
    editor = create_user("member")
    create_seat(group, editor, "AR")
    account = create_account(group, archived_at=datetime(2026, 1, 1, tzinfo=timezone.utc))
    stakeholder = create_stakeholder(account)
    create_plan(account, period="FY2027", strategy="旧战略")
    visit = create_interaction(account)
    with app.app_context():
        token = issue_token(session.get(User, editor.id))
        session.commit()
    return dict(editor=editor, account=account, stakeholder=stakeholder, visit=visit, token=token)


def test_pages_refuse_changes_until_restored(client, login_as, archived):
    login_as(archived["editor"])
    a = archived["account"].id
    edit_urls = [f"/accounts/{a}/edit", f"/accounts/{a}/plans/FY2027/edit", f"/accounts/{a}/stakeholders/new",
                 f"/stakeholders/{archived['stakeholder'].id}/edit", f"/interactions/{archived['visit'].id}/edit"]
    for url in edit_urls:  # the team is told why (archived), not refused as if an outsider
        refused = client.get(url)
        assert refused.status_code == 409 and "archived" in refused.get_data(as_text=True), url
    page = client.get(f"/accounts/{a}").get_data(as_text=True)
    assert f"/accounts/{a}/restore" in page and f"/accounts/{a}/edit" not in page

    assert client.post(f"/accounts/{a}/restore").status_code == 302
    for url in edit_urls:
        assert client.get(url).status_code == 200, url


def test_api_refuses_changes_to_an_archived_account(client, app, archived):
    h = {"Authorization": f"Bearer {archived['token']}"}
    a = archived["account"].id
    refused = client.patch(f"/api/v1/accounts/{a}", json={"region": "华南"}, headers=h)
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "archived"
    assert client.put(f"/api/v1/accounts/{a}/plans/FY2027", json={"strategy": "新", "version": 1},
                      headers=h).status_code == 403
    restored = client.patch(f"/api/v1/accounts/{a}", json={"archived": False, "region": "华南"}, headers=h)
    assert restored.status_code == 200
    assert restored.get_json()["archived"] is False and restored.get_json()["region"] == "华南"
    with app.app_context():
        assert session.get(Account, a).archived_at is None
