"""Rotating a seat on the group page can hand over the outgoing holder's relationships in that group."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from kb import clock
from models import Handover, NextStep, SeatRole, StakeholderOwner


def _rotate(client, group, user, **extra):
    data = {"role": "AR", "user_id": user.id, "started_on": clock.today().isoformat(), "note": "组织调整"}
    data.update(extra)
    return client.post(f"/groups/{group.id}/seats", data=data)


def _setup(create_user, create_group, create_seat, create_account, create_stakeholder, create_interaction):
    old, new = create_user(name="老客户经理"), create_user(name="新客户经理")
    group, elsewhere = create_group(name="华北客户群"), create_group(name="华南客户群")
    create_seat(group, old, SeatRole.AR, started_on=date(2023, 3, 1))
    here, there = create_account(group, name="北方电信"), create_account(elsewhere, name="南方银行")
    mine = create_stakeholder(here, name="赵总", owners=[old])
    other = create_stakeholder(there, name="钱总", owners=[old])
    create_interaction(here, next_steps=[{"text": "回访赵总", "owner_id": old.id}])
    return old, new, group, mine, other


def test_checkbox_hands_over_the_group_relationships_in_the_same_step(
        client, app, login_as, create_user, create_group, create_seat, create_account, create_stakeholder,
        create_interaction):
    old, new, group, mine, other = _setup(create_user, create_group, create_seat, create_account,
                                          create_stakeholder, create_interaction)
    login_as(create_user(role="admin"))
    form = client.get(f"/groups/{group.id}/seats").get_data(as_text=True)
    assert "Hand over the outgoing holder" in form and "relationships in this group" in form
    response = _rotate(client, group, new, hand_over="y")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Handed over: 2 changes." in page
    with app.app_context():
        from kb.db import session

        owners = dict(session.execute(select(StakeholderOwner.stakeholder_id, StakeholderOwner.user_id)).all())
        assert owners == {mine.id: new.id, other.id: old.id}  # the other group's relationship stays
        assert session.scalar(select(NextStep.owner_id)) == new.id
        record = session.scalars(select(Handover)).one()
        assert (record.from_user_id, record.to_user_id, record.note) == (old.id, new.id, "组织调整")
        assert {c.kind.value for c in record.changes} == {"stakeholder_owner", "next_step"}


def test_without_the_checkbox_only_the_seat_rotates(
        client, app, login_as, create_user, create_group, create_seat, create_account, create_stakeholder,
        create_interaction):
    old, new, group, mine, _ = _setup(create_user, create_group, create_seat, create_account,
                                      create_stakeholder, create_interaction)
    login_as(create_user(role="admin"))
    assert _rotate(client, group, new).status_code == 302
    with app.app_context():
        from kb.db import session

        assert session.scalar(select(StakeholderOwner.user_id).where(
            StakeholderOwner.stakeholder_id == mine.id)) == old.id
        assert session.scalar(select(Handover.id)) is None
