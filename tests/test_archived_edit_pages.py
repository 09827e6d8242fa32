"""An account archived while someone edits it (or one of its stakeholders or visits): the save is refused
with the reason on the form page and the typed text stays; the edit pages of an archived account say why."""
from __future__ import annotations

from datetime import date

import pytest

from models import UserRole
from tests.test_record_versions import _account_form, _interaction_form, _stakeholder_form


@pytest.fixture
def world(create_user, create_group, create_seat, create_account, create_stakeholder, create_interaction):
    member = create_user(role=UserRole.MEMBER, name="李客户经理")
    group = create_group(name="华东运营商客户群")
    create_seat(group, member, "AR")
    account = create_account(group, name="华东移动")
    return dict(member=member, account=account, person=create_stakeholder(account, name="陈总"),
                visit=create_interaction(account, title="年度交流", summary="纪要", next_steps=[
                    {"text": "发送方案", "owner_id": member.id, "due_on": date(2026, 12, 1)}]))


def _archive(app, account_id):
    with app.app_context():
        from kb.db import session
        from models import Account, utcnow

        session.get(Account, account_id).archived_at = utcnow()
        session.commit()


@pytest.mark.parametrize("kind", ["account", "stakeholder", "interaction"])
def test_a_save_after_the_account_was_archived_keeps_the_typed_text(app, client, login_as, world, kind):
    login_as(world["member"])
    account = world["account"]
    typed = "我刚写的一段很长的描述"
    url, data = {
        "account": (f"/accounts/{account.id}/edit", _account_form(account, typed)),
        "stakeholder": (f"/stakeholders/{world['person'].id}/edit", _stakeholder_form(world["person"], typed)),
        "interaction": (f"/interactions/{world['visit'].id}/edit", _interaction_form(world["visit"], typed)),
    }[kind]
    assert client.get(url).status_code == 200  # the form was opened before the account was archived
    _archive(client.application, account.id)
    response = client.post(url, data=data)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "archived" in page and "我刚写的一段很长的描述" in page


def test_the_edit_page_of_an_archived_account_says_why(client, login_as, world):
    login_as(world["member"])
    _archive(client.application, world["account"].id)
    response = client.get(f"/accounts/{world['account'].id}/edit")
    assert response.status_code == 409 and "archived" in response.get_data(as_text=True)


def test_outsiders_still_get_403(client, login_as, world, create_user):
    login_as(create_user(role=UserRole.MEMBER, name="赵外人"))
    assert client.get(f"/accounts/{world['account'].id}/edit").status_code == 403
    assert client.post(f"/stakeholders/{world['person'].id}/edit", data={"name": "x"}).status_code == 403
