"""The four-watches pages and the meeting pack (issue 10 §4): what a reader outside the team never sees,
the period and date checks, well-formed escaped SVG charts with a table beside them, print CSS."""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.api_support import world  # noqa: F401  # `world` is a fixture
from tests.watches_support import add_light_change, add_opportunity, add_risk, add_stage_change

SVG_NS = "{http://www.w3.org/2000/svg}"


def text(response) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def today(app):
    from kb import clock
    with app.app_context():
        return clock.today()


@pytest.fixture
def pages_world(app, world):
    day = today(app)
    add_opportunity(app, world.account, "公开项目", amount="2000000", stage="bid", key_light="yellow",
                    light_reason="客户预算待批", light_on=day - timedelta(days=4))
    secret = add_opportunity(app, world.account, "机密收购项目", amount="90000000", stage="negotiation",
                             visibility="team", key_light="red", light_reason="机密原因")
    add_risk(app, world.account, "机密风险描述", opportunity_id=secret, due_on=day - timedelta(days=2))
    add_stage_change(app, secret, "closed", day)
    return world


URLS = ["/watches", "/groups/{group}/watches", "/meeting-pack", "/groups/{group}/meeting-pack"]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("who", ["outsider", "viewer"])
def test_a_reader_outside_the_team_never_sees_a_team_only_opportunity(app, client, pages_world, login_as,
                                                                       url, who):
    login_as(getattr(pages_world, who))
    page = client.get(url.format(group=pages_world.group.id))
    assert page.status_code == 200
    body = text(page)
    assert "公开项目" in body
    for secret in ("机密收购项目", "机密原因", "机密风险描述", "90,000,000", "92,000,000"):
        assert secret not in body


@pytest.mark.parametrize("url", URLS)
def test_the_team_sees_its_team_only_opportunity(app, client, pages_world, login_as, url):
    login_as(pages_world.seated)
    body = text(client.get(url.format(group=pages_world.group.id)))
    assert "机密收购项目" in body


def test_watches_page_numbers_and_charts(app, client, pages_world, login_as):
    login_as(pages_world.viewer)
    page = client.get("/watches?period=fy" + str(today(app).year))
    body = text(page)
    assert f"FY{today(app).year}" in body
    assert "2,000,000.00 CNY" in body  # open pipeline
    assert "1,000,000.00 CNY" in body  # weighted at 50 %
    html_text = page.get_data(as_text=True)
    svgs = re.findall(r"<svg.*?</svg>", html_text, flags=re.S)
    assert len(svgs) == 2  # pipeline by stage, per account (CNY only)
    for svg in svgs:
        root = ET.fromstring(svg)
        assert root.tag == SVG_NS + "svg" and root.get("role") == "img"
        assert "style" not in svg and "<script" not in svg
    stage_texts = [t.text for t in ET.fromstring(svgs[0]).iter(SVG_NS + "text")]
    assert "2,000,000" in stage_texts


def test_svg_escapes_names(app, client, world, login_as, create_account):
    nasty = create_account(group=world.group, name='<script>alert("x")</script> & Co')
    add_opportunity(app, nasty, "逃逸测试", status="won", closed_on=date(today(app).year, 1, 5),
                    opened_on=date(today(app).year, 1, 1))
    login_as(world.viewer)
    page = client.get(f"/groups/{world.group.id}/watches").get_data(as_text=True)
    assert '<script>alert("x")' not in page
    account_svg = re.findall(r"<svg.*?</svg>", page, flags=re.S)[-1]
    root = ET.fromstring(account_svg)  # parses: the name is escaped
    titles = [t.text for t in root.iter(SVG_NS + "title")]
    assert '<script>alert("x")</script> & Co' in titles


@pytest.mark.parametrize("period", ["FY27", "2027Q9", "abc", "x" * 30])
def test_bad_period_is_refused_on_the_field(client, world, login_as, period):
    login_as(world.viewer)
    page = client.get("/watches", query_string={"period": period})
    assert page.status_code == 422
    body = page.get_data(as_text=True)
    assert 'aria-invalid="true"' in body
    assert "Sales-management health" not in text(page) and "销售管理健康度" not in text(page)


def test_unknown_group_is_404(client, world, login_as):
    login_as(world.viewer)
    assert client.get("/groups/999999/watches").status_code == 404
    assert client.get("/groups/999999/meeting-pack").status_code == 404


