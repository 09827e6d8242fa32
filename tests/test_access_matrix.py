"""The whole access matrix through the HTTP layer: role × on/off the account team × org/team visibility
× read/edit, for pages, the API and search — including direct URLs and ids the reader may not see.

Team = current triangle seats of the account's customer group + named account members.
"""
from __future__ import annotations

from datetime import date

import pytest

from kb.auth import issue_token
from kb.db import session
from models import User

PRIVATE = "绝密备注XQ7"        # a stakeholder's private note
TEAM_ONLY = "内部复盘ZK9"      # summary of a team-only visit
ORG_WIDE = "公开纪要PW3"       # summary of an org-wide visit

#: who → (sees team content, may edit)
PEOPLE = {
    "admin": (True, True),
    "member_seated": (True, True),
    "member_named": (True, True),
    "member_rotated_out": (False, False),
    "member_off_team": (False, False),
    "viewer": (False, False),
    "viewer_seated": (True, False),
}


@pytest.fixture
def world(app, create_user, create_group, create_seat, create_account, create_stakeholder, create_interaction,
          create_plan):
    group, elsewhere = create_group(), create_group()
    users = {
        "admin": create_user("admin"), "member_seated": create_user("member"),
        "member_named": create_user("member"), "member_rotated_out": create_user("member"),
        "member_off_team": create_user("member"), "viewer": create_user("viewer"),
        "viewer_seated": create_user("viewer"),
    }
    create_seat(group, users["member_seated"], "AR")
    create_seat(group, users["viewer_seated"], "FR")
    create_seat(group, users["member_rotated_out"], "SR", started_on=date(2023, 1, 1), ended_on=date(2024, 1, 1))
    create_seat(elsewhere, users["member_off_team"], "AR")
    account = create_account(group, members=[users["member_named"]])
    boss = create_stakeholder(account, name="周总", private_notes=PRIVATE, notes="公开备注",
                              owners=[users["member_seated"]])
    team_visit = create_interaction(account, visibility="team", summary=TEAM_ONLY, title="团队复盘",
                                    stakeholders=[boss],
                                    next_steps=[{"text": f"跟进{TEAM_ONLY}", "owner_id": users["member_seated"].id}])
    org_visit = create_interaction(account, visibility="org", summary=ORG_WIDE, title="例行拜访")
    create_plan(account, period="FY2027", strategy="数字化转型战略")
    with app.app_context():
        tokens = {who: issue_token(session.get(User, u.id)) for who, u in users.items()}
        session.commit()
    return dict(users=users, tokens=tokens, account=account, boss=boss, team_visit=team_visit,
                org_visit=org_visit)


def bearer(world, who):
    return {"Authorization": f"Bearer {world['tokens'][who]}"}


@pytest.mark.parametrize("who", PEOPLE)
def test_pages_show_team_content_only_to_the_team(client, login_as, world, who):
    sees, _ = PEOPLE[who]
    login_as(world["users"][who])
    a, s = world["account"].id, world["boss"].id
    # where the team sees each secret; nobody else may see either anywhere
    shows = {f"/accounts/{a}": TEAM_ONLY, f"/accounts/{a}/brief": TEAM_ONLY,
             f"/accounts/{a}/onboarding": TEAM_ONLY, f"/stakeholders/{s}": PRIVATE, "/": None}
    for url, secret in shows.items():
        page = client.get(url)
        assert page.status_code == 200, url
        html = page.get_data(as_text=True)
        if sees and secret:
            assert secret in html, url
        if not sees:
            assert PRIVATE not in html and TEAM_ONLY not in html, url


@pytest.mark.parametrize("who", PEOPLE)
def test_team_only_visit_by_direct_url(client, login_as, world, who):
    sees, _ = PEOPLE[who]
    login_as(world["users"][who])
    response = client.get(f"/interactions/{world['team_visit'].id}")
    assert response.status_code == (200 if sees else 404)
    assert (TEAM_ONLY in response.get_data(as_text=True)) is sees
    assert client.get(f"/interactions/{world['org_visit'].id}").status_code == 200


