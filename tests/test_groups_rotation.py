"""Rotating iron-triangle seats: history is kept, refusals are explained, team rights follow the seat."""
from __future__ import annotations

from datetime import date, timedelta

import re

import pytest
from sqlalchemy import select

from kb import clock
from models import SeatRole, TriangleSeat, User


@pytest.fixture
def admin(create_user):
    return create_user(role="admin", name="管理员")


def _seats(app, group):
    with app.app_context():
        from kb.db import session

        seats = list(session.scalars(select(TriangleSeat).where(TriangleSeat.customer_group_id == group.id)
                                     .order_by(TriangleSeat.started_on, TriangleSeat.id)))
        session.expunge_all()
        return seats


def _rotate(client, group, user, role="AR", started_on="2025-07-01", note=""):
    return client.post(f"/groups/{group.id}/seats", data={
        "role": role, "user_id": user.id if isinstance(user, User) else user, "started_on": started_on,
        "note": note})


def test_rotation_keeps_history_and_page_shows_both_holders(
        client, login_as, admin, create_user, create_group, create_seat, app):
    old, new = create_user(name="老客户经理"), create_user(name="新客户经理")
    group = create_group(name="华北政企客户群")
    create_seat(group, old, SeatRole.AR, started_on=date(2023, 3, 1))
    login_as(admin)
    response = _rotate(client, group, new, started_on="2025-07-01", note="组织调整后交接")
    assert response.status_code == 302
    assert "新客户经理" in client.get(response.headers["Location"]).get_data(as_text=True)  # flash

    seats = _seats(app, group)
    assert [(s.user_id, s.started_on, s.ended_on) for s in seats] == [
        (old.id, date(2023, 3, 1), date(2025, 7, 1)),
        (new.id, date(2025, 7, 1), None),
    ]
    assert seats[1].created_by_id == admin.id and seats[1].note == "组织调整后交接"

    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    triangle = page.split('class="triangle"', 1)[1].split("</section>", 1)[0]
    assert "新客户经理" in triangle and "老客户经理" not in triangle
    history = page.split('data-role="AR"', 2)[2].split("</table>", 1)[0]
    assert "老客户经理" in history and "新客户经理" in history
    assert "2023-03-01" in history and history.count("2025-07-01") == 2  # new start and old end
    assert "组织调整后交接" in history and "管理员" in history


def test_rotating_into_a_vacant_role(client, login_as, admin, create_user, create_group, app):
    group = create_group()
    fr = create_user(name="交付经理")
    login_as(admin)
    assert _rotate(client, group, fr, role="FR", started_on="2024-01-01").status_code == 302
    assert [(s.role, s.user_id, s.ended_on) for s in _seats(app, group)] == [(SeatRole.FR, fr.id, None)]


def test_user_may_hold_seats_in_several_groups(client, login_as, admin, create_user, create_group, app):
    person = create_user(name="跨群经理")
    first, second = create_group(), create_group()
    login_as(admin)
    assert _rotate(client, first, person, role="AR").status_code == 302
    assert _rotate(client, second, person, role="SR").status_code == 302
    assert len(_seats(app, first)) == len(_seats(app, second)) == 1


def test_default_start_date_is_today(client, login_as, admin, create_user, create_group, app):
    group = create_group()
    login_as(admin)
    form_page = client.get(f"/groups/{group.id}/seats").get_data(as_text=True)
    assert f'value="{clock.today().isoformat()}"' in form_page
    assert client.post(f"/groups/{group.id}/seats", data={"role": "SR", "user_id": create_user().id,
                                                          "started_on": clock.today().isoformat()}).status_code == 302
    assert _seats(app, group)[0].started_on == clock.today()


def _field_errors(body: str) -> dict[str, str]:
    """Field id → its error text(s), as the `field()` macro renders them."""
    blocks = re.findall(r'<div class="field[^"]*has-error">\s*<label class="label" for="(\w+)".*?</div>', body, re.S)
    texts = re.findall(r'<div class="field[^"]*has-error">.*?</div>', body, re.S)
    return {name: " ".join(re.findall(r'class="error"[^>]*>([^<]*)<', text)) for name, text in zip(blocks, texts)}


REFUSALS = [
    # (case, field, message); built-in WTForms messages are translated, so only the field is checked.
    ("same_holder", "user_id", "already holds this seat"),
    ("before_current_start", "started_on", "cannot start before the current holder's start (2024-06-01)"),
    ("viewer", "user_id", "is a viewer; only members and admins hold seats"),
    ("inactive", "user_id", "is deactivated and cannot hold a seat"),
    ("too_far_ahead", "started_on", "at most one year ahead"),
    ("unknown_user", "user_id", "Choose who takes the seat."),
    ("bad_role", "role", ""),
    ("bad_date", "started_on", ""),
    ("long_note", "note", "At most 500 characters."),
]


