"""Handover moves project-triangle seats (issue 10 §7 / issue 8 §1): the leaver's seats on open opportunities
end today and the successor's start today, history kept; closed opportunities are left alone; the
per-account choice applies by the opportunity's account; shown in the preview, the record, the API and the
successor's brief."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from kb import clock
from models import HandoverChange, OpportunitySeat, SeatRole
from tests.api_support import Api, make_token

OPENED = date(2026, 1, 5)


@pytest.fixture
def w(app, client, create_user, create_group, create_seat, create_account):
    admin = create_user(role="admin", name="管理员")
    leaver, heir, other = create_user(name="老王"), create_user(name="小李"), create_user(name="小陈")
    group = create_group(name="华北客户群", name_en="North")
    create_seat(group, admin, SeatRole.AR, started_on=date(2023, 1, 1))
    a1, a2 = create_account(group, name="北方电信"), create_account(group, name="北方银行")
    tokens = {k: make_token(app, u) for k, u in dict(admin=admin, heir=heir, leaver=leaver).items()}
    team = Api(client, tokens["admin"])

    def opportunity(account, name, **kw):
        body = team.post("/opportunities", json={"account_id": account.id, "name": name, "seats": {},
                                                 **kw}).get_json()
        seat = team.post(f"/opportunities/{body['id']}/seats", json={"user_id": leaver.id, "role": "SR"})
        assert seat.status_code == 201, seat.get_json()
        with app.app_context():  # opened and seated in January
            from kb.db import session
            from models import Opportunity

            session.get(Opportunity, body["id"]).opened_on = OPENED
            session.get(OpportunitySeat, seat.get_json()["id"]).started_on = OPENED
            session.commit()
        return body["id"]

    open1 = opportunity(a1, "核心网扩容", visibility="team")
    open2 = opportunity(a2, "数据中心")
    closed = opportunity(a1, "已丢单项目")
    lost = team.patch(f"/opportunities/{closed}", json={"status": "lost", "close_reason": "价格"})
    assert lost.status_code == 200, lost.get_json()
    return dict(admin=admin, leaver=leaver, heir=heir, other=other, group=group, a1=a1, a2=a2, open1=open1,
                open2=open2, closed=closed, tokens=tokens, team=team)


def _seats(app, opportunity_id):
    with app.app_context():
        from kb.db import session

        rows = session.scalars(select(OpportunitySeat).where(OpportunitySeat.opportunity_id == opportunity_id)
                               .order_by(OpportunitySeat.id))
        return [(s.user_id, s.role.value, s.started_on, s.ended_on) for s in rows]


def test_apply_moves_open_project_seats_keeps_history_and_leaves_closed_ones(app, client, w):
    closed_before = _seats(app, w["closed"])
    response = w["team"].post("/handovers", json={
        "from_user_id": w["leaver"].id, "to_user_id": w["heir"].id,
        "assignments": [{"account_id": w["a2"].id, "to_user_id": w["other"].id}]})
    assert response.status_code == 201, response.get_json()
    changes = response.get_json()["changes"]
    lines = {(c["kind"], c["account_id"], c["to_user_id"], c["detail"]) for c in changes}
    assert lines == {("project_seat", w["a1"].id, w["heir"].id, "SR"),
                     ("project_seat", w["a2"].id, w["other"].id, "SR")}
    today = clock.today()
    start = OPENED
    leaver = (w["leaver"].id, "SR", start, today)
    assert _seats(app, w["open1"]) == [leaver, (w["heir"].id, "SR", today, None)]
    assert _seats(app, w["open2"]) == [leaver, (w["other"].id, "SR", today, None)]
    assert _seats(app, w["closed"]) == closed_before  # a closed opportunity's triangle has ended already
    # the successor now reads (and edits) the team-only opportunity; the leaver no longer does
    heir = Api(client, w["tokens"]["heir"])
    assert heir.get(f"/opportunities/{w['open1']}").status_code == 200
    assert heir.patch(f"/opportunities/{w['open1']}", json={"win_probability": 60}).status_code == 200
    assert Api(client, w["tokens"]["leaver"]).get(f"/opportunities/{w['open1']}").status_code == 404


def test_dry_run_lists_project_seats_and_changes_nothing(app, w):
    before = _seats(app, w["open1"])
    body = w["team"].post("/handovers", json={"from_user_id": w["leaver"].id, "to_user_id": w["heir"].id,
                                              "dry_run": True}).get_json()
    assert [c["kind"] for c in body["changes"]] == ["project_seat", "project_seat"]
    assert _seats(app, w["open1"]) == before
    with app.app_context():
        from kb.db import session

        assert session.scalar(select(HandoverChange.id)) is None


def test_successor_already_on_the_seat_gets_no_second_one(app, w):
    with app.app_context():  # the heir already sits beside the leaver as SR
        from kb.db import session

        session.add(OpportunitySeat(opportunity_id=w["open2"], user_id=w["heir"].id, role=SeatRole.SR,
                                    started_on=OPENED))
        session.commit()
    response = w["team"].post("/handovers", json={"from_user_id": w["leaver"].id, "to_user_id": w["heir"].id})
    assert response.status_code == 201
    assert _seats(app, w["open2"]) == [(w["leaver"].id, "SR", OPENED, clock.today()),
                                       (w["heir"].id, "SR", OPENED, None)]


def test_preview_record_and_brief_show_the_opportunities(app, client, login_as, w):
    login_as(w["admin"])
    form = {"from_user_id": w["leaver"].id, "to_user_id": w["heir"].id, "note": "", "action": "preview"}
    page = client.post("/handovers/new", data=form).get_data(as_text=True)
    preview = page.split('id="preview"', 1)[1]
    rows = re.findall(r'<tr data-kind="(\w+)">(.*?)</tr>', preview, re.S)
    assert [kind for kind, _ in rows] == ["project_seat", "project_seat"]
    assert any("核心网扩容" in cells and "Project triangle seat" in cells for _, cells in rows)
    assert "已丢单项目" not in preview
    done = client.post("/handovers/new", data=dict(form, action="apply"))
    assert done.status_code == 302
    record = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "核心网扩容" in record and "数据中心" in record
    login_as(w["heir"])
    brief = client.get(done.headers["Location"] + "/brief").get_data(as_text=True)
    assert "Opportunities whose project triangle you join" in brief
    assert "核心网扩容" in brief and "数据中心" in brief and "已丢单项目" not in brief
