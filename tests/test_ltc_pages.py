"""Lead to Cash pages (issue 10 §1–3, §7): the conversion rule on the page, opportunity page with computed
stage durations and the project triangle, closing ends the triangle, who may edit, and what a reader
outside the team never sees (lists, pages, the account page's panel, search)."""
from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from kb import clock
from models import Lead, LeadStatus, Opportunity, OpportunitySeat, OpportunityStatus
from tests.api_support import world  # noqa: F401  # `world` is a fixture
from tests.search_support import find, keys


def text(response) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def lead_form(**extra):
    data = {"title": "政企专线升级", "source": "customer_request", "estimated_amount": "1200000", "currency": "CNY",
            "owner_id": "0", "status": "new", "visibility": "org"}
    data.update(extra)
    return data


def opp_form(**extra):
    data = {"name": "智慧园区一期", "stage": "validate", "status": "open", "amount": "5000000.00", "currency": "CNY",
            "visibility": "org", "light": "", "key_owner_id": "0"}
    data.update(extra)
    return data


def make_opportunity(app, world, name="智慧园区一期", visibility="org", **fields):
    with app.test_request_context():
        from kb.db import session
        from kb.services.opportunities import create_opportunity
        from models import Account, User

        opp = create_opportunity(account=session.get(Account, world.account.id),
                                 author=session.get(User, world.seated.id), name=name, visibility=visibility,
                                 **fields)
        session.commit()
        return opp.id


def test_lead_page_create_then_convert_refused_without_budget(client, world, login_as):
    login_as(world.seated)
    response = client.post(f"/leads/new?account={world.account.id}", data=lead_form())
    assert response.status_code == 302
    lead_url = response.headers["Location"]
    lead_id = int(lead_url.rsplit("/", 1)[1])
    page = client.get(f"/leads/{lead_id}/convert")
    assert "has not confirmed an investment budget" in text(page)
    refused = client.post(f"/leads/{lead_id}/convert", data={"name": "专线一期"})
    assert refused.status_code == 422
    assert "has not confirmed an investment budget" in text(refused)
    assert client.get(f"/api/v1/leads/{lead_id}").get_json()["status"] == "new"


def test_lead_with_confirmed_budget_converts_on_the_page(app, client, world, login_as):
    login_as(world.seated)
    response = client.post(f"/leads/new?account={world.account.id}",
                           data=lead_form(budget_confirmed="y", budget_amount="900000", budget_confirmed_on="2026-10-20"))
    lead_id = int(response.headers["Location"].rsplit("/", 1)[1])
    done = client.post(f"/leads/{lead_id}/convert", data={"name": "专线一期"})
    assert done.status_code == 302 and "/opportunities/" in done.headers["Location"]
    with app.app_context():
        from kb.db import session
        lead = session.get(Lead, lead_id)
        assert lead.status == LeadStatus.CONVERTED and lead.opportunity.name == "专线一期"
    assert "专线一期" in text(client.get(f"/leads/{lead_id}"))


def test_lead_form_errors_are_on_the_fields(client, world, login_as):
    login_as(world.seated)
    response = client.post(f"/leads/new?account={world.account.id}",
                           data=lead_form(status="dropped", estimated_amount="-5", budget_confirmed="y"))
    assert response.status_code == 422
    page = text(response)
    for message in ("Say why the lead is dropped.", "An amount cannot be negative.",
                    "A confirmed budget needs its amount."):
        assert message in page


def test_opportunity_page_shows_computed_stage_durations(app, client, world, login_as, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda zone=None: date(2026, 8, 1))
    opp_id = make_opportunity(app, world)
    login_as(world.seated)
    monkeypatch.setattr(clock, "today", lambda zone=None: date(2026, 8, 13))
    assert client.post(f"/opportunities/{opp_id}/edit", data=opp_form(stage="pre_bid")).status_code == 302
    monkeypatch.setattr(clock, "today", lambda zone=None: date(2026, 8, 20))
    page = text(client.get(f"/opportunities/{opp_id}"))
    assert re.search(r"Validate the opportunity\s+2026-08-01\s+–\s+2026-08-13.*?12 days", page, re.S), page
    assert re.search(r"Pre-bid guidance\s+2026-08-13\s+–\s+now.*?7 days", page, re.S)
    assert "Open since 2026-08-01" in page
    monkeypatch.setattr(clock, "today", lambda zone=None: date(2026, 9, 30))
    closed = client.post(f"/opportunities/{opp_id}/edit",
                         data=opp_form(stage="pre_bid", status="won", close_reason="方案和价格双优"))
    assert closed.status_code == 302
    assert "Sales decision cycle: 60 days" in text(client.get(f"/opportunities/{opp_id}"))


