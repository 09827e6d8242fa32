"""Contracts API (issue 10 §6): only a won opportunity becomes a contract (422 not_won); number unique;
milestones validated (real dates, non-negative amounts); received / to come computed; stale saves 409;
access as the opportunity (a team-only opportunity's contract is invisible outside its team)."""
from __future__ import annotations

import pytest

from tests.api_support import assert_error, world  # noqa: F401  # `world` is a fixture


def _won(team, world, name="核心网扩容", **kw):
    opp = team.post("/opportunities", json={"account_id": world.account.id, "name": name, "amount": "1000000",
                                            **kw}).get_json()
    won = team.patch(f"/opportunities/{opp['id']}", json={"status": "won", "close_reason": "方案领先"})
    assert won.status_code == 200, won.get_json()
    return opp["id"]


CONTRACT = {"number": "HT-2026-001", "signed_on": "2026-10-08", "amount": "1000000.00"}


def test_contract_from_a_won_opportunity_with_milestones_and_cash(client, world):
    team = world.api(client, "seated")
    opp = _won(team, world)
    response = team.post(f"/opportunities/{opp}/contract", json=CONTRACT, headers={"Idempotency-Key": "c-1"})
    assert response.status_code == 201, response.get_json()
    contract = response.get_json()
    assert (contract["number"], contract["amount"], contract["currency"]) == (
        "HT-2026-001", "1000000.00", "CNY")
    assert contract["received"] == "0.00" and contract["to_come"] == "1000000.00"
    again = team.post(f"/opportunities/{opp}/contract", json=CONTRACT, headers={"Idempotency-Key": "c-1"})
    assert again.status_code == 201 and again.get_json()["id"] == contract["id"]  # replayed, not a second
    base = f"/contracts/{contract['id']}/milestones"
    paid = team.post(base, json={"kind": "payment", "planned_on": "2026-10-20", "planned_amount": "300000",
                                 "actual_on": "2026-10-25", "actual_amount": "300000"})
    assert paid.status_code == 201, paid.get_json()
    later = team.post(base, json={"kind": "payment", "planned_on": "2027-03-31", "planned_amount": "700000"})
    team.post(base, json={"kind": "delivery", "planned_on": "2026-12-15"})
    shown = team.get(f"/contracts/{contract['id']}").get_json()
    assert shown["received"] == "300000.00" and shown["to_come"] == "700000.00"
    assert [m["kind"] for m in shown["milestones"]] == ["payment", "delivery", "payment"]
    assert team.get(f"/opportunities/{opp}/contract").get_json()["id"] == contract["id"]
    # mark the second payment done (partly paid): 650000 received of 700000
    m = later.get_json()
    done = team.patch(f"/milestones/{m['id']}", json={"actual_on": "2026-11-20", "actual_amount": "650000",
                                                      "version": m["version"]})
    assert done.status_code == 200 and done.get_json()["done"] is True
    assert team.get(f"/contracts/{contract['id']}").get_json()["to_come"] == "50000.00"
    stale = team.patch(f"/milestones/{m['id']}", json={"title": "尾款", "version": m["version"]})
    assert_error(stale, 409)
    url, version = f"/contracts/{contract['id']}", contract["version"]
    renamed = team.patch(url, json={"notes": "含三年维保", "version": version})
    assert renamed.status_code == 200 and renamed.get_json()["notes"] == "含三年维保"
    assert_error(team.patch(url, json={"notes": "旧版", "version": version}), 409)


def test_contract_refused_unless_the_opportunity_is_won(client, world):
    team = world.api(client, "seated")
    opp = team.post("/opportunities", json={"account_id": world.account.id, "name": "还在谈"}).get_json()
    error = assert_error(team.post(f"/opportunities/{opp['id']}/contract", json=CONTRACT), 422)
    assert error["code"] == "not_won"
    lost = team.post("/opportunities", json={"account_id": world.account.id, "name": "丢单"}).get_json()
    team.patch(f"/opportunities/{lost['id']}", json={"status": "lost", "close_reason": "价格"})
    error = assert_error(team.post(f"/opportunities/{lost['id']}/contract", json=CONTRACT), 422)
    assert error["code"] == "not_won"
    assert team.get(f"/opportunities/{opp['id']}/contract").status_code == 404


