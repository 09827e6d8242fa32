"""A wide account (300 stakeholders, 300 visits, cap 50): its pages, lists, API and forms stay bounded."""
from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from sqlalchemy import event, select, update

from models import Interaction, Stakeholder
from tests.api_support import Api, make_token
from tests.conftest import make_config
from tests.test_accounts_query_count import populate

N = 300
CAP = 50


@pytest.fixture
def app_config(tmp_path, database_url):
    return make_config(tmp_path, database_url, ACCOUNT_PAGE_LIMIT=CAP, PER_PAGE=40)


@pytest.fixture
def wide_world(app, create_user, create_group, create_seat, create_account, login_as):
    group = create_group()
    owners = [create_user(name="负责人甲"), create_user(name="负责人乙")]
    create_seat(group, owners[0], "AR")
    account = create_account(group=group, name="宽客户")
    populate(app, account, owners, N)
    admin = create_user(role="admin")
    login_as(admin)
    return SimpleNamespace(account=account, admin=admin, group=group, owners=owners)


@pytest.fixture
def wide(wide_world):
    return wide_world.account, wide_world.admin


def _names(html: str) -> list[str]:
    return re.findall(r"关键人\d{3}", html)


def _chain_rows(html: str) -> int:
    return html.count('class="chain-row')


def _sid(app, name):
    with app.app_context():
        from kb.db import session
        return session.scalar(select(Stakeholder.id).where(Stakeholder.name == name))


def test_account_page_caps_the_chain_and_says_how_many_more(client, wide):
    account, _ = wide
    html = client.get(f"/accounts/{account.id}").get_data(as_text=True)
    assert _chain_rows(html) == CAP
    assert "250 more stakeholders" in html
    assert f'href="/accounts/{account.id}/stakeholders"' in html
    assert "300 stakeholders" in html  # the real total in the header
    for i in range(0, N, 10):  # every decision-maker is among the people shown
        assert f"关键人{i:03d}" in html
    assert "290 more interactions" in html and f'href="/accounts/{account.id}/interactions"' in html
    assert "250 more open next steps" in html


def test_paged_stakeholder_list_reaches_everyone(client, wide):
    account, _ = wide
    seen: list[str] = []
    for page in range(1, 9):
        response = client.get(f"/accounts/{account.id}/stakeholders?page={page}")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert _chain_rows(html) == (40 if page < 8 else 20)
        seen += [n for n in dict.fromkeys(_names(html.split('class="data chain"')[1]))]
    assert "Page 8 of 8" in html
    assert sorted(set(seen)) == [f"关键人{i:03d}" for i in range(N)]


def test_paged_interaction_list_reaches_every_visit(client, wide):
    account, _ = wide
    titles: set[str] = set()
    for page in range(1, 9):
        html = client.get(f"/accounts/{account.id}/interactions?page={page}").get_data(as_text=True)
        titles |= set(re.findall(r"<strong>(拜访\d+)</strong>", html))
    assert titles == {f"拜访{i}" for i in range(N)}


def test_onboarding_and_brief_are_capped_but_keep_deciders_and_latest_visits(client, wide):
    account, _ = wide
    html = client.get(f"/accounts/{account.id}/onboarding").get_data(as_text=True)
    assert html.count('class="whos-who"') >= 1 and "250 more stakeholders" in html
    assert "250 more interactions" in html and "300 interactions" in html
    brief = client.get(f"/accounts/{account.id}/brief").get_data(as_text=True)
    for i in range(0, N, 10):
        assert f"关键人{i:03d}" in brief
    assert "297 more interactions" in brief
    latest = re.findall(r"<strong>(拜访\d+)</strong>", brief)
    assert len(latest) == 3


