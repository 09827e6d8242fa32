"""One definition of "seat in force": a rotation recorded a month ahead happens on its day, everywhere.

Before the day the leaving AR edits, is shown as holder, has the account on their home page ("my
accounts": how people learn what is theirs) and reads its team-only notes; the arriving AR is shown as
*scheduled* only. On the day it flips. The clock is frozen with time-machine.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timezone

import pytest
import time_machine
from sqlalchemy import select

from models import SeatRole, SeatState, TriangleSeat, Visibility
from tests.api_support import Api, make_token

TYPED_ON = datetime(2026, 11, 29, 3, 0, tzinfo=timezone.utc)
HANDOVER = date(2026, 12, 29)
ON_THE_DAY = datetime(2026, 12, 29, 3, 0, tzinfo=timezone.utc)


@pytest.fixture
def rotation(app, create_user, create_group, create_seat, create_account, create_interaction):
    """Group with AR 林离任 until HANDOVER and AR 葛接任 from HANDOVER (recorded a month ahead)."""
    leaving = create_user("member", name="林离任")
    arriving = create_user("member", name="葛接任")
    group = create_group(name="华北能源客户群")
    create_seat(group, leaving, SeatRole.AR, started_on=date(2024, 1, 1), ended_on=HANDOVER)
    create_seat(group, arriving, SeatRole.AR, started_on=HANDOVER)
    account = create_account(group, name="国家电网华北分部")
    create_interaction(account, visibility=Visibility.TEAM, summary="仅团队可见的纪要：预算八百万")
    return {"leaving": leaving, "arriving": arriving, "group": group, "account": account,
            "tokens": {"leaving": make_token(app, leaving), "arriving": make_token(app, arriving)}}


def _holder(html: str, role: str = "AR") -> str:
    """The text of the holder box of `role` in a triangle."""
    box = html.split(f'data-role="{role}"', 1)[1]
    return re.search(r'<div class="holder[^"]*">([^<]*)</div>', box).group(1).strip()


def _scheduled(html: str, role: str = "AR") -> str:
    box = html.split(f'data-role="{role}"', 1)[1].split('data-role="', 1)[0]
    match = re.search(r'<div class="scheduled[^"]*">(.*?)</div>', box, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)) if match else ""


def _edit_status(client, login_as, user, account) -> int:
    login_as(user)
    return client.get(f"/accounts/{account.id}/edit").status_code


def test_before_the_day_the_leaving_ar_still_holds_the_seat(client, login_as, rotation):
    r = rotation
    with time_machine.travel(TYPED_ON, tick=False):
        assert _edit_status(client, login_as, r["leaving"], r["account"]) == 200
        assert _edit_status(client, login_as, r["arriving"], r["account"]) == 403

        page = client.get(f"/accounts/{r['account'].id}").get_data(as_text=True)
        assert _holder(page) == "林离任"
        assert "葛接任" in _scheduled(page) and "2026-12-29" in _scheduled(page)

        group_page = client.get(f"/groups/{r['group'].id}").get_data(as_text=True)
        assert _holder(group_page) == "林离任"
        assert "葛接任" in _scheduled(group_page)

        home = client.get("/").get_data(as_text=True)  # signed in as the arriving AR
        assert "国家电网华北分部" not in home
        assert "预算八百万" not in client.get(f"/accounts/{r['account'].id}").get_data(as_text=True)
        login_as(r["leaving"])
        assert "国家电网华北分部" in client.get("/").get_data(as_text=True)


def test_on_the_day_the_arriving_ar_takes_over(client, login_as, rotation):
    r = rotation
    with time_machine.travel(ON_THE_DAY, tick=False):
        assert _edit_status(client, login_as, r["leaving"], r["account"]) == 403
        assert "国家电网华北分部" not in client.get("/").get_data(as_text=True)

        assert _edit_status(client, login_as, r["arriving"], r["account"]) == 200
        assert "国家电网华北分部" in client.get("/").get_data(as_text=True)
        page = client.get(f"/accounts/{r['account'].id}").get_data(as_text=True)
        assert _holder(page) == "葛接任" and _scheduled(page) == ""
        assert "预算八百万" in page


def test_the_api_shows_the_scheduled_seat_apart_and_flips_on_the_day(client, rotation):
    r = rotation
    api = Api(client, r["tokens"]["arriving"])
    with time_machine.travel(TYPED_ON, tick=False):
        body = api.get(f"/customer-groups/{r['group'].id}").get_json()
        assert [s["user_id"] for s in body["current_seats"]] == [r["leaving"].id]
        assert [(s["user_id"], s["state"]) for s in body["scheduled_seats"]] == [(r["arriving"].id, "scheduled")]
        refused = api.patch(f"/accounts/{r['account'].id}", json={"region": "华北"})
        assert refused.status_code == 403
    with time_machine.travel(ON_THE_DAY, tick=False):
        body = api.get(f"/customer-groups/{r['group'].id}").get_json()
        assert [s["user_id"] for s in body["current_seats"]] == [r["arriving"].id]
        assert body["scheduled_seats"] == []
        assert [(s["user_id"], s["state"]) for s in body["past_seats"]] == [(r["leaving"].id, "ended")]
        assert api.patch(f"/accounts/{r['account'].id}", json={"region": "华北"}).status_code == 200


def test_arriving_ar_cannot_create_accounts_in_the_group_before_the_day(client, login_as, rotation):
    r = rotation
    form = {"name": "新客户", "tier": "key", "coverage": "direct", "customer_group_id": str(r["group"].id)}
    with time_machine.travel(TYPED_ON, tick=False):
        login_as(r["arriving"])
        assert client.get("/accounts/new").status_code == 403  # no seat in force anywhere yet
        assert "/accounts/new" not in client.get("/accounts").get_data(as_text=True)
        assert client.post("/accounts/new", data=form).status_code == 403
    with time_machine.travel(ON_THE_DAY, tick=False):
        login_as(r["arriving"])
        created = client.post("/accounts/new", data=form)
        assert created.status_code == 302
        assert client.get(created.headers["Location"] + "/edit").status_code == 200


def test_a_role_filled_only_ahead_is_a_coverage_gap_until_its_day(app, create_user, create_group, create_seat):
    from kb.db import session
    from kb.services.coverage import coverage_gaps
    from models import CustomerGroup

    group = create_group()
    create_seat(group, create_user("member"), SeatRole.SR, started_on=HANDOVER)
    with app.app_context():
        loaded = session.get(CustomerGroup, group.id)
        before = {(g.role, g.kind) for g in coverage_gaps(loaded, today=date(2026, 11, 29))}
        after = {(g.role, g.kind) for g in coverage_gaps(loaded, today=HANDOVER)}
    assert (SeatRole.SR, "vacant") in before
    assert (SeatRole.SR, "vacant") not in after


@pytest.mark.parametrize("day, state", [
    (date(2026, 12, 28), SeatState.SCHEDULED),
    (date(2026, 12, 29), SeatState.IN_FORCE),
    (date(2027, 3, 30), SeatState.IN_FORCE),
    (date(2027, 3, 31), SeatState.ENDED),   # the end date itself is no longer in force
    (date(2027, 6, 1), SeatState.ENDED),
])
def test_in_force_is_the_same_in_python_and_in_sql(app, create_user, create_group, create_seat, day, state):
    from kb.db import session

    seat = create_seat(create_group(), create_user("member"), SeatRole.FR, started_on=HANDOVER,
                       ended_on=date(2027, 3, 31))
    with app.app_context():
        loaded = session.get(TriangleSeat, seat.id)
        assert loaded.state_on(day) == state
        for check, expected in ((TriangleSeat.in_force, SeatState.IN_FORCE),
                                (TriangleSeat.scheduled_on, SeatState.SCHEDULED)):
            in_sql = session.scalar(select(TriangleSeat.id).where(TriangleSeat.id == seat.id, check(day)))
            assert getattr(loaded, check.__name__)(day) is (state == expected) is (in_sql is not None)


def test_a_seat_ended_on_its_start_day_is_never_in_force_nor_scheduled(app, create_user, create_group,
                                                                       create_seat):
    from kb.db import session

    seat = create_seat(create_group(), create_user("member"), SeatRole.FR, started_on=HANDOVER,
                       ended_on=HANDOVER)
    with app.app_context():
        loaded = session.get(TriangleSeat, seat.id)
        for day in (date(2026, 11, 29), HANDOVER, date(2027, 1, 1)):
            assert loaded.state_on(day) == SeatState.ENDED


def test_an_admin_cancels_a_scheduled_seat_by_ending_it_on_its_start_day(client, login_as, app, rotation,
                                                                         create_user):
    r = rotation
    admin = create_user("admin")
    with time_machine.travel(TYPED_ON, tick=False):
        from kb.db import session

        login_as(admin)

        with app.app_context():
            seat_id = session.scalar(select(TriangleSeat.id).where(TriangleSeat.user_id == r["arriving"].id))
        page = client.get(f"/groups/{r['group'].id}").get_data(as_text=True)
        assert f"/seats/{seat_id}/end" in page
        ended = client.post(f"/groups/{r['group'].id}/seats/{seat_id}/end", data={"ended_on": "2026-12-29"})
        assert ended.status_code == 302
        assert _scheduled(client.get(f"/groups/{r['group'].id}").get_data(as_text=True)) == ""
    with time_machine.travel(ON_THE_DAY, tick=False):
        login_as(r["arriving"])
        assert client.get(f"/accounts/{r['account'].id}/edit").status_code == 403  # never in force