def test_contract_number_unique_and_one_contract_per_opportunity(client, world):
    team = world.api(client, "seated")
    first, second = _won(team, world, "一期"), _won(team, world, "二期")
    assert team.post(f"/opportunities/{first}/contract", json=CONTRACT).status_code == 201
    assert_error(team.post(f"/opportunities/{first}/contract", json=dict(CONTRACT, number="HT-X")), 422,
                 "opportunity_id")
    assert_error(team.post(f"/opportunities/{second}/contract", json=dict(CONTRACT, number="ht-2026-001")),
                 422, "number")


@pytest.mark.parametrize("body, field", [
    ({"number": "", "signed_on": "2026-10-08", "amount": "1"}, "number"),
    ({"number": "A", "signed_on": "2026-02-30", "amount": "1"}, "signed_on"),
    ({"number": "A", "signed_on": "2099-01-01", "amount": "1"}, "signed_on"),
    ({"number": "A", "signed_on": "2026-10-08", "amount": "-5"}, "amount"),
    ({"number": "A", "signed_on": "2026-10-08", "amount": "1.234"}, "amount"),
    ({"number": "A", "signed_on": "2026-10-08", "amount": "1", "currency": "XYZ"}, "currency"),
    ({"number": "A" * 51, "signed_on": "2026-10-08", "amount": "1"}, "number"),
])
def test_contract_input_is_validated(client, world, body, field):
    team = world.api(client, "seated")
    opp = _won(team, world)
    assert_error(team.post(f"/opportunities/{opp}/contract", json=body), 422, field)


@pytest.mark.parametrize("body, field", [
    ({"kind": "lunch", "planned_on": "2026-12-01"}, "kind"),
    ({"kind": "payment"}, "planned_on"),
    ({"kind": "payment", "planned_on": "2026-13-01"}, "planned_on"),
    ({"kind": "payment", "planned_on": "2026-12-01", "planned_amount": "-1"}, "planned_amount"),
    ({"kind": "payment", "planned_on": "2026-12-01", "actual_amount": "-1", "actual_on": "2026-11-01"},
     "actual_amount"),
    ({"kind": "payment", "planned_on": "2026-12-01", "actual_amount": "10"}, "actual_on"),
    ({"kind": "payment", "planned_on": "2026-12-01", "actual_on": "2099-01-01"}, "actual_on"),
])
def test_milestone_input_is_validated(client, world, body, field):
    team = world.api(client, "seated")
    contract = team.post(f"/opportunities/{_won(team, world)}/contract", json=CONTRACT).get_json()
    assert_error(team.post(f"/contracts/{contract['id']}/milestones", json=body), 422, field)


def test_access_follows_the_opportunity(client, world):
    team = world.api(client, "seated")
    secret = _won(team, world, "保密项目", visibility="team")
    contract = team.post(f"/opportunities/{secret}/contract", json=CONTRACT).get_json()
    milestone = team.post(f"/contracts/{contract['id']}/milestones",
                          json={"kind": "payment", "planned_on": "2026-12-01"}).get_json()
    for who in ("viewer", "outsider"):
        api = world.api(client, who)
        assert api.get(f"/contracts/{contract['id']}").status_code == 404, who
        assert api.get(f"/opportunities/{secret}/contract").status_code == 404, who
        assert api.get(f"/contracts/{contract['id']}/milestones").status_code == 404, who
        assert api.patch(f"/milestones/{milestone['id']}", json={"title": "x"}).status_code == 404, who
    for who in ("named", "admin"):
        assert world.api(client, who).get(f"/contracts/{contract['id']}").status_code == 200, who
    public = _won(team, world, "公开项目")
    open_contract = team.post(f"/opportunities/{public}/contract",
                              json=dict(CONTRACT, number="HT-2")).get_json()
    viewer = world.api(client, "viewer")
    assert viewer.get(f"/contracts/{open_contract['id']}").status_code == 200
    assert_error(viewer.patch(f"/contracts/{open_contract['id']}", json={"notes": "x"}), 403)
    outsider = world.api(client, "outsider")
    assert_error(outsider.post(f"/contracts/{open_contract['id']}/milestones",
                               json={"kind": "payment", "planned_on": "2026-12-01"}), 403)
