"""A stakeholder's personal data: admins export it (JSON) and erase it; afterwards the old name is found
nowhere — search, API, plan revisions and their diff — while interactions stay, linked to the placeholder."""
from __future__ import annotations

import json
from datetime import date

import pytest

from models import PersonalDataErasure, Stakeholder, StakeholderChange
from tests.api_support import Api, make_token
from tests.search_support import find, keys

NAME, NAME_EN = "欧阳明", "Ouyang Ming"


@pytest.fixture
def world(app, client, create_user, create_group, create_seat, create_account, create_stakeholder,
          create_interaction):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    group = create_group()
    ar, admin = create_user(name="王客户经理"), create_user(role="admin", name="管理员")
    create_seat(group, ar, "AR")
    account = create_account(group=group, name="华夏电力")
    person = create_stakeholder(account, name=NAME, name_en=NAME_EN, owners=[ar], private_notes="喜欢钓鱼",
                                mobile="13912345678", email="ouyang@example.cn", notes=f"{NAME}负责采购")
    visit = create_interaction(account, title=f"拜访{NAME}", summary=f"与 {NAME_EN} 讨论了预算",
                               occurred_on=date(2026, 11, 2), stakeholders=[person],
                               next_steps=[{"text": f"给{NAME}发方案"}])
    api = Api(client, make_token(app, ar))
    for strategy in (f"由{NAME}主导数字化", f"{NAME}（{NAME_EN}）拍板，扩大投资"):
        current = api.request("GET", f"/accounts/{account.id}/plans/FY2027")
        version = current.get_json()["version"] if current.status_code == 200 else None
        body = {"strategy": strategy, "decision_makers": f"{NAME} 是决策人", "version": version}
        response = api.request("PUT", f"/accounts/{account.id}/plans/FY2027", json=body)
        assert response.status_code in (200, 201), response.get_json()
    api.request("PATCH", f"/stakeholders/{person.id}", json={"title": "总经理助理"})
    return dict(account=account, person=person, visit=visit, ar=ar, admin=admin,
                viewer=create_user(role="viewer"))


def test_admin_exports_everything_held_about_the_person(app, client, world):
    api = Api(client, make_token(app, world["admin"]))
    response = api.request("GET", f"/stakeholders/{world['person'].id}/personal-data")
    assert response.status_code == 200
    data = response.get_json()
    assert data["record"]["name"] == NAME and data["record"]["name_en"] == NAME_EN
    assert data["contacts"]["mobile"] == "13912345678" and data["private_notes"] == "喜欢钓鱼"
    assert [i["id"] for i in data["interactions"]] == [world["visit"].id]
    assert [r["number"] for r in data["plan_revisions"]] == [1, 2]
    assert [(h["field"], h["new"]) for h in data["history"]] == [("title", "总经理助理")]
    page = client.get("/logout") and None  # noqa: F841
    client.post("/login", data={"email": world["admin"].email, "password": "password123"})
    download = client.get(f"/stakeholders/{world['person'].id}/personal-data.json")
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    assert json.loads(download.get_data(as_text=True))["record"]["id"] == world["person"].id


@pytest.mark.parametrize("who", ["ar", "viewer"])
def test_only_admins_export_or_erase(app, client, login_as, world, who):
    api = Api(client, make_token(app, world[who]))
    sid = world["person"].id
    assert api.request("GET", f"/stakeholders/{sid}/personal-data").status_code == 403
    assert api.request("POST", f"/stakeholders/{sid}/erase").status_code == 403
    assert api.request("GET", "/stakeholders/999999/personal-data").status_code == 404
    login_as(world[who])
    assert client.get(f"/stakeholders/{sid}/personal-data.json").status_code == 403
    assert client.get(f"/stakeholders/{sid}/erase").status_code == 403
    assert client.post(f"/stakeholders/{sid}/erase", data={"confirm": "y"}).status_code == 403
    assert "Erase personal data" not in client.get(f"/stakeholders/{sid}").get_data(as_text=True)
    with app.app_context():
        from kb.db import session
        assert session.get(Stakeholder, sid).name == NAME


def test_erase_page_asks_for_confirmation(app, client, login_as, world):
    login_as(world["admin"])
    sid = world["person"].id
    assert f"/stakeholders/{sid}/erase" in client.get(f"/stakeholders/{sid}").get_data(as_text=True)
    assert client.get(f"/stakeholders/{sid}/erase").status_code == 200
    refused = client.post(f"/stakeholders/{sid}/erase", data={})
    assert refused.status_code == 422
    assert "Tick the box to confirm the erasure." in refused.get_data(as_text=True)
    with app.app_context():
        from kb.db import session
        assert session.get(Stakeholder, sid).name == NAME
    done = client.post(f"/stakeholders/{sid}/erase", data={"confirm": "y"})
    assert done.status_code == 302
    html = client.get(f"/stakeholders/{sid}").get_data(as_text=True)
    assert f"已删除的联系人 #{sid}" in html and "Personal data erased on" in html and NAME not in html


def test_erasure_leaves_the_name_nowhere(app, client, world):
    sid, account_id = world["person"].id, world["account"].id
    assert f"stakeholder:{sid}" in keys(find(app, NAME, world["admin"]))  # found before
    admin = Api(client, make_token(app, world["admin"]))
    response = admin.request("POST", f"/stakeholders/{sid}/erase", json={"confirm": True})
    assert response.status_code == 200
    assert response.get_json()["stakeholder"]["name"] == f"已删除的联系人 #{sid}"

    # search: neither name, nor the contact details, for anyone
    for query in (NAME, NAME_EN, "欧阳", "13912345678", "钓鱼"):
        assert not keys(find(app, query, world["admin"])), query
    assert f"stakeholder:{sid}" in keys(find(app, f"Erased contact #{sid}", world["admin"]))

    # API: the stakeholder, its account's interactions and plan with its revisions
    dumped = json.dumps([
        admin.request("GET", f"/stakeholders/{sid}").get_json(),
        admin.request("GET", f"/accounts/{account_id}/interactions").get_json(),
        admin.request("GET", f"/accounts/{account_id}/plans/FY2027").get_json(),
        admin.request("GET", f"/accounts/{account_id}/plans/FY2027/revisions").get_json(),
        admin.request("GET", f"/stakeholders/{sid}/personal-data").get_json(),
    ], ensure_ascii=False)
    assert NAME not in dumped and NAME_EN not in dumped and "ouyang" not in dumped.lower()
    assert f"已删除的联系人 #{sid}" in dumped

    # pages: plan history diff, the visit (still linked to the placeholder)
    client.post("/login", data={"email": world["admin"].email, "password": "password123"})
    diff = client.get(f"/accounts/{account_id}/plans/FY2027/diff?a=1&b=2")
    assert diff.status_code == 200 and NAME not in diff.get_data(as_text=True)
    visit = client.get(f"/interactions/{world['visit'].id}").get_data(as_text=True)
    assert NAME not in visit and f"已删除的联系人 #{sid}" in visit

    with app.app_context():
        from kb.db import session
        person = session.get(Stakeholder, sid)
        assert (person.private_notes, person.mobile, person.email) == ("", "", "")
        assert session.query(StakeholderChange).filter_by(stakeholder_id=sid).count() == 0
        [erasure] = session.query(PersonalDataErasure).filter_by(stakeholder_id=sid).all()
        assert erasure.erased_by_id == world["admin"].id
