"""Meeting pack wording and order (issue 10 fix): the stage-changes table heads its columns 从阶段/到阶段
(From stage/To stage), not 开始日期/结束日期; a new opportunity reads "Opened" (capitalised); each key
project's changes are listed in date order, light and stage changes together."""
from __future__ import annotations

import html
import re
from datetime import timedelta

from models import UserRole
from tests.api_support import world  # noqa: F401  # `world` is a fixture
from tests.watches_support import add_light_change, add_opportunity, add_stage_change


def _text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def _project(app, world):
    from kb import clock
    with app.app_context():
        day = clock.today()
    opp = add_opportunity(app, world.account, "山头项目乙", key_light="green", light_reason="起步",
                          light_on=day - timedelta(days=40), opened_on=day - timedelta(days=6))
    add_stage_change(app, opp, "pre_bid", day - timedelta(days=5))
    add_light_change(app, opp, "yellow", "预算推迟", day - timedelta(days=3))
    add_stage_change(app, opp, "bid", day - timedelta(days=1))
    return day


def test_stage_change_columns_read_from_and_to_stage(app, client, world, login_as, create_user):
    day = _project(app, world)
    login_as(world.viewer)
    since = (day - timedelta(days=7)).isoformat()
    zh = client.get("/meeting-pack", query_string={"since": since}, headers={"Accept-Language": "zh-CN"})
    table = _text(zh).split("从阶段", 1)
    assert len(table) == 2 and "到阶段" in table[1]
    head = zh.get_data(as_text=True).split('id="pack-stage-changes"', 1)[1].split("</thead>", 1)[0]
    assert "开始日期" not in head and "结束日期" not in head
    login_as(create_user(role=UserRole.VIEWER, locale="en"))
    en = _text(client.get("/meeting-pack", query_string={"since": since}))
    assert "From stage" in en and "To stage" in en
    assert "Opened" in en and " opened " not in en


def test_key_project_changes_in_date_order(app, client, world, login_as):
    day = _project(app, world)
    login_as(world.viewer)
    page = client.get("/meeting-pack", query_string={"since": (day - timedelta(days=7)).isoformat()})
    body = page.get_data(as_text=True)
    project = body.split('id="pack-key-projects"', 1)[1].split('id="pack-risks"', 1)[0]
    items = re.findall(r"<li>(.*?)</li>", project, re.S)
    days = [re.search(r"\d{4}-\d{2}-\d{2}", i).group(0) for i in items]
    assert days == sorted(days) and len(days) == 4, items
    assert "预算推迟" in items[2]
