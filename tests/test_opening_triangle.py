"""The project iron triangle is formed when an opportunity opens (issue 10 §2): the new-opportunity and
lead-conversion forms and the API seat AR/SR/FR from the opening day, proposed from the account's
customer-group triangle; a cleared role gives no seat; viewers and unknown users are refused."""
from __future__ import annotations

import html
import re
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from kb import clock
from models import OpportunitySeat, SeatRole
from tests.api_support import assert_error, world  # noqa: F401  # `world` is a fixture
from tests.test_watches_service import watches_for

#: 17:30 UTC on 30 Nov is already 1 Dec in Asia/Shanghai (the app's zone): seats start on the user's day.
NOW = datetime(2026, 11, 30, 17, 30, tzinfo=timezone.utc)
USER_DAY = date(2026, 12, 1)


@pytest.fixture
def late_evening(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda zone=None: NOW.astimezone(zone or clock.current_zone()))


@pytest.fixture
def full_group(world, create_user, create_seat):
    """The world's group with SR and FR held too (AR: world.seated)."""
    world.sr = create_user(name="陈方案")
    world.fr = create_user(name="冯交付")
    create_seat(world.group, world.sr, SeatRole.SR)
    create_seat(world.group, world.fr, SeatRole.FR)
    return world


def text(response) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def seats_of(app, opportunity_id):
    with app.app_context():
        from kb.db import session
        rows = session.scalars(select(OpportunitySeat).where(OpportunitySeat.opportunity_id == opportunity_id)
                               .order_by(OpportunitySeat.role)).all()
        return sorted((s.role.value, s.user_id, s.started_on, s.ended_on) for s in rows)


def opp_form(**extra):
    data = {"name": "智慧园区一期", "stage": "validate", "status": "open", "amount": "5000000.00",
            "currency": "CNY", "visibility": "org", "light": "", "key_owner_id": "0"}
    data.update(extra)
    return data


def selected(page: str, field: str) -> str | None:
    select_html = re.search(rf'<select[^>]*name="{field}"[^>]*>(.*?)</select>', page, re.S).group(1)
    chosen = re.search(r'<option[^>]*selected[^>]*value="(\d+)"|<option[^>]*value="(\d+)"[^>]*selected',
                       select_html)
    return next((g for g in chosen.groups() if g), None) if chosen else None


def test_new_opportunity_page_proposes_the_group_triangle_and_seats_it(app, client, full_group, login_as,
                                                                      late_evening):
    w = full_group
    login_as(w.seated)
    page = client.get(f"/accounts/{w.account.id}/opportunities/new").get_data(as_text=True)
    assert (selected(page, "seat_AR"), selected(page, "seat_SR"), selected(page, "seat_FR")) == (
        str(w.seated.id), str(w.sr.id), str(w.fr.id))
    assert f'value="{w.viewer.id}"' not in page  # viewers are never offered
    done = client.post(f"/accounts/{w.account.id}/opportunities/new",
                       data=opp_form(seat_AR=w.seated.id, seat_SR=w.named.id, seat_FR="0"))
    assert done.status_code == 302, text(done)
    opp_id = int(done.headers["Location"].rsplit("/", 1)[1])
    assert seats_of(app, opp_id) == [("AR", w.seated.id, USER_DAY, None), ("SR", w.named.id, USER_DAY, None)]
    shown = text(client.get(f"/opportunities/{opp_id}"))
    assert "王成员" in shown and "尚未组建项目铁三角" not in shown


def test_new_opportunity_page_refuses_a_viewer_on_the_field(app, client, world, login_as):
    login_as(world.seated)
    refused = client.post(f"/accounts/{world.account.id}/opportunities/new",
                          data=opp_form(name="观察者席位", seat_AR=world.viewer.id))
    assert refused.status_code == 422
    message = "钱观察 is a viewer; only members and admins hold seats."
    assert f'id="seat_AR-error-1">{message}' in html.unescape(refused.get_data(as_text=True))  # on the field
    with app.app_context():
        from kb.db import session
        from models import Opportunity
        assert session.scalar(select(Opportunity).where(Opportunity.name == "观察者席位")) is None


def test_lead_conversion_page_forms_the_triangle(app, client, full_group, login_as, late_evening):
    w = full_group
    login_as(w.seated)
    made = client.post(f"/leads/new?account={w.account.id}", data={
        "title": "政企专线升级", "source": "customer_request", "estimated_amount": "1200000", "currency": "CNY",
        "owner_id": "0", "status": "new", "visibility": "org", "budget_confirmed": "y",
        "budget_amount": "900000", "budget_confirmed_on": "2026-10-20"})
    lead_id = int(made.headers["Location"].rsplit("/", 1)[1])
    page = client.get(f"/leads/{lead_id}/convert").get_data(as_text=True)
    assert selected(page, "seat_SR") == str(w.sr.id)
    done = client.post(f"/leads/{lead_id}/convert", data={"name": "专线一期", "seat_AR": w.seated.id,
                                                            "seat_SR": "0", "seat_FR": w.fr.id})
    assert done.status_code == 302, text(done)
    opp_id = int(done.headers["Location"].rsplit("/", 1)[1])
    assert seats_of(app, opp_id) == [("AR", w.seated.id, USER_DAY, None), ("FR", w.fr.id, USER_DAY, None)]