@pytest.mark.parametrize("case, field, message", REFUSALS, ids=[c[0] for c in REFUSALS])
def test_refused_rotations_explain_why_and_change_nothing(
        client, login_as, admin, create_user, create_group, create_seat, app, case, field, message):
    holder = create_user(name="现任")
    group = create_group()
    create_seat(group, holder, SeatRole.AR, started_on=date(2024, 6, 1))
    data = {"role": "AR", "user_id": create_user().id, "started_on": "2025-01-01", "note": ""}
    if case == "same_holder":
        data["user_id"] = holder.id
    elif case == "before_current_start":
        data["started_on"] = "2024-05-31"
    elif case == "viewer":
        data["user_id"] = create_user(role="viewer").id
    elif case == "inactive":
        data["user_id"] = create_user(active=False).id
    elif case == "too_far_ahead":
        data["started_on"] = (clock.today() + timedelta(days=400)).isoformat()
    elif case == "unknown_user":
        data["user_id"] = 9999
    elif case == "bad_role":
        data["role"] = "CEO"
    elif case == "bad_date":
        data["started_on"] = "31.12.2025"
    elif case == "long_note":
        data["note"] = "长" * 501
    login_as(admin)
    response = client.post(f"/groups/{group.id}/seats", data=data)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    errors = _field_errors(body)
    assert list(errors) == [field]
    assert errors[field] and message in errors[field].replace("&#39;", "'")
    assert "The seat was not changed." in body
    assert [(s.user_id, s.ended_on) for s in _seats(app, group)] == [(holder.id, None)]


def test_rotating_away_removes_edit_rights_on_group_accounts(
        client, login_as, admin, create_user, create_group, create_seat, create_account, app):
    old, new = create_user(name="老AR"), create_user(name="新AR")
    group = create_group()
    account = create_account(group=group)
    create_seat(group, old, SeatRole.AR, started_on=date(2023, 1, 1))

    def may_edit(user):
        from kb import policy
        from kb.db import session

        with app.app_context():
            return policy.may_edit_account(session.get(User, user.id), account.id)

    assert may_edit(old) and not may_edit(new)
    login_as(admin)
    assert _rotate(client, group, new, started_on="2025-01-01").status_code == 302
    assert not may_edit(old) and may_edit(new)
    login_as(old)
    assert client.get(f"/accounts/{account.id}/edit").status_code == 403
    login_as(new)
    assert client.get(f"/accounts/{account.id}/edit").status_code == 200


def test_ending_a_seat_leaves_role_vacant_and_keeps_history(
        client, login_as, admin, create_user, create_group, create_seat, app):
    holder = create_user(name="离任方案经理")
    group = create_group()
    seat = create_seat(group, holder, SeatRole.SR, started_on=date(2024, 1, 1))
    login_as(admin)
    response = client.post(f"/groups/{group.id}/seats/{seat.id}/end", data={"ended_on": "2025-02-01"})
    assert response.status_code == 302
    assert [(s.user_id, s.ended_on) for s in _seats(app, group)] == [(holder.id, date(2025, 2, 1))]
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "SR · Solution responsible is vacant." in page
    assert "离任方案经理" in page.split('data-role="SR"', 2)[2]  # still in the history
    # ending it again, or before its start, is refused with a message
    again = client.post(f"/groups/{group.id}/seats/{seat.id}/end", data={"ended_on": "2025-03-01"})
    assert again.status_code == 422 and "already ended" in again.get_data(as_text=True)


def test_end_date_before_start_is_refused(client, login_as, admin, create_user, create_group, create_seat, app):
    group = create_group()
    seat = create_seat(group, create_user(), SeatRole.FR, started_on=date(2024, 6, 1))
    login_as(admin)
    response = client.post(f"/groups/{group.id}/seats/{seat.id}/end", data={"ended_on": "2024-05-01"})
    assert response.status_code == 422
    assert "cannot be before the seat&#39;s start (2024-06-01)" in response.get_data(as_text=True)
    assert _seats(app, group)[0].ended_on is None


def test_scheduled_rotation_shows_its_start_date(client, login_as, admin, create_user, create_group, app):
    group = create_group()
    later = (clock.today() + timedelta(days=30)).isoformat()
    login_as(admin)
    assert _rotate(client, group, create_user(name="下月到岗"), role="SR", started_on=later).status_code == 302
    triangle = client.get(f"/groups/{group.id}").get_data(as_text=True).split('class="triangle"', 1)[1]
    assert "下月到岗" in triangle and f"starts {later}" in triangle
