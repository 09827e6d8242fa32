"""Triangle seats: the rotation form preselects nobody, and ending a seat asks first."""
from __future__ import annotations

import re
from datetime import date

import pytest

from models import SeatRole


@pytest.fixture
def admin(client, create_user):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return create_user(role="admin", name="管理员")


def test_rotation_form_preselects_nobody(client, login_as, admin, create_user, create_group, create_seat):
    busy = create_user(name="阿方案")  # first by name, already SR in another group
    create_seat(create_group(), busy, SeatRole.SR, started_on=date(2024, 1, 1))
    group = create_group()
    login_as(admin)
    html = client.get(f"/groups/{group.id}/seats?role=SR").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="user_id".*?</select>', html, re.S).group(0)
    first = re.search(r"<option[^>]*>([^<]*)</option>", select)
    assert first.group(1) == "— Choose a person —" and 'value="0"' in first.group(0)
    assert " selected" not in select
    # sending the placeholder is refused with the field's message; nothing changes
    response = client.post(f"/groups/{group.id}/seats", data={"role": "SR", "user_id": "0",
                                                                "started_on": "2025-07-01"})
    assert response.status_code == 422
    assert "Choose who takes the seat." in response.get_data(as_text=True)


def test_ending_a_seat_asks_for_confirmation(client, login_as, admin, create_user, create_group, create_seat):
    group = create_group()
    create_seat(group, create_user(name="王交付"), SeatRole.FR, started_on=date(2024, 1, 1))
    login_as(admin)
    html = client.get(f"/groups/{group.id}").get_data(as_text=True)
    form = re.search(r'<form[^>]*class="end-seat"[^>]*>', html, re.S).group(0)
    assert 'data-confirm="End the FR seat of 王交付 on the date chosen? The role becomes vacant."' in form