def test_api_without_seats_takes_the_group_holders(app, client, full_group, late_evening):
    w = full_group
    api = w.api(client, "seated")
    response = api.post("/opportunities", json={"account_id": w.account.id, "name": "杭州亚运场馆5G覆盖"})
    assert response.status_code == 201, response.get_json()
    opp_id = response.get_json()["id"]
    assert seats_of(app, opp_id) == [("AR", w.seated.id, USER_DAY, None), ("FR", w.fr.id, USER_DAY, None),
                                     ("SR", w.sr.id, USER_DAY, None)]
    listed = api.get(f"/opportunities/{opp_id}/seats").get_json()
    assert sorted((s["role"], s["started_on"]) for s in listed["items"]) == [
        ("AR", "2026-12-01"), ("FR", "2026-12-01"), ("SR", "2026-12-01")]


def test_api_explicit_and_empty_seats(app, client, full_group):
    w = full_group
    api = w.api(client, "seated")
    chosen = api.post("/opportunities", json={"account_id": w.account.id, "name": "一期",
                                              "seats": {"AR": w.named.id, "SR": None}})
    assert chosen.status_code == 201, chosen.get_json()
    assert [(r, u) for r, u, _s, _e in seats_of(app, chosen.get_json()["id"])] == [("AR", w.named.id)]
    none = api.post("/opportunities", json={"account_id": w.account.id, "name": "二期", "seats": {}})
    assert none.status_code == 201 and seats_of(app, none.get_json()["id"]) == []


@pytest.mark.parametrize("seats, field", [
    ({"AR": "viewer"}, "seats.AR"), ({"SR": 999_999}, "seats.SR"), ({"FR": "x"}, "seats"),
    ({"XR": 1}, "seats"), ([1], "seats")])
def test_api_refuses_bad_seats_naming_the_role(app, client, world, seats, field):
    api = world.api(client, "seated")
    if isinstance(seats, dict) and seats.get("AR") == "viewer":
        seats = {"AR": world.viewer.id}
    response = api.post("/opportunities", json={"account_id": world.account.id, "name": "坏席位",
                                                "seats": seats})
    error = assert_error(response, 422, "seats")
    if "." in field:  # nested under the role, as body errors are
        assert field.split(".")[1] in error["fields"]["seats"]
    if field == "seats.AR":
        assert "钱观察" in error["fields"]["seats"]["AR"]
    with app.app_context():
        from kb.db import session
        from models import Opportunity
        assert session.scalar(select(Opportunity).where(Opportunity.name == "坏席位")) is None


def test_api_conversion_takes_seats(app, client, full_group):
    w = full_group
    api = w.api(client, "seated")
    lead = api.post("/leads", json={"account_id": w.account.id, "title": "5G专网扩容", "budget_confirmed": True,
                                    "budget_amount": "2500000.50", "budget_confirmed_on": "2026-11-01"}).get_json()
    refused = api.post(f"/leads/{lead['id']}/convert", json={"seats": {"FR": w.viewer.id}})
    assert "FR" in assert_error(refused, 422, "seats")["fields"]["seats"]
    assert api.get(f"/leads/{lead['id']}").get_json()["status"] == "new"
    done = api.post(f"/leads/{lead['id']}/convert", json={"seats": {"AR": w.seated.id, "SR": w.sr.id,
                                                                     "FR": w.named.id}})
    assert done.status_code == 201, done.get_json()
    assert [(r, u) for r, u, _s, _e in seats_of(app, done.get_json()["opportunity_id"])] == [
        ("AR", w.seated.id), ("FR", w.named.id), ("SR", w.sr.id)]


def test_openapi_documents_the_seats(client, world):
    api = world.api(client, "seated")
    doc = api.get("/openapi.json").get_json()
    body = doc["paths"]["/opportunities"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    body = doc["components"]["schemas"].get(body["$ref"].rsplit("/", 1)[1], body) if "$ref" in body else body
    assert set(body["properties"]["seats"]["properties"]) == {"AR", "SR", "FR"}
    assert "customer-group" in doc["paths"]["/opportunities"]["post"]["description"]


def test_watches_count_a_new_opportunity_with_three_seats_as_complete(app, client, full_group):
    w = full_group
    api = w.api(client, "seated")
    assert api.post("/opportunities", json={"account_id": w.account.id, "name": "三席齐全"}).status_code == 201
    assert api.post("/opportunities", json={"account_id": w.account.id, "name": "无席位",
                                            "seats": {}}).status_code == 201
    h = watches_for(app, w.seated, group=w.group).health
    assert (h.complete_triangle.count, h.complete_triangle.total) == (1, 2)


def test_chinese_page_names_the_pickers_and_the_viewer_refusal(client, world, login_as):
    login_as(world.seated)
    zh = {"Accept-Language": "zh-CN,zh;q=0.9"}
    page = text(client.get(f"/accounts/{world.account.id}/opportunities/new", headers=zh))
    assert "自商机创建当天起任职。默认带出该客户所属客户群的铁三角，可逐个更改或清空。" in page
    assert "— 不设此岗 —" in page
    refused = client.post(f"/accounts/{world.account.id}/opportunities/new", headers=zh,
                          data=opp_form(seat_FR=world.viewer.id))
    assert refused.status_code == 422
    assert "钱观察 是只读用户；只有成员和管理员可以担任岗位。" in text(refused)
