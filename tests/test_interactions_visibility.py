"""Team-only interactions: invisible (404, absent from lists, counts and next steps) outside the team."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from models import User


@pytest.fixture
def world(client, create_user, create_group, create_seat, create_account, create_stakeholder,
          create_interaction):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    group = create_group()
    seated, named, rotated_out = create_user(), create_user(), create_user()
    create_seat(group, seated, "FR")
    create_seat(group, rotated_out, "AR", started_on=date(2023, 1, 1), ended_on=date(2024, 1, 1))
    account = create_account(group=group, members=[named])
    person = create_stakeholder(account, name="冯董事长")
    secret = create_interaction(account, visibility="team", title="敏感的价格谈判", summary="底价八折",
                                stakeholders=[person], occurred_on=date(2026, 9, 1),
                                next_steps=[{"text": "内部审批特价", "owner_id": seated.id}])
    public = create_interaction(account, visibility="org", title="公开技术交流", stakeholders=[person],
                                occurred_on=date(2026, 8, 1), next_steps=[{"text": "提交技术白皮书"}])
    return SimpleNamespace(
        account=account, person=person, secret=secret, public=public, admin=create_user(role="admin"),
        seated=seated, named=named, rotated_out=rotated_out, off_team=create_user(),
        viewer=create_user(role="viewer"),
    )


TEAM = ["admin", "seated", "named"]
OUTSIDERS = ["off_team", "rotated_out", "viewer"]


def secret_step_id(app, world) -> int:
    with app.app_context():
        from kb.db import session
        from models import Interaction
        return session.get(Interaction, world.secret.id).next_steps[0].id


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_and_never_see_team_only_interactions(app, client, login_as, world, who):
    login_as(getattr(world, who))
    for url in (f"/interactions/{world.secret.id}", f"/interactions/{world.secret.id}/edit"):
        response = client.get(url)
        assert response.status_code == 404 and "敏感的价格谈判" not in response.text
    for url in (f"/interactions/{world.secret.id}/edit", f"/interactions/{world.secret.id}/archive",
                f"/next-steps/{secret_step_id(app, world)}/toggle"):
        assert client.post(url, data={"title": "x"}).status_code == 404
    assert client.get(f"/interactions/{world.public.id}").status_code == 200
    for url in (f"/accounts/{world.account.id}", f"/stakeholders/{world.person.id}"):
        page = client.get(url)
        assert page.status_code == 200 and "公开技术交流" in page.text
        assert "敏感的价格谈判" not in page.text and "底价八折" not in page.text and "内部审批特价" not in page.text


@pytest.mark.parametrize("who", TEAM)
def test_team_and_admins_see_team_only_interactions(app, client, login_as, world, who):
    login_as(getattr(world, who))
    page = client.get(f"/interactions/{world.secret.id}")
    assert page.status_code == 200 and "底价八折" in page.text and "Account team only" in page.text
    for url in (f"/accounts/{world.account.id}", f"/stakeholders/{world.person.id}"):
        page = client.get(url)
        assert "敏感的价格谈判" in page.text and "公开技术交流" in page.text
    assert "内部审批特价" in client.get(f"/accounts/{world.account.id}").text


@pytest.mark.parametrize("who, visible", [(w, True) for w in TEAM] + [(w, False) for w in OUTSIDERS])
def test_service_lists_and_counts_follow_the_rules(app, world, who, visible):
    with app.test_request_context():
        from kb.db import session
        from kb.services.interactions import count_interactions, open_next_steps, recent_interactions
        viewer = session.get(User, getattr(world, who).id)
        titles = [i.title for i in recent_interactions(account_id=world.account.id, viewer=viewer)]
        steps = [s.text for s in open_next_steps(viewer=viewer)]
        owned = [s.text for s in open_next_steps(viewer=viewer, owner_id=world.seated.id)]
        expected_titles = ["敏感的价格谈判", "公开技术交流"] if visible else ["公开技术交流"]
        assert titles == expected_titles
        assert count_interactions(account_id=world.account.id, viewer=viewer) == len(expected_titles)
        assert ("内部审批特价" in steps) is visible and "提交技术白皮书" in steps
        assert owned == (["内部审批特价"] if visible else [])


def test_a_rotated_out_seat_loses_sight_of_team_interactions(client, login_as, world):
    login_as(world.rotated_out)
    assert client.get(f"/interactions/{world.secret.id}").status_code == 404
    login_as(world.seated)
    assert client.get(f"/interactions/{world.secret.id}").status_code == 200


def test_steps_partial_lists_account_names_when_asked(app, world):
    with app.test_request_context():
        from flask import render_template
        from kb.db import session
        from kb.services.interactions import open_next_steps
        steps = open_next_steps(viewer=session.get(User, world.seated.id))
        html = render_template("interactions/_steps.html", steps=steps, show_account=True)
        assert world.account.name in html and "内部审批特价" in html
        html = render_template("interactions/_steps.html", steps=steps, show_account=False)
        assert world.account.name not in html