def test_closing_on_the_page_needs_reason_and_ends_seats(app, client, world, login_as, create_user):
    opp_id = make_opportunity(app, world)
    helper = create_user(name="冯交付")
    login_as(world.seated)
    added = client.post(f"/opportunities/{opp_id}/seats",
                        data={"user_id": str(helper.id), "role": "FR", "started_on": clock_today(app)})
    assert added.status_code == 302
    refused = client.post(f"/opportunities/{opp_id}/edit", data=opp_form(status="abandoned"))
    assert refused.status_code == 422 and "Say why the opportunity is won, lost or abandoned." in text(refused)
    assert client.post(f"/opportunities/{opp_id}/edit",
                       data=opp_form(status="abandoned", close_reason="客户取消立项")).status_code == 302
    with app.app_context():
        from kb.db import session
        seats = session.scalars(select(OpportunitySeat).where(OpportunitySeat.opportunity_id == opp_id)).all()
        assert [(s.user_id, s.ended_on) for s in seats] == [(helper.id, clock.today())]
        assert session.get(Opportunity, opp_id).status == OpportunityStatus.ABANDONED
    # the former seat holder edits nothing any more
    login_as(helper)
    assert client.get(f"/opportunities/{opp_id}/edit").status_code == 403


def clock_today(app) -> str:
    with app.app_context():
        return clock.today().isoformat()


def test_project_triangle_member_edits_the_opportunity_others_get_403(app, client, world, login_as, create_user):
    opp_id = make_opportunity(app, world)
    sr = create_user(name="陈方案")
    login_as(sr)
    assert client.get(f"/opportunities/{opp_id}/edit").status_code == 403
    login_as(world.seated)
    client.post(f"/opportunities/{opp_id}/seats", data={"user_id": str(sr.id), "role": "SR",
                                                        "started_on": clock_today(app)})
    login_as(sr)
    assert client.get(f"/opportunities/{opp_id}/edit").status_code == 200
    assert client.post(f"/opportunities/{opp_id}/edit", data=opp_form(name="智慧园区一期(修订)")).status_code == 302
    for who in (world.outsider, world.viewer):
        login_as(who)
        assert client.get(f"/opportunities/{opp_id}").status_code == 200
        assert client.get(f"/opportunities/{opp_id}/edit").status_code == 403
        assert client.post(f"/opportunities/{opp_id}/edit", data=opp_form(name="x")).status_code == 403
        assert client.get(f"/accounts/{world.account.id}/opportunities/new").status_code == 403


def test_stale_save_on_the_page_is_a_conflict(app, client, world, login_as):
    opp_id = make_opportunity(app, world)
    login_as(world.seated)
    assert client.post(f"/opportunities/{opp_id}/edit", data=opp_form(name="第一次", version="1")).status_code == 302
    response = client.post(f"/opportunities/{opp_id}/edit", data=opp_form(name="第二次", version="1"))
    assert response.status_code == 409 and "第一次" in text(response)


@pytest.mark.parametrize("reader", ["outsider", "viewer"])
def test_team_only_opportunity_is_never_shown_outside_the_team(app, client, world, login_as, reader):
    secret = make_opportunity(app, world, name="绝密扩容项目", visibility="team", competitors="竞品甲")
    public = make_opportunity(app, world, name="公开项目", competitors="竞品甲")
    login_as(getattr(world, reader))
    assert client.get(f"/opportunities/{secret}").status_code == 404
    assert client.get(f"/opportunities/{secret}/edit").status_code == 404
    for url in ("/opportunities", f"/accounts/{world.account.id}/opportunities", f"/accounts/{world.account.id}",
                f"/accounts/{world.account.id}/brief", f"/accounts/{world.account.id}/onboarding"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "绝密扩容项目" not in text(page), url
    assert "公开项目" in text(client.get(f"/accounts/{world.account.id}"))
    found = find(app, "竞品甲", getattr(world, reader))
    assert keys(found) == {f"opportunity:{public}"} and found.total == 1


@pytest.mark.parametrize("reader", ["seated", "named", "admin"])
def test_the_team_sees_the_team_only_opportunity(app, client, world, login_as, reader):
    secret = make_opportunity(app, world, name="绝密扩容项目", visibility="team", competitors="竞品甲")
    login_as(getattr(world, reader))
    assert "绝密扩容项目" in text(client.get("/opportunities"))
    assert "绝密扩容项目" in text(client.get(f"/accounts/{world.account.id}"))
    assert keys(find(app, "竞品甲", getattr(world, reader))) == {f"opportunity:{secret}"}


def test_risks_on_the_page_and_pipeline_filters(app, client, world, login_as):
    opp_id = make_opportunity(app, world)
    login_as(world.seated)
    refused = client.post(f"/opportunities/{opp_id}/risks/new", data={"description": "", "owner_id": "0",
                                                                       "status": "open"})
    assert refused.status_code == 422
    ok = client.post(f"/opportunities/{opp_id}/risks/new", data={"description": "交付资源紧张", "owner_id": "0",
                                                                  "status": "open", "due_on": "2026-01-02"})
    assert ok.status_code == 302
    assert "交付资源紧张" in text(client.get(f"/opportunities/{opp_id}"))
    assert "交付资源紧张" in text(client.get(f"/accounts/{world.account.id}"))
    assert "智慧园区一期" in text(client.get("/opportunities?stage=validate"))
    assert "智慧园区一期" not in text(client.get("/opportunities?stage=bid"))
    assert "智慧园区一期" not in text(client.get("/opportunities?key_project=1"))
    assert client.get("/opportunities?stage=nonsense").status_code == 422  # refused, not ignored


def test_pages_read_in_chinese(app, client, world, login_as):
    opp_id = make_opportunity(app, world)
    login_as(world.seated)
    page = text(client.get(f"/opportunities/{opp_id}", headers={"Accept-Language": "zh-CN"}))
    assert "验证机会点" in page and "项目铁三角" in page
