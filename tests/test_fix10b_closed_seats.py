"""Closing an opportunity cancels the project seats recorded ahead (issue 10 fix): a closed opportunity
never shows a pending (待生效 / scheduled) seat, on the page or in the API."""
from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest

from kb import clock
from tests.api_support import world  # noqa: F401  # `world` is a fixture
from tests.test_ltc_api import new_opportunity


def _text(response) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


@pytest.mark.parametrize("status", ["won", "lost", "abandoned"])
def test_closing_cancels_a_seat_recorded_ahead(app, client, world, create_user, login_as, status):
    api = world.api(client, "seated")
    fr = create_user(role="member", name="孙交付")
    opp = new_opportunity(api, world, seats={})  # no triangle formed at opening: only the seat below
    with app.app_context():
        later = (clock.today() + timedelta(days=5)).isoformat()
    assert api.post(f"/opportunities/{opp['id']}/seats", json={"user_id": fr.id, "role": "FR",
                                                                "started_on": later}).status_code == 201
    assert [s["state"] for s in api.get(f"/opportunities/{opp['id']}/seats").get_json()["items"]] == ["scheduled"]
    login_as(world.seated)
    assert "待生效" in _text(client.get(f"/opportunities/{opp['id']}", headers={"Accept-Language": "zh-CN"}))
    assert api.patch(f"/opportunities/{opp['id']}",
                     json={"status": status, "close_reason": "结项"}).status_code == 200
    seats = api.get(f"/opportunities/{opp['id']}/seats").get_json()["items"]
    assert [(s["user_id"], s["state"], s["ended_on"]) for s in seats] == [(fr.id, "ended", later)]
    page = _text(client.get(f"/opportunities/{opp['id']}", headers={"Accept-Language": "zh-CN"}))
    assert "待生效" not in page and "已取消" in page
    english = _text(client.get(f"/opportunities/{opp['id']}", headers={"Accept-Language": "en"}))
    assert "scheduled" not in english and "cancelled" in english


def test_ending_a_seat_refused_shows_the_opportunity_page_with_the_reason(app, client, world, create_user,
                                                                         login_as):
    api = world.api(client, "seated")
    fr = create_user(role="member", name="孙交付")
    opp = new_opportunity(api, world, seats={})  # no triangle formed at opening: only the seat below
    with app.app_context():
        today = clock.today()
    assert api.post(f"/opportunities/{opp['id']}/seats", json={"user_id": fr.id, "role": "FR"}).status_code == 201
    seat = api.get(f"/opportunities/{opp['id']}/seats").get_json()["items"][0]
    login_as(world.seated)
    page = client.post(f"/opportunity-seats/{seat['id']}/end",
                       data={"ended_on": (today - timedelta(days=1)).isoformat()})
    assert page.status_code == 422
    body = _text(page)
    assert opp["name"] in body  # the opportunity page, not a bare error page
    assert (f"A seat cannot end before it starts ({today.isoformat()})." in body
            or f"席位的结束日期不能早于开始日期（{today.isoformat()}）。" in body), body[-600:]
    assert api.get(f"/opportunities/{opp['id']}/seats").get_json()["items"][0]["ended_on"] is None