@pytest.mark.parametrize("who", PEOPLE)
def test_edit_pages_follow_the_rules(client, login_as, world, who):
    sees, edits = PEOPLE[who]
    login_as(world["users"][who])
    a, s = world["account"].id, world["boss"].id
    expected = 200 if edits else 403
    for url in (f"/accounts/{a}/edit", f"/accounts/{a}/plans/FY2027/edit", f"/stakeholders/{s}/edit",
                f"/accounts/{a}/stakeholders/new", f"/accounts/{a}/interactions/new",
                f"/interactions/{world['org_visit'].id}/edit"):
        assert client.get(url).status_code == expected, url
    team_edit = client.get(f"/interactions/{world['team_visit'].id}/edit").status_code
    assert team_edit == (expected if sees else 404)
    archive = client.post(f"/accounts/{a}/archive")
    assert archive.status_code == (302 if edits else 403)


@pytest.mark.parametrize("who", PEOPLE)
def test_api_reads_follow_the_rules(client, world, who):
    sees, _ = PEOPLE[who]
    h = bearer(world, who)
    a, s = world["account"].id, world["boss"].id
    stakeholder = client.get(f"/api/v1/stakeholders/{s}", headers=h).get_json()
    assert ("private_notes" in stakeholder) is sees
    listed = client.get(f"/api/v1/accounts/{a}/stakeholders", headers=h).get_data(as_text=True)
    assert (PRIVATE in listed) is sees
    by_id = client.get(f"/api/v1/interactions/{world['team_visit'].id}", headers=h)
    assert by_id.status_code == (200 if sees else 404)
    assert (TEAM_ONLY in by_id.get_data(as_text=True)) is sees
    listing = client.get(f"/api/v1/accounts/{a}/interactions", headers=h).get_data(as_text=True)
    assert (TEAM_ONLY in listing) is sees and ORG_WIDE in listing


@pytest.mark.parametrize("who", PEOPLE)
def test_api_writes_follow_the_rules(client, world, who):
    _, edits = PEOPLE[who]
    h = bearer(world, who)
    a, s = world["account"].id, world["boss"].id
    ok = lambda r, good: r.status_code == (good if edits else 403)  # noqa: E731
    assert ok(client.patch(f"/api/v1/accounts/{a}", json={"region": "华西"}, headers=h), 200)
    plan = client.get(f"/api/v1/accounts/{a}/plans/FY2027", headers=h).get_json()
    assert ok(client.put(f"/api/v1/accounts/{a}/plans/FY2027", headers=h,
                         json={**{k: plan[k] for k in ("strategy", "customers_customer", "profit_model",
                                                       "weakest_product", "decision_makers")},
                               "version": plan["version"], "strategy": "新的战略"}), 200)
    assert ok(client.patch(f"/api/v1/stakeholders/{s}", json={"title": "董事长"}, headers=h), 200)
    assert ok(client.post(f"/api/v1/accounts/{a}/stakeholders", headers=h,
                          json={"name": "新人", "decision_role": "user", "attitude": "neutral",
                                "influence": "low", "layer": "broad"}), 201)


@pytest.mark.parametrize("who", PEOPLE)
def test_search_hides_what_the_reader_may_not_see(client, world, who):
    sees, _ = PEOPLE[who]
    h = bearer(world, who)
    for secret in (PRIVATE, TEAM_ONLY):
        body = client.get("/api/v1/search", query_string={"q": secret}, headers=h).get_json()
        assert "total" in body, body
        assert (body["total"] > 0) is sees, secret
        assert (secret in str(body)) is sees or secret not in str(body["results"])
        page = client.get("/search", query_string={"q": secret}, headers=h).get_data(as_text=True)
        if not sees:
            assert secret not in page.replace(f'value="{secret}"', "")
    assert client.get("/api/v1/search", query_string={"q": ORG_WIDE}, headers=h).get_json()["total"] >= 1
