"""Private notes: only the account team (seat or named member) and admins see them — page, partial, form."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from models import Stakeholder

SECRET = "私密：喜欢周末打高尔夫"


@pytest.fixture
def world(client, create_user, create_group, create_seat, create_account, create_stakeholder):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    group = create_group()
    seated, named, rotated_out = create_user(name="座席成员"), create_user(name="指名成员"), create_user()
    create_seat(group, seated, "SR")
    create_seat(group, rotated_out, "AR", started_on=date(2023, 1, 1), ended_on=date(2024, 1, 1))
    account = create_account(group=group, members=[named])
    person = create_stakeholder(account, name="孙处长", notes="公开备注", private_notes=SECRET)
    return SimpleNamespace(
        account=account, person=person, admin=create_user(role="admin"), seated=seated, named=named,
        off_team=create_user(), rotated_out=rotated_out, viewer=create_user(role="viewer"),
    )


TEAM = ["admin", "seated", "named"]
OUTSIDERS = ["off_team", "rotated_out", "viewer"]


def form_data(**overrides):
    data = {"name": "孙处长", "decision_role": "influencer", "attitude": "neutral", "influence": "medium",
            "layer": "key", "relationship_level": "3", "reports_to_id": "0", "primary_owner_id": "0",
            "notes": "公开备注"}
    data.update(overrides)
    return data


def stored_private(app, stakeholder_id):
    with app.app_context():
        from kb.db import session
        return session.get(Stakeholder, stakeholder_id).private_notes


@pytest.mark.parametrize("who", TEAM)
def test_team_and_admins_see_private_notes_everywhere(client, login_as, world, who):
    login_as(getattr(world, who))
    page = client.get(f"/stakeholders/{world.person.id}")
    assert page.status_code == 200 and SECRET in page.text and "公开备注" in page.text
    account_page = client.get(f"/accounts/{world.account.id}")
    assert account_page.status_code == 200
    assert "孙处长" in account_page.text and "Has private notes" in account_page.text
    assert SECRET not in account_page.text  # the decision chain shows a marker, not the notes
    form = client.get(f"/stakeholders/{world.person.id}/edit")
    assert form.status_code == 200
    assert 'name="private_notes"' in form.text and SECRET in form.text


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_never_see_private_notes(client, login_as, world, who):
    login_as(getattr(world, who))
    page = client.get(f"/stakeholders/{world.person.id}")
    assert page.status_code == 200 and "孙处长" in page.text and "公开备注" in page.text
    assert SECRET not in page.text and "Private notes" not in page.text
    account_page = client.get(f"/accounts/{world.account.id}")
    assert account_page.status_code == 200 and "孙处长" in account_page.text
    assert SECRET not in account_page.text and "Has private notes" not in account_page.text
    form = client.get(f"/stakeholders/{world.person.id}/edit")
    assert form.status_code == 403 and SECRET not in form.text


def test_team_member_can_change_and_clear_private_notes(app, client, login_as, world):
    login_as(world.seated)
    response = client.post(f"/stakeholders/{world.person.id}/edit", data=form_data(private_notes="新的私密"))
    assert response.status_code == 302 and stored_private(app, world.person.id) == "新的私密"
    response = client.post(f"/stakeholders/{world.person.id}/edit", data=form_data(private_notes=""))
    assert response.status_code == 302 and stored_private(app, world.person.id) == ""


def test_an_editor_outside_the_team_neither_sees_nor_erases_private_notes(app, client, login_as, world,
                                                                            monkeypatch):
    """Should the policy ever let someone edit without seeing team content, the form hides the field
    and the stored notes survive, even if the request carries a private_notes value."""
    import views.stakeholders.routes as routes
    monkeypatch.setattr(routes, "sees_team_content", lambda user, account: False)
    login_as(world.seated)
    form = client.get(f"/stakeholders/{world.person.id}/edit")
    assert form.status_code == 200 and 'name="private_notes"' not in form.text and SECRET not in form.text
    response = client.post(f"/stakeholders/{world.person.id}/edit",
                           data=form_data(name="孙处长（改）", private_notes=""))
    assert response.status_code == 302
    assert stored_private(app, world.person.id) == SECRET


def test_service_keeps_private_notes_when_given_none(app, world):
    with app.test_request_context():
        from kb.db import session
        from kb.services.stakeholders import update_stakeholder
        from models import User
        person = session.get(Stakeholder, world.person.id)
        update_stakeholder(stakeholder=person, author=session.get(User, world.seated.id), title="副总",
                           private_notes=None)
        assert person.private_notes == SECRET and person.title == "副总"


def test_new_stakeholder_form_hides_private_notes_from_non_team_editors(client, login_as, world, monkeypatch):
    import views.stakeholders.routes as routes
    login_as(world.named)
    assert 'name="private_notes"' in client.get(f"/accounts/{world.account.id}/stakeholders/new").text
    monkeypatch.setattr(routes, "sees_team_content", lambda user, account: False)
    assert 'name="private_notes"' not in client.get(f"/accounts/{world.account.id}/stakeholders/new").text
