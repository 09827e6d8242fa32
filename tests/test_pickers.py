"""Pickers for decision-makers, owners, stakeholders met and attendees: one checkbox per choice, so every
saved choice is shown ticked and sent back until the user unticks it; they offer only people who fit."""
from __future__ import annotations

import re

import pytest


@pytest.fixture
def team(client, create_user, create_group, create_account):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    member = create_user(name="李经理")
    return {
        "member": member,
        "account": create_account(group=create_group(), name="华东电网", members=[member]),
        "colleagues": [create_user(name=f"同事{i}") for i in range(3)],
        "long": create_user(name="欧阳 Alexandra Konstantinopoulou-Fitzgerald 长名字同事"),
        "viewer": create_user(role="viewer", name="只读观察员"),
        "gone": create_user(active=False, name="离职员工"),
    }


def ticked(html: str, name: str) -> list[str]:
    """Values of the checked checkboxes named `name`."""
    boxes = re.findall(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert boxes, f"no checkboxes named {name}"
    assert all('type="checkbox"' in b for b in boxes)
    return sorted(re.search(r'value="(\d+)"', b).group(1) for b in boxes if " checked" in b)


def offered(html: str, name: str) -> str:
    """The text of the picker's options list."""
    start = html.index(f'id="{name}-options"')
    return html[start:html.index("</ul>", start)]


def test_stakeholder_backup_owners_all_stay_ticked(client, login_as, team, create_stakeholder):
    colleagues = team["colleagues"]
    person = create_stakeholder(team["account"], owners=[team["member"], *colleagues, team["gone"]])
    login_as(team["member"])
    html = client.get(f"/stakeholders/{person.id}/edit").text
    assert "<select multiple" not in html and 'name="backup_owner_ids"' in html
    assert ticked(html, "backup_owner_ids") == sorted(str(u.id) for u in [*colleagues, team["gone"]])
    options = offered(html, "backup_owner_ids")
    assert "离职员工 (inactive)" in options  # a saved, now inactive owner is kept (and marked)
    assert "只读观察员" not in options  # viewers only read: not offered
    assert "欧阳 Alexandra Konstantinopoulou-Fitzgerald 长名字同事" in options  # whole names


def test_interaction_pickers_offer_active_members_only(client, login_as, team, create_stakeholder):
    create_stakeholder(team["account"], name="王处长")
    login_as(team["member"])
    html = client.get(f"/accounts/{team['account'].id}/interactions/new").text
    attendees = offered(html, "attendee_ids")
    assert "同事0" in attendees and "只读观察员" not in attendees and "离职员工" not in attendees
    assert ticked(html, "attendee_ids") == [str(team["member"].id)]  # the author, preselected
    assert "王处长" in offered(html, "stakeholder_ids")


def test_plan_decision_makers_saved_and_shown_ticked(app, client, login_as, team, create_stakeholder,
                                                     create_plan):
    people = [create_stakeholder(team["account"], name=f"决策人{i}") for i in range(4)]
    create_plan(team["account"], period="FY2027")
    login_as(team["member"])
    url = f"/accounts/{team['account'].id}/plans/FY2027/edit"
    form_html = client.get(url).text
    assert ticked(form_html, "decision_maker_ids") == []
    data = {k: v for k, v in re.findall(r'<input[^>]*name="(\w+)"[^>]*type="hidden"[^>]*value="([^"]*)"', form_html)}
    data.update(re.findall(r'<input[^>]*type="hidden"[^>]*name="(\w+)"[^>]*value="([^"]*)"', form_html))
    data["decision_maker_ids"] = [str(p.id) for p in people[:3]]
    data["status"] = "draft"
    response = client.post(url, data=data)
    assert response.status_code == 302, response.text[:500]
    assert ticked(client.get(url).text, "decision_maker_ids") == sorted(str(p.id) for p in people[:3])
