"""Handover service: each kind of line moves, successors per group/account, dry run changes nothing,
a second run finds nothing left, bad successors are refused, and the record is written."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from kb import clock
from kb.services.errors import PermissionDenied
from models import (
    Account, Handover, HandoverKind, NextStep, SeatRole, Stakeholder, StakeholderOwner, TriangleSeat, User,
    account_member,
)


@pytest.fixture
def world(app, create_user, create_group, create_seat, create_account, create_stakeholder, create_interaction):
    """A leaver (老王) holding one of each kind of thing in two groups; successors; an admin."""
    admin = create_user(role="admin", name="管理员")
    leaver, heir, other = create_user(name="老王"), create_user(name="小李"), create_user(name="小陈")
    north, south = create_group(name="华北客户群"), create_group(name="华南客户群")
    create_seat(north, leaver, SeatRole.AR, started_on=date(2023, 1, 1))
    create_seat(south, leaver, SeatRole.SR, started_on=date(2023, 1, 1))
    a1 = create_account(north, name="北方电信", members=[leaver])
    a2 = create_account(south, name="南方银行")
    s1 = create_stakeholder(a1, name="赵总", owners=[leaver, other])  # leaver primary
    s2 = create_stakeholder(a2, name="钱总", owners=[other, leaver])  # leaver backup
    i1 = create_interaction(a1, next_steps=[{"text": "发送方案", "owner_id": leaver.id},
                                            {"text": "已完成的事", "owner_id": leaver.id, "done": True}])
    return dict(admin=admin, leaver=leaver, heir=heir, other=other, north=north, south=south, a1=a1, a2=a2,
                s1=s1, s2=s2, i1=i1)


def _plan(app, w, actor="admin", to="heir", **kw):
    from kb.services import handover

    with app.test_request_context():
        from kb.db import session

        changes = handover.plan_handover(actor=session.get(User, w[actor].id),
                                         from_user=session.get(User, w["leaver"].id),
                                         to_user=session.get(User, w[to].id), today=clock.today(), **kw)
        return [(c.kind.value, c.record_id, c.account_id, c.customer_group_id, c.to_user_id, c.detail)
                for c in changes]


def _apply(app, w, actor="admin", to="heir", **kw):
    from kb.services import handover

    with app.test_request_context():
        from kb.db import session

        record = handover.apply_handover(actor=session.get(User, w[actor].id),
                                         from_user=session.get(User, w["leaver"].id),
                                         to_user=session.get(User, w[to].id), today=clock.today(), **kw)
        session.commit()
        return record.id


def test_plan_lists_every_kind_grouped_and_changes_nothing(app, world):
    w = world
    lines = _plan(app, w)
    north_seat, south_seat = _seat_ids(app, w["leaver"])
    step_id = _step_id(app, "发送方案")
    assert lines == [
        ("seat", north_seat, None, w["north"].id, w["heir"].id, "AR"),
        ("stakeholder_owner", w["s1"].id, w["a1"].id, w["north"].id, w["heir"].id, "primary"),
        ("next_step", step_id, w["a1"].id, w["north"].id, w["heir"].id, ""),
        ("account_member", w["a1"].id, w["a1"].id, w["north"].id, w["heir"].id, ""),
        ("seat", south_seat, None, w["south"].id, w["heir"].id, "SR"),
        ("stakeholder_owner", w["s2"].id, w["a2"].id, w["south"].id, w["heir"].id, "backup"),
    ]
    assert _plan(app, w) == lines  # planning twice: nothing was changed by the first


def _seat_ids(app, user):
    with app.app_context():
        from kb.db import session

        return list(session.scalars(select(TriangleSeat.id).where(TriangleSeat.user_id == user.id)
                                    .order_by(TriangleSeat.customer_group_id)))


def _step_id(app, text):
    with app.app_context():
        from kb.db import session

        return session.scalar(select(NextStep.id).where(NextStep.text == text))


def test_apply_moves_everything_and_second_run_finds_nothing(app, world):
    w = world
    handover_id = _apply(app, w, note="客户关系都在系统里")
    today = clock.today()
    with app.app_context():
        from kb.db import session

        seats = session.scalars(select(TriangleSeat).order_by(TriangleSeat.customer_group_id, TriangleSeat.id)).all()
        assert [(s.user_id, s.role.value, s.started_on, s.ended_on) for s in seats] == [
            (w["leaver"].id, "AR", date(2023, 1, 1), today), (w["heir"].id, "AR", today, None),
            (w["leaver"].id, "SR", date(2023, 1, 1), today), (w["heir"].id, "SR", today, None)]
        s1 = session.get(Stakeholder, w["s1"].id)
        assert [(o.user_id, o.is_primary) for o in s1.owners] == [(w["heir"].id, True), (w["other"].id, False)]
        assert s1.version == 2
        s2 = session.get(Stakeholder, w["s2"].id)
        assert [(o.user_id, o.is_primary) for o in s2.owners] == [(w["other"].id, True), (w["heir"].id, False)]
        steps = {s.text: s.owner_id for s in session.scalars(select(NextStep))}
        assert steps == {"发送方案": w["heir"].id, "已完成的事": w["leaver"].id}  # done steps stay as they were
        assert [u.id for u in session.get(Account, w["a1"].id).members] == [w["heir"].id]
        record = session.get(Handover, handover_id)
        assert (record.from_user_id, record.to_user_id, record.created_by_id, record.note) == (
            w["leaver"].id, w["heir"].id, w["admin"].id, "客户关系都在系统里")
        assert [c.kind for c in record.changes].count(HandoverKind.SEAT) == 2 and len(record.changes) == 6
        assert session.get(User, w["leaver"].id).active  # not asked to deactivate
    assert _plan(app, w) == []


def test_successor_already_owner_gets_no_duplicate_row_and_takes_primary(app, world, create_stakeholder):
    w = world
    _apply(app, w, to="other")
    with app.app_context():
        from kb.db import session

        rows = session.execute(select(StakeholderOwner.stakeholder_id, StakeholderOwner.user_id,
                                      StakeholderOwner.is_primary).order_by(StakeholderOwner.stakeholder_id)).all()
        assert rows == [(w["s1"].id, w["other"].id, True), (w["s2"].id, w["other"].id, True)]


def test_overrides_per_group_and_per_account(app, world):
    w = world
    from kb.db import session

    with app.app_context():
        other = session.get(User, w["other"].id)
        lines = _plan(app, w, by_group={w["south"].id: other})
    assert {(kind, to) for kind, _, _, group, to, _ in lines if group == w["south"].id} == {
        ("seat", w["other"].id), ("stakeholder_owner", w["other"].id)}
    assert {to for *_, group, to, _ in lines if group == w["north"].id} == {w["heir"].id}
    with app.app_context():
        other = session.get(User, w["other"].id)
        lines = _plan(app, w, by_account={w["a1"].id: other})
    # the account's lines go to the override; the north seat (a group's, not an account's) does not
    assert {(kind, to) for kind, _, account, _, to, _ in lines if account == w["a1"].id} == {
        ("stakeholder_owner", w["other"].id), ("next_step", w["other"].id), ("account_member", w["other"].id)}
    assert [to for kind, *_, group, to, _ in lines if kind == "seat" and group == w["north"].id] == [w["heir"].id]


def test_dry_run_then_only_one_group(app, world):
    w = world
    lines = _plan(app, w, customer_group_id=w["south"].id)
    assert {group for *_, group, _, _ in lines} == {w["south"].id} and len(lines) == 2


@pytest.mark.parametrize("successor, message", [
    ("leaver", "someone other than"), ("inactive", "deactivated"), ("viewer", "viewer")])
def test_bad_successors_are_refused(app, world, create_user, successor, message):
    w = dict(world, inactive=create_user(active=False), viewer=create_user(role="viewer"))
    from kb.services.handover import HandoverError

    with pytest.raises(HandoverError) as exc:
        _plan(app, w, to=successor)
    assert message in exc.value.message and "to_user_id" in exc.value.fields


def test_nothing_held_is_a_clear_refusal(app, world, create_user):
    w = dict(world, leaver=create_user(name="新人"))
    from kb.services.handover import HandoverError

    assert _plan(app, w) == []
    with pytest.raises(HandoverError) as exc:
        _apply(app, w)
    assert "新人 holds nothing you can hand over." == exc.value.message


def test_scheduled_seat_goes_to_successor_from_its_own_day(app, world, create_seat):
    w = world
    later = clock.today() + timedelta(days=30)
    with app.app_context():
        from kb.db import session

        seat = session.scalars(select(TriangleSeat).where(TriangleSeat.user_id == w["leaver"].id,
                                                         TriangleSeat.role == SeatRole.AR)).one()
        seat.ended_on = later  # someone else takes AR in 30 days: the heir holds it until then
        session.commit()
    _apply(app, w)
    with app.app_context():
        from kb.db import session

        heir_ar = session.scalars(select(TriangleSeat).where(TriangleSeat.user_id == w["heir"].id,
                                                            TriangleSeat.role == SeatRole.AR)).one()
        assert (heir_ar.started_on, heir_ar.ended_on) == (clock.today(), later)


def test_deactivating_the_leaver_ends_their_sessions(app, world):
    w = world
    with app.app_context():
        from kb.db import session

        token_before = session.get(User, w["leaver"].id).session_token
    handover_id = _apply(app, w, deactivate_from=True)
    with app.app_context():
        from kb.db import session

        leaver = session.get(User, w["leaver"].id)
        assert not leaver.active and leaver.session_token != token_before
        assert session.get(Handover, handover_id).deactivated_from is True


def test_group_ar_hands_over_only_their_group(app, world, create_user):
    w = dict(world, ar=create_user(name="华北AR"))
    # the AR of the south group (the leaver is south's SR); north's AR is the leaver himself
    with app.app_context():
        from kb.db import session

        session.add(TriangleSeat(customer_group_id=w["south"].id, user_id=w["ar"].id, role=SeatRole.AR,
                                 started_on=date(2023, 1, 1)))
        session.commit()
    lines = _plan(app, w, actor="ar")
    assert lines and {group for *_, group, _, _ in lines} == {w["south"].id}  # north is not listed
    with pytest.raises(PermissionDenied):
        _plan(app, w, actor="ar", customer_group_id=w["north"].id)
    with app.app_context():
        from kb.db import session

        other = session.get(User, w["other"].id)
        with pytest.raises(PermissionDenied):
            _plan(app, w, actor="ar", by_account={w["a1"].id: other})
    with pytest.raises(PermissionDenied):
        _apply(app, w, actor="ar", deactivate_from=True)
    _apply(app, w, actor="ar")
    with app.app_context():
        from kb.db import session

        assert session.scalar(select(account_member.c.user_id).where(account_member.c.account_id == w["a1"].id)) \
            == w["leaver"].id  # north's membership untouched


@pytest.mark.parametrize("actor", ["leaver_member", "viewer"])
def test_members_and_viewers_may_not_hand_over(app, world, create_user, actor):
    w = dict(world, leaver_member=create_user(name="普通成员"), viewer=create_user(role="viewer"))
    with pytest.raises(PermissionDenied):
        _plan(app, w, actor=actor)
