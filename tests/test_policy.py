"""kb.policy: the access rules in one place (the HTTP-level matrix is in test_access_matrix.py)."""
from datetime import date

import pytest
from sqlalchemy import select

from kb import clock, policy
from kb.db import session
from models import Interaction, User, Visibility


@pytest.fixture
def world(create_user, create_group, create_seat, create_account, create_interaction):
    group, other_group = create_group(), create_group()
    users = {
        "admin": create_user("admin"),
        "seated": create_user("member"),
        "named": create_user("member"),
        "outsider": create_user("member"),
        "viewer": create_user("viewer"),
        "rotated_out": create_user("member"),
        "seated_viewer": create_user("viewer"),
    }
    create_seat(group, users["seated"], "AR")
    create_seat(group, users["seated_viewer"], "FR")
    create_seat(group, users["rotated_out"], "SR", started_on=date(2023, 1, 1), ended_on=date(2024, 6, 30))
    create_seat(other_group, users["outsider"], "AR")
    account = create_account(group, members=[users["named"]])
    team_visit = create_interaction(account, visibility="team", summary="团队内部")
    org_visit = create_interaction(account, visibility="org", summary="公开")
    return users, account, team_visit, org_visit


def _user(name, users):
    return session.get(User, users[name].id)


@pytest.mark.parametrize("who, on_team, sees_team, edits", [
    ("admin", False, True, True),
    ("seated", True, True, True),
    ("named", True, True, True),
    ("outsider", False, False, False),
    ("viewer", False, False, False),
    ("rotated_out", False, False, False),
    ("seated_viewer", True, True, False),
])
def test_rules_per_user(app, world, who, on_team, sees_team, edits):
    users, account, _, _ = world
    with app.app_context():
        user = _user(who, users)
        assert policy.is_on_team(user, account.id) is on_team
        assert policy.sees_team_content(user, account.id) is sees_team
        assert policy.may_edit_account(user, account.id) is edits


@pytest.mark.parametrize("who, visible", [
    ("admin", {"公开", "团队内部"}), ("seated", {"公开", "团队内部"}), ("named", {"公开", "团队内部"}),
    ("outsider", {"公开"}), ("viewer", {"公开"}), ("rotated_out", {"公开"}),
])
def test_interaction_clause_filters_team_only(app, world, who, visible):
    users, *_ = world
    with app.app_context():
        user = _user(who, users)
        stmt = select(Interaction.summary).where(policy.interaction_visible_clause(user))
        assert set(session.scalars(stmt)) == visible


def test_inactive_admin_has_no_rights(app, create_user, create_account):
    account = create_account()
    admin = create_user("admin", active=False)
    with app.app_context():
        assert not policy.may_edit_account(session.get(User, admin.id), account.id)


def test_anonymous_sees_nothing_team_only(app, world):
    from kb.auth import Anonymous

    _, account, team_visit, _ = world
    with app.app_context():
        assert not policy.sees_team_content(Anonymous(), account.id)
        assert session.get(Interaction, team_visit.id).visibility == Visibility.TEAM
        assert not policy.may_see_interaction(Anonymous(), session.get(Interaction, team_visit.id))


def test_a_rotation_recorded_ahead_hands_over_on_its_date(app, create_user, create_group, create_seat,
                                                          create_account):
    from datetime import timedelta

    today = clock.today()
    group = create_group()
    leaving, arriving = create_user("member"), create_user("member")
    handover = today + timedelta(days=30)
    create_seat(group, leaving, "AR", started_on=date(2024, 1, 1), ended_on=handover)
    create_seat(group, arriving, "AR", started_on=handover)
    account = create_account(group)
    with app.app_context():
        assert policy.may_edit_account(session.get(User, leaving.id), account.id)
        assert not policy.may_edit_account(session.get(User, arriving.id), account.id)