def test_meeting_pack_shows_what_changed_since_the_date(app, client, world, login_as):
    day = today(app)
    project = add_opportunity(app, world.account, "山头项目甲", key_light="green", light_reason="顺利",
                              light_on=day - timedelta(days=40), opened_on=day - timedelta(days=60))
    add_light_change(app, project, "red", "对手降价两成", day - timedelta(days=3))
    add_stage_change(app, project, "pre_bid", day - timedelta(days=2))
    quiet = add_opportunity(app, world.account, "平静项目", key_light="green", light_reason="老原因",
                            light_on=day - timedelta(days=30), opened_on=day - timedelta(days=90))
    add_risk(app, world.account, "合同条款未定", owner=world.seated, due_on=day - timedelta(days=1))
    add_risk(app, world.account, "未到期风险", due_on=day + timedelta(days=10))
    login_as(world.viewer)
    since = (day - timedelta(days=7)).isoformat()
    page = client.get(f"/groups/{world.group.id}/meeting-pack", query_string={"since": since})
    assert page.status_code == 200
    body = text(page)
    assert "对手降价两成" in body and "老原因" in body
    assert "顺利" not in body  # the light set before the date is not a change
    assert "合同条款未定" in body and "未到期风险" not in body
    assert body.count("平静项目") == 1  # listed as a key project, with no change and no stage change
    assert re.search(r"(Decisions to record|待记录的决定)", body)
    assert quiet


@pytest.mark.parametrize("since", ["2026-02-30", "yesterday", "9999-01-01"])
def test_meeting_pack_bad_or_future_date_refused(client, world, login_as, since):
    login_as(world.viewer)
    page = client.get("/meeting-pack", query_string={"since": since})
    assert page.status_code == 422
    assert 'aria-invalid="true"' in page.get_data(as_text=True)


def test_print_css_for_watches_and_meeting_pack(client, world, login_as):
    login_as(world.viewer)
    for url in ("/watches", "/meeting-pack?meeting=business"):
        page = client.get(url).get_data(as_text=True)
        assert "/static/css/watches.css" in page
        assert 'style="' not in page and "<style" not in page
    css = (Path(__file__).parent.parent / "static" / "css" / "watches.css").read_text()
    print_rules = css.split("@media print", 1)[1]
    assert ".no-print" in print_rules and "break-inside: avoid" in print_rules


def test_nav_links_to_the_watches(client, world, login_as):
    login_as(world.viewer)
    assert 'href="/watches"' in client.get("/").get_data(as_text=True)


def test_group_page_links_to_its_watches(client, world, login_as):
    login_as(world.viewer)
    page = client.get(f"/groups/{world.group.id}").get_data(as_text=True)
    assert f'href="/groups/{world.group.id}/watches"' in page


def test_plan_targets_give_the_gap_from_won_amounts_the_reader_may_see(app, client, world, login_as,
                                                                      create_plan):
    from decimal import Decimal

    from models import GapKind, PlanTarget, TargetMetric

    year = today(app).year
    plan = create_plan(world.account, period=f"FY{year}")
    with app.app_context():
        from kb.db import session
        session.add(PlanTarget(plan_id=plan.id, metric=TargetMetric.REVENUE, unit="CNY",
                               target=Decimal("3000000"),
                               gap_kind=GapKind.PERFORMANCE))
        session.commit()
    add_opportunity(app, world.account, "已签一期", amount="1000000", status="won", opened_on=date(year, 1, 1),
                    closed_on=date(year, 1, 5))
    add_opportunity(app, world.account, "机密已签", amount="500000", status="won", visibility="team",
                    opened_on=date(year, 1, 1), closed_on=date(year, 1, 5))
    login_as(world.viewer)
    page = client.get(f"/groups/{world.group.id}/watches?period=FY{year}")
    body = text(page)
    # gap = target − actual (1,000,000 visible), as a finance reader reads amounts
    assert "3,000,000.00 CNY" in body and "gap 2,000,000.00 CNY" in body
    assert "1,500,000" not in body and "1500000" not in body
    svg = re.findall(r"<svg.*?</svg>", page.get_data(as_text=True), flags=re.S)[-1]
    values = [t.text for t in ET.fromstring(svg).iter(SVG_NS + "text")]
    assert "3,000,000" in values and "1,000,000" in values
    login_as(world.seated)
    assert "actual 1,500,000.00 CNY" in text(client.get(f"/groups/{world.group.id}/watches?period=FY{year}"))
