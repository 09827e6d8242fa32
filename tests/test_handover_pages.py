"""Handover pages: choose the leaver, see what they hold, preview (changes nothing), confirm, the record
(readable after the leaver is deactivated), the successor's brief, and who may open them."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from models import Handover, SeatRole, StakeholderOwner, User


@pytest.fixture
def w(app, create_user, create_group, create_seat, create_account, create_stakeholder, create_interaction,
      create_plan):
    admin = create_user(role="admin", name="管理员")
    leaver, heir, other = create_user(name="老王"), create_user(name="小李"), create_user(name="小陈")
    ar, member, viewer = create_user(name="南方AR"), create_user(name="普通成员"), create_user(role="viewer")
    north, south = create_group(name="华北客户群", name_en="North"), create_group(name="华南客户群", name_en="South")
    create_seat(north, leaver, SeatRole.AR, started_on=date(2023, 1, 1))
    create_seat(south, ar, SeatRole.AR, started_on=date(2023, 1, 1))
    a1, a2 = create_account(north, name="北方电信"), create_account(south, name="南方银行", members=[leaver])
    s1 = create_stakeholder(a1, name="赵总", owners=[leaver], title="首席信息官")
    s2 = create_stakeholder(a2, name="钱总", owners=[leaver])
    create_interaction(a2, stakeholders=[s2], occurred_on=date(2026, 9, 18),
                       next_steps=[{"text": "提交核心系统方案", "owner_id": leaver.id}])
    create_interaction(a2, visibility="team", summary="内部评估", occurred_on=date(2026, 10, 2),
                       next_steps=[{"text": "团队内部：报价底线", "owner_id": leaver.id}])
    create_plan(a2, strategy="成为区域领先的数字银行")
    return dict(admin=admin, leaver=leaver, heir=heir, other=other, ar=ar, member=member, viewer=viewer,
                north=north, south=south, a1=a1, a2=a2, s1=s1, s2=s2)


def _owners(app):
    with app.app_context():
        from kb.db import session

        return session.execute(select(StakeholderOwner.stakeholder_id, StakeholderOwner.user_id)
                               .order_by(StakeholderOwner.stakeholder_id)).all()


def _form(w, action, **extra):
    data = {"from_user_id": w["leaver"].id, "to_user_id": w["heir"].id, "note": "南方银行的钱总周三有空",
            "action": action}
    data.update(extra)
    return data


def test_leaver_page_lists_what_they_hold_grouped(client, login_as, w):
    login_as(w["admin"])
    page = client.get(f"/handovers/new?from_user_id={w['leaver'].id}").get_data(as_text=True)
    assert "6 things to hand over." in page
    held = page.split('id="holdings"', 1)[1]
    north, south = held.index("North"), held.index("South")
    assert north < held.index("赵总") < south < held.index("钱总")
    assert "AR seat" in held and "提交核心系统方案" in held and "团队内部：报价底线" in held
    assert 'name="group-%d"' % w["south"].id in page and 'name="account-%d"' % w["a2"].id in page


def test_preview_shows_lines_and_changes_nothing_then_confirm_applies(client, app, login_as, w):
    login_as(w["admin"])
    before = _owners(app)
    response = client.post("/handovers/new", data=_form(w, "preview", **{f"group-{w['south'].id}": w["other"].id}))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    preview = page.split('id="preview"', 1)[1]
    rows = re.findall(r'<tr data-kind="(\w+)">(.*?)</tr>', preview, re.S)
    assert len(rows) == 6
    assert any("赵总" in cells and "小李" in cells for _, cells in rows)
    assert any("钱总" in cells and "小陈" in cells for _, cells in rows)  # the south group's successor
    assert "6 changes. Nothing has been changed yet." in page and 'value="apply"' in page
    assert _owners(app) == before

    done = client.post("/handovers/new", data=_form(w, "apply", **{f"group-{w['south'].id}": w["other"].id}))
    assert done.status_code == 302 and "/handovers/" in done.headers["Location"]
    assert _owners(app) == [(w["s1"].id, w["heir"].id), (w["s2"].id, w["other"].id)]
    record = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Handed over: 6 changes." in record and "南方银行的钱总周三有空" in record


def test_bad_successor_is_shown_on_the_field(client, login_as, w):
    login_as(w["admin"])
    response = client.post("/handovers/new", data=_form(w, "preview", to_user_id=w["viewer"].id))
    assert response.status_code == 422
    assert "is a viewer; only members and admins can take over work." in response.get_data(as_text=True)
    response = client.post("/handovers/new", data=_form(w, "apply", to_user_id=w["leaver"].id))
    assert response.status_code == 422 and "someone other than" in response.get_data(as_text=True)
    assert client.post("/handovers/new", data=_form(w, "preview", note="x" * 2001)).status_code == 422
    assert client.post("/handovers/new", data=_form(w, "preview", from_user_id="abc")).status_code == 422
    for raw in ("99999999999", "-1", "１２", "2147483648"):  # never a 500, whatever the address says
        assert client.get(f"/handovers/new?from_user_id={raw}").status_code == 200
    assert client.post("/handovers/new", data=_form(w, "preview", from_user_id="2147483648")).status_code == 422
    for raw in ("2147483648", "x", "99999"):  # a per-group successor that is no user id, or no user
        response = client.post("/handovers/new", data=_form(w, "preview", **{f"group-{w['south'].id}": raw}))
        assert response.status_code == 422


def test_record_readable_after_deactivation_and_brief_for_successor(client, app, login_as, w):
    with app.app_context():  # no membership to move: the heir does not join the south account's team
        from kb.db import session
        from models import account_member

        session.execute(account_member.delete())
        session.commit()
    login_as(w["admin"])
    done = client.post("/handovers/new", data=_form(w, "apply", deactivate_from="y"))
    assert done.status_code == 302
    with app.app_context():
        from kb.db import session

        assert not session.get(User, w["leaver"].id).active
        handover_id = session.scalar(select(Handover.id))
    page = client.get(f"/handovers/{handover_id}").get_data(as_text=True)
    assert "老王" in page and "Deactivated" in page and "was deactivated in this handover" in page
    assert "老王" in client.get("/handovers").get_data(as_text=True)

    login_as(w["heir"])
    assert client.get(f"/handovers/{handover_id}").status_code == 200
    brief = client.get(f"/handovers/{handover_id}/brief").get_data(as_text=True)
    south = brief.split(f'id="account-{w["a2"].id}"', 1)[1]
    assert "成为区域领先的数字银行" in south  # the plan's first answer
    assert "钱总" in south and "2026-09-18" in south  # relationship with its last contact
    assert "提交核心系统方案" in south
    assert "团队内部：报价底线" not in brief  # team-only: the heir is not on the account's team
    assert "南方银行的钱总周三有空" in brief


@pytest.mark.parametrize("who, status", [("member", 403), ("viewer", 403), ("ar", 200), ("admin", 200)])
def test_who_may_open_the_handover_form(client, login_as, w, who, status):
    login_as(w[who])
    assert client.get("/handovers/new").status_code == status
    nav = client.get("/").get_data(as_text=True)
    assert ('href="/handovers"' in nav) is (status == 200)


def test_group_ar_sees_only_their_group_and_moves_only_it(client, app, login_as, w):
    login_as(w["ar"])
    page = client.get(f"/handovers/new?from_user_id={w['leaver'].id}").get_data(as_text=True)
    assert "钱总" in page and "赵总" not in page and "North" not in page
    assert "Deactivate the leaver" not in page  # admins only
    refused = client.post("/handovers/new", data=_form(w, "apply", deactivate_from="y"))
    assert refused.status_code == 422 and "Only admins may deactivate the leaver." in refused.get_data(as_text=True)
    forged = client.post("/handovers/new", data=_form(w, "apply", **{f"account-{w['a1'].id}": w["other"].id}))
    assert forged.status_code == 302  # a choice for an account they do not see is ignored, not applied
    assert _owners(app) == [(w["s1"].id, w["leaver"].id), (w["s2"].id, w["heir"].id)]


def test_outsiders_do_not_see_a_record(client, app, login_as, w):
    login_as(w["admin"])
    client.post("/handovers/new", data=_form(w, "apply"))
    with app.app_context():
        from kb.db import session

        handover_id = session.scalar(select(Handover.id))
    login_as(w["member"])
    assert client.get(f"/handovers/{handover_id}").status_code == 404
    assert client.get(f"/handovers/{handover_id}/brief").status_code == 404
    assert "老王" not in client.get("/handovers").get_data(as_text=True)


def test_pages_read_in_chinese(client, login_as, w):
    login_as(w["admin"])
    zh = {"Accept-Language": "zh-CN"}
    page = client.get(f"/handovers/new?from_user_id={w['leaver'].id}", headers=zh).get_data(as_text=True)
    assert "发起交接" in page and "共 6 项待交接。" in page and "主负责人" in page and "总接任人" in page
    page = client.get("/handovers", headers=zh).get_data(as_text=True)
    assert "尚无交接记录。" in page and ">交接</a>" in page  # the nav entry