def test_chinese_pages_say_how_many_more(client, wide):
    account, _ = wide
    html = client.get(f"/accounts/{account.id}", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "还有 250 位关键人" in html and "还有 290 条拜访记录" in html


def _loaded(app, client, url):
    """Statements run and Stakeholder/Interaction rows loaded while answering `url`."""
    engine = app.extensions["kb.db"].engine
    counts = {"sql": 0, "rows": 0}

    def sql(*args):
        counts["sql"] += 1

    def row(target, context):
        counts["rows"] += 1
    event.listen(engine, "before_cursor_execute", sql)
    event.listen(Stakeholder, "load", row)
    event.listen(Interaction, "load", row)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", sql)
        event.remove(Stakeholder, "load", row)
        event.remove(Interaction, "load", row)
    return counts


@pytest.mark.parametrize("page", ["", "/brief", "/onboarding", "/interactions/new", "/stakeholders",
                                  "/interactions"])
def test_rows_loaded_do_not_grow_with_the_account(app, client, wide_world, create_account, page):
    account = wide_world.account
    bigger = create_account(group=wide_world.group, name="更宽的客户")
    populate(app, bigger, wide_world.owners, 2 * N)
    client.get(f"/accounts/{account.id}{page}")  # warm-up
    base = _loaded(app, client, f"/accounts/{account.id}{page}")
    twice = _loaded(app, client, f"/accounts/{bigger.id}{page}")
    assert twice["sql"] <= base["sql"], (base, twice)
    # A few rows more or less, as the capped lists overlap differently; never the whole account (600 of each)
    assert twice["rows"] <= 4 * CAP and base["rows"] <= 4 * CAP, (base, twice)


def _checkboxes(html: str, name: str) -> list[tuple[str, str, bool]]:
    """(value, label, ticked) of each checkbox of the picker for field `name` (templates/_picker.html)."""
    block = html[html.index(f'id="{name}"'):]
    block = block[:block.index("</fieldset>")]
    boxes = []
    for attrs, label in re.findall(r"<label><input([^>]*)>\s*([^<]*)</label>", block):
        value = re.search(r'value="(\d+)"', attrs).group(1)
        boxes.append((value, label.strip(), " checked" in attrs))
    return boxes


def test_new_visit_picker_is_capped(client, wide):
    account, _ = wide
    html = client.get(f"/accounts/{account.id}/interactions/new").get_data(as_text=True)
    boxes = _checkboxes(html, "stakeholder_ids")
    assert len(boxes) == CAP
    labels = " ".join(label for _, label, _ in boxes)
    assert "关键人000" in labels and "关键人290" in labels  # decision-makers first


def test_edit_visit_keeps_a_met_stakeholder_outside_the_cap(app, client, wide):
    account, _ = wide
    with app.app_context():
        from kb.db import session
        visit = session.scalar(select(Interaction.id).where(Interaction.title == "拜访299"))
    sid = _sid(app, "关键人299")
    html = client.get(f"/interactions/{visit}/edit").get_data(as_text=True)
    boxes = _checkboxes(html, "stakeholder_ids")
    assert len(boxes) == CAP + 1
    assert (str(sid), "关键人299", True) in [(v, label.split(" ")[0], t) for v, label, t in boxes]


def test_reports_to_picker_is_capped_and_keeps_the_saved_boss(app, client, wide):
    account, _ = wide
    boss, report = _sid(app, "关键人299"), _sid(app, "关键人001")
    with app.app_context():
        from kb.db import session
        session.execute(update(Stakeholder).where(Stakeholder.id == report).values(reports_to_id=boss))
        session.commit()
    html = client.get(f"/stakeholders/{report}/edit").get_data(as_text=True)
    picker = html.split('name="reports_to_id"')[1].split("</select>")[0]
    assert picker.count("<option") == CAP + 2  # "nobody", the cap, and the saved boss
    assert re.search(rf'<option selected value="{boss}">关键人299', picker)
    assert f'value="{report}"' not in picker  # nobody reports to themselves


def test_api_stakeholders_are_paged_and_reach_everyone(app, client, wide):
    account, admin = wide
    api = Api(client, make_token(app, admin))
    ids: list[int] = []
    for page in (1, 2, 3):
        body = api.get(f"/accounts/{account.id}/stakeholders?page={page}&per_page=100").get_json()
        assert (body["page"], body["per_page"], body["total"]) == (page, 100, N)
        ids += [s["id"] for s in body["items"]]
    assert len(set(ids)) == N
    assert len(api.get(f"/accounts/{account.id}/stakeholders").get_json()["items"]) == 25
    assert api.get(f"/accounts/{account.id}/stakeholders?per_page=101").status_code == 422


def test_stakeholder_page_caps_direct_reports(app, client, wide):
    account, _ = wide
    boss = _sid(app, "关键人000")  # every other stakeholder (150) reports to the first
    html = client.get(f"/stakeholders/{boss}").get_data(as_text=True)
    section = html.split("Direct reports")[1].split("</section>")[0]
    assert section.count("<li><a href=\"/stakeholders/") == CAP
    assert "100 more stakeholders" in section


def test_plan_decision_maker_picker_is_capped_and_keeps_linked_people(app, client, wide, create_plan):
    account, _ = wide
    outsider = _sid(app, "关键人299")  # not among the 50 who matter most
    create_plan(account, strategy="战略")
    with app.app_context():
        from kb.db import session
        from models import AccountPlan
        plan = session.scalar(select(AccountPlan).where(AccountPlan.account_id == account.id))
        plan.decision_maker_links.append(session.get(Stakeholder, outsider))
        session.commit()
        period = plan.period
    html = client.get(f"/accounts/{account.id}/plans/{period}/edit").get_data(as_text=True)
    boxes = _checkboxes(html, "decision_maker_ids")
    assert len(boxes) == CAP + 1
    assert (str(outsider), "关键人299", True) in [(v, label.split(" ")[0], t) for v, label, t in boxes]
