"""Stakeholder history: changes of title, reports-to, decision role, attitude and influence are kept, by
page and API alike, and shown on the stakeholder page as a timeline in the user's time zone."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
import time_machine

from models import StakeholderChange
from tests.api_support import Api, make_token

# 17:05 UTC on 30 November is 01:05 on 1 December in Shanghai.
SAVED_AT = datetime(2026, 11, 30, 17, 5, tzinfo=timezone.utc)


@pytest.fixture
def world(client, create_user, create_account, create_stakeholder):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    editor = create_user(name="赵编辑")
    account = create_account(members=[editor])
    old_boss = create_stakeholder(account, name="老领导")
    new_boss = create_stakeholder(account, name="新领导")
    person = create_stakeholder(account, name="钱主任", title="处长", reports_to=old_boss)
    return dict(editor=editor, account=account, old_boss=old_boss, new_boss=new_boss, person=person)


def changes(app, stakeholder_id):
    with app.app_context():
        from kb.db import session
        rows = session.query(StakeholderChange).filter_by(stakeholder_id=stakeholder_id).order_by(
            StakeholderChange.id).all()
        return [(r.field, r.old_value, r.new_value) for r in rows]


def test_api_changes_are_kept_and_shown_as_a_timeline(app, client, login_as, world):
    api = Api(client, make_token(app, world["editor"]))
    with time_machine.travel(SAVED_AT, tick=False):
        response = api.request("PATCH", f"/stakeholders/{world['person'].id}", json={
            "title": "副总经理", "reports_to_id": world["new_boss"].id, "decision_role": "decision_maker",
            "notes": "not tracked"})
    assert response.status_code == 200
    assert changes(app, world["person"].id) == [
        ("title", "处长", "副总经理"),
        ("reports_to_id", str(world["old_boss"].id), str(world["new_boss"].id)),
        ("decision_role", "influencer", "decision_maker"),
    ]
    login_as(world["editor"])
    html = client.get(f"/stakeholders/{world['person'].id}").get_data(as_text=True)
    timeline = html.split('id="history"')[1].split("</section>")[0]
    assert "2026-12-01 01:05" in timeline and "赵编辑" in timeline
    assert "处长" in timeline and "副总经理" in timeline
    assert "老领导" in timeline and "新领导" in timeline  # who moved where
    assert "Influencer" in timeline and "Decision-maker" in timeline


def test_page_edits_are_kept_and_unchanged_saves_add_nothing(app, client, login_as, world):
    login_as(world["editor"])
    data = {"name": "钱主任", "title": "处长", "decision_role": "influencer", "attitude": "support",
            "influence": "high", "layer": "key", "relationship_level": "3",
            "reports_to_id": str(world["old_boss"].id), "primary_owner_id": "0", "notes": ""}
    assert client.post(f"/stakeholders/{world['person'].id}/edit", data=data).status_code == 302
    assert changes(app, world["person"].id) == [
        ("attitude", "neutral", "support"), ("influence", "medium", "high")]
    assert client.post(f"/stakeholders/{world['person'].id}/edit", data=data).status_code == 302
    assert len(changes(app, world["person"].id)) == 2


def test_no_history_yet(client, login_as, world):
    login_as(world["editor"])
    html = client.get(f"/stakeholders/{world['person'].id}").get_data(as_text=True)
    assert "No changes recorded yet." in html.split('id="history"')[1]
