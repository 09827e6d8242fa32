"""The account page, the visit brief and the onboarding view: what each reader sees."""
from datetime import date, timedelta

import pytest

from models import Attitude, DecisionRole, Influence, RelationshipLayer, Visibility


@pytest.fixture(autouse=True)
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def world(create_user, create_group, create_seat, create_account, create_stakeholder, create_interaction,
          create_plan):
    group = create_group(name="能源客户群", name_en="")
    ar, fr = create_user(name="王客户经理"), create_user(name="赵交付经理")
    create_seat(group, ar, "AR")
    create_seat(group, fr, "FR")
    parent = create_account(name="国家电网")
    account = create_account(group=group, name="国网浙江", name_en="State Grid Zhejiang", aliases=["浙江电力"],
                             parent_id=parent.id, industry="能源", region="华东")
    child = create_account(name="国网杭州供电", parent_id=account.id)
    boss = create_stakeholder(account, name="陈总", title="总经理", owners=[ar],
                              decision_role=DecisionRole.DECISION_MAKER, attitude=Attitude.SUPPORT)
    create_stakeholder(account, name="刘处", reports_to=boss, influence=Influence.HIGH,
                       attitude=Attitude.OPPOSE, layer=RelationshipLayer.BROAD, owners=[fr])
    gone = create_user(name="已离职", active=False)
    create_stakeholder(account, name="孤儿关系", influence=Influence.LOW, owners=[gone])
    create_stakeholder(account, name="无人负责", influence=Influence.LOW, layer=RelationshipLayer.ORGANISATIONAL)
    create_interaction(account, title="公开拜访", summary="谈了数字化转型", occurred_on=date(2026, 9, 1),
                       next_steps=[{"text": "发送方案建议书", "owner_id": ar.id, "due_on": date(2026, 12, 1)}])
    create_interaction(account, title="内部敏感会谈", summary="报价底线是八折", visibility=Visibility.TEAM,
                       occurred_on=date(2026, 10, 1),
                       next_steps=[{"text": "团队秘密跟进", "owner_id": ar.id}])
    plan = create_plan(account, period="FY2027", strategy="建设新型电力系统", profit_model="输配电价")
    return dict(group=group, ar=ar, fr=fr, account=account, parent=parent, child=child, plan=plan)


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_account_page_shows_everything_an_account_team_needs(client, login_as, world):
    login_as(world["ar"])
    html = get(client, f"/accounts/{world['account'].id}")
    for text in ("国网浙江", "State Grid Zhejiang", "浙江电力", "能源客户群", "Energy", "East China",  # managed list labels in the English UI
                 "国家电网", "国网杭州供电",  # parent and children
                 "建设新型电力系统", "2 of 5 answered",  # 30-second card and completeness
                 "陈总", "刘处",  # decision chain
                 "王客户经理", "赵交付经理", "Vacant",  # triangle: AR, FR, SR vacant
                 "公开拜访", "发送方案建议书"):  # interactions and open next steps
        assert text in html, text
    account_id = world["account"].id
    assert f"/accounts/{account_id}/brief" in html and f"/accounts/{account_id}/onboarding" in html


def test_audit_line_names_who_created_and_changed(client, login_as, create_user, world):
    admin = create_user(role="admin", name="审计管理员")
    login_as(admin)
    account = world["account"]
    client.post(f"/accounts/{account.id}/edit", data={
        "name": "国网浙江", "tier": "key", "coverage": "direct", "customer_group_id": world["group"].id,
        "parent_id": world["parent"].id})
    html = get(client, f"/accounts/{account.id}")
    assert "last changed" in html and "审计管理员" in html


@pytest.mark.parametrize("page", ["", "/brief", "/onboarding"])
def test_team_only_interactions_are_hidden_from_outsiders(client, login_as, create_user, world, page):
    login_as(create_user(name="别组成员"))
    html = get(client, f"/accounts/{world['account'].id}{page}")
    assert "公开拜访" in html and "发送方案建议书" in html
    assert "内部敏感会谈" not in html and "团队秘密跟进" not in html


