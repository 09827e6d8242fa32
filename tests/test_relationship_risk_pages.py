"""Relationship risk shown everywhere, with the reason in words: account page, decision chain list,
stakeholder page, brief, onboarding view, group page (a count per account), and the coverage API."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
import time_machine

from models import Attitude, DecisionRole, Influence, RelationshipLayer
from tests.api_support import Api, make_token

ORPHAN_REASON = "Every owner has left the account team or is inactive: 离职的老王"
NO_OWNER_REASON = "No owner of ours: nobody holds this relationship."
OPPOSED_REASON = "Opposes us and has high influence."


@pytest.fixture(autouse=True)
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture(autouse=True)
def frozen_day():
    """Every visit in this world is 11 days old: recent enough for every rule."""
    with time_machine.travel(datetime(2026, 12, 1, 4, 0, tzinfo=timezone.utc), tick=True):
        yield


@pytest.fixture
def world(create_user, create_group, create_seat, create_account, create_stakeholder, create_interaction):
    group = create_group(name="金融客户群")
    ar, sr = create_user(name="王客户经理"), create_user(name="李方案经理")
    create_seat(group, ar, "AR")
    create_seat(group, sr, "SR")
    account = create_account(group=group, name="招商银行")
    quiet = create_account(group=group, name="平安银行")
    left = create_user(name="离职的老王", active=False)
    ceo = create_stakeholder(account, name="行长", decision_role=DecisionRole.DECISION_MAKER,
                             attitude=Attitude.SUPPORT, influence=Influence.HIGH, owners=[ar, sr])
    orphan = create_stakeholder(account, name="孤儿关系", reports_to=ceo, influence=Influence.HIGH,
                                attitude=Attitude.OPPOSE, owners=[left], layer=RelationshipLayer.BROAD)
    nobody = create_stakeholder(account, name="无人负责", reports_to=ceo, layer=RelationshipLayer.ORGANISATIONAL)
    fine = create_stakeholder(quiet, name="平安联系人", owners=[ar])
    create_interaction(account, occurred_on=date(2026, 11, 20), stakeholders=[ceo, orphan, nobody])
    create_interaction(quiet, occurred_on=date(2026, 11, 20), stakeholders=[fine])
    return dict(group=group, ar=ar, account=account, quiet=quiet, ceo=ceo, orphan=orphan, nobody=nobody,
                viewer=create_user(role="viewer"))


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def row_of(html: str, name: str, marker: str = "<tr") -> str:
    """The table row (or list item) of the page that names `name`."""
    return next(chunk for chunk in html.split(marker) if f"<strong>{name}</strong>" in chunk)


@pytest.mark.parametrize("who", ["ar", "viewer"])
def test_account_page_and_chain_list_show_reasons(client, login_as, world, who):
    login_as(world[who])
    for url in (f"/accounts/{world['account'].id}", f"/accounts/{world['account'].id}/stakeholders"):
        html = page(client, url)
        assert ORPHAN_REASON in row_of(html, "孤儿关系") and OPPOSED_REASON in row_of(html, "孤儿关系")
        assert NO_OWNER_REASON in row_of(html, "无人负责")
        assert 'data-risk' not in row_of(html, "行长")


def test_stakeholder_page_shows_its_risks(client, login_as, world):
    login_as(world["viewer"])
    html = page(client, f"/stakeholders/{world['orphan'].id}")
    risks = html.split('id="risks"')[1].split("</div>")[0]
    assert ORPHAN_REASON in risks and OPPOSED_REASON in risks
    ceo = page(client, f"/stakeholders/{world['ceo'].id}")
    assert 'data-risk' not in ceo.split('id="risks"')[1].split("</div>")[0]


def test_brief_and_onboarding_show_reasons(client, login_as, world):
    login_as(world["ar"])
    brief = page(client, f"/accounts/{world['account'].id}/brief")
    who_decides = brief.split('id="who-decides"')[1].split("</section>")[0]
    assert ORPHAN_REASON in row_of(who_decides, "孤儿关系")  # high influence: listed with its risk
    assert "无人负责" not in who_decides  # a medium-influence influencer: not among who decides
    onboarding = page(client, f"/accounts/{world['account'].id}/onboarding")
    assert "2 relationships at risk" in onboarding
    assert NO_OWNER_REASON in row_of(onboarding, "无人负责", "class=\"at-risk\"")
    assert ORPHAN_REASON in row_of(onboarding, "孤儿关系", "class=\"at-risk\"")


def test_group_page_counts_risks_per_account(client, login_as, world):
    login_as(world["viewer"])
    html = page(client, f"/groups/{world['group'].id}")
    rows = {name: next(r for r in html.split("<tr") if f">{name}</a>" in r) for name in ("招商银行", "平安银行")}
    assert "2 relationships at risk" in rows["招商银行"]
    assert "at risk" not in rows["平安银行"]


def test_coverage_api(app, client, world):
    api = Api(client, make_token(app, world["viewer"]))
    response = api.request("GET", f"/accounts/{world['account'].id}/coverage",
                           headers={"Accept-Language": "en"})
    assert response.status_code == 200
    body = response.get_json()
    by_name = {s["name"]: s for s in body["stakeholders"]}
    assert set(by_name) == {"行长", "孤儿关系", "无人负责"}
    assert by_name["行长"]["risks"] == []
    assert [r["code"] for r in by_name["孤儿关系"]["risks"]] == ["owners_gone", "opposed_high"]
    assert by_name["无人负责"]["risks"] == [{"code": "no_owner", "message": NO_OWNER_REASON}]
    assert body["layers"] == {"key": 1, "broad": 1, "organisational": 1}
    assert body["triangle_gaps"] == [{"role": "FR", "kind": "vacant", "user_id": None}]
    assert body["at_risk"] == 2


def test_coverage_api_access(app, client, world):
    assert client.get(f"/api/v1/accounts/{world['account'].id}/coverage").status_code == 401
    api = Api(client, make_token(app, world["viewer"]))
    assert api.request("GET", "/accounts/999999/coverage").status_code == 404