@pytest.mark.parametrize("page", ["", "/brief", "/onboarding"])
@pytest.mark.parametrize("who", ["ar", "admin"])
def test_team_only_interactions_are_shown_to_team_and_admins(client, login_as, create_user, world, page, who):
    login_as(world[who] if who in world else create_user(role="admin"))
    html = get(client, f"/accounts/{world['account'].id}{page}")
    assert "内部敏感会谈" in html and "团队秘密跟进" in html


def test_action_links_only_for_those_who_may_use_them(client, login_as, create_user, world):
    account_id = world["account"].id
    login_as(create_user(role="viewer"))
    html = get(client, f"/accounts/{account_id}")
    for url in ("/edit", "/plans/new", "/stakeholders/new", "/interactions/new", "/archive"):
        assert f"/accounts/{account_id}{url}" not in html, url
    login_as(world["fr"])
    html = get(client, f"/accounts/{account_id}")
    for url in ("/edit", "/stakeholders/new", "/interactions/new", "/archive"):
        assert f"/accounts/{account_id}{url}" in html, url


def test_brief_is_one_page_for_a_visit(client, login_as, world):
    login_as(world["ar"])
    html = get(client, f"/accounts/{world['account'].id}/brief")
    assert "建设新型电力系统" in html  # 30-second answers
    assert "陈总" in html and "刘处" in html  # decision-maker, and high influence
    assert "Supports us" in html and "Opposes us" in html  # attitudes
    assert "王客户经理" in html  # our owner, also AR in the triangle
    printed = html.split('id="meeting-form"')[0] + html.split('id="meeting-form"')[1].split("</details>", 1)[1]
    # low influence, not deciding: left out of the printed brief (only the "whom are you meeting" picker lists them)
    assert "孤儿关系" not in printed and "无人负责" not in printed
    assert "发送方案建议书" in html and "公开拜访" in html  # what was promised, last interactions
    assert "data-print" in html


def test_brief_lists_at_most_three_last_interactions(client, login_as, create_interaction, world):
    for n in range(4):
        create_interaction(world["account"], title=f"近期拜访{n}",
                           occurred_on=date(2026, 11, 1) + timedelta(days=n))
    login_as(world["ar"])
    html = get(client, f"/accounts/{world['account'].id}/brief")
    assert "近期拜访3" in html and "近期拜访1" in html and "近期拜访0" not in html


def test_onboarding_tells_the_story(client, login_as, world):
    login_as(world["ar"])
    account_id = world["account"].id
    html = get(client, f"/accounts/{account_id}/onboarding")
    assert f"/accounts/{account_id}/plans/FY2027/history" in html  # plan revision history
    for layer in ("Key relationship", "Broad relationship", "Organisational relationship"):
        assert layer in html
    # Nobody was met in an interaction, so all four are at risk, each with its reasons in words.
    assert "4 relationships at risk" in html
    items = {chunk.split("<strong>")[1].split("</strong>")[0]: chunk
             for chunk in html.split('class="at-risk"')[1:]}
    assert set(items) == {"陈总", "刘处", "孤儿关系", "无人负责"}
    assert "Every owner has left the account team or is inactive: 已离职" in items["孤儿关系"]
    assert "No owner of ours" in items["无人负责"]
    assert "Opposes us and has high influence" in items["刘处"]
    assert "No backup owner for a decision-maker" in items["陈总"]
    assert "Never met in a recorded interaction" in items["陈总"]
    assert "公开拜访" in html and "发送方案建议书" in html  # timeline and open threads


def test_archived_account_shows_a_banner(client, login_as, create_account, create_user):
    from models import utcnow
    account = create_account(name="停用客户", archived_at=utcnow())
    login_as(create_user(role="viewer"))
    for page in ("", "/brief", "/onboarding"):
        assert "Archived account" in get(client, f"/accounts/{account.id}{page}")


def test_account_without_group_plan_or_people(client, login_as, create_account, create_user):
    account = create_account(name="空白客户")
    login_as(create_user(role="viewer"))
    for page in ("", "/brief", "/onboarding"):
        html = get(client, f"/accounts/{account.id}{page}")
        assert "空白客户" in html and "0 of 5 answered" in html
