"""A contract's payment milestones never plan (or receive) more than the contract amount, the amount cannot be
lowered below what they plan, and no milestone comes before the signing (issue 10 fixes): page 422 with the
message on the field, API 422 naming the field."""
from __future__ import annotations

import re

from tests.api_support import assert_error, world  # noqa: F401  # `world` is a fixture
from tests.test_contracts_api import CONTRACT, _won
from tests.test_contracts_pages import text


def _contract_with_payment(client, world, planned="600000"):
    team = world.api(client, "seated")
    contract = team.post(f"/opportunities/{_won(team, world)}/contract", json=CONTRACT).get_json()
    first = team.post(f"/contracts/{contract['id']}/milestones",
                      json={"kind": "payment", "planned_on": "2026-10-20", "planned_amount": planned})
    assert first.status_code == 201, first.get_json()
    return team, contract, first.get_json()


def test_api_refuses_a_payment_that_would_plan_more_than_the_contract(client, world):
    team, contract, _first = _contract_with_payment(client, world)
    base = f"/contracts/{contract['id']}/milestones"
    error = assert_error(team.post(base, json={"kind": "payment", "planned_on": "2027-03-31",
                                               "planned_amount": "400000.01"}), 422, "planned_amount")
    assert "1,000,000.01 CNY" in error["fields"]["planned_amount"]
    assert "1,000,000.00 CNY" in error["fields"]["planned_amount"]
    assert team.post(base, json={"kind": "payment", "planned_on": "2027-03-31",
                                 "planned_amount": "400000"}).status_code == 201
    # a delivery milestone carries no payment: not counted
    assert team.post(base, json={"kind": "delivery", "planned_on": "2027-04-30",
                                 "planned_amount": "900000"}).status_code == 201


def test_api_refuses_raising_a_payment_or_lowering_the_contract_below_the_plan(client, world):
    team, contract, first = _contract_with_payment(client, world)
    assert_error(team.patch(f"/milestones/{first['id']}", json={"planned_amount": "1000000.01",
                                                                "version": first["version"]}),
                 422, "planned_amount")
    assert_error(team.patch(f"/contracts/{contract['id']}", json={"amount": "599999.99",
                                                                  "version": contract["version"]}),
                 422, "amount")
    assert team.patch(f"/contracts/{contract['id']}", json={"amount": "600000",
                                                            "version": contract["version"]}).status_code == 200


def test_api_refuses_received_above_the_contract_and_dates_before_signing(client, world):
    team, contract, _first = _contract_with_payment(client, world)
    base = f"/contracts/{contract['id']}/milestones"
    assert_error(team.post(base, json={"kind": "payment", "planned_on": "2026-10-21", "planned_amount": "100",
                                       "actual_on": "2026-10-21", "actual_amount": "1000000.01"}),
                 422, "actual_amount")
    error = assert_error(team.post(base, json={"kind": "delivery", "planned_on": "2026-10-07"}),
                         422, "planned_on")
    assert "2026-10-08" in error["fields"]["planned_on"]
    assert_error(team.patch(f"/contracts/{contract['id']}", json={"signed_on": "2026-10-21",
                                                                  "version": contract["version"]}),
                 422, "signed_on")


def test_page_shows_the_message_on_the_planned_amount(client, world, login_as):
    _team, contract, _first = _contract_with_payment(client, world)
    login_as(world.seated)
    page = client.post(f"/contracts/{contract['id']}/milestones/new", data={
        "kind": "payment", "title": "尾款", "planned_on": "2027-06-30", "planned_amount": "500000"})
    assert page.status_code == 422
    assert re.search(r'id="planned_amount"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="planned_amount"',
                     page.get_data(as_text=True))
    assert "The planned payments would come to 1,100,000.00 CNY, more than the contract amount of " \
           "1,000,000.00 CNY." in text(page)


def test_page_refuses_lowering_the_contract_amount_in_chinese(client, world, login_as):
    _team, contract, _first = _contract_with_payment(client, world)
    login_as(world.seated)
    edit = client.get(f"/contracts/{contract['id']}/edit").get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', edit).group(1)
    page = client.post(f"/contracts/{contract['id']}/edit", headers={"Accept-Language": "zh-CN"}, data={
        "number": CONTRACT["number"], "signed_on": CONTRACT["signed_on"], "amount": "500000",
        "currency": "CNY", "notes": "", "version": version})
    assert page.status_code == 422
    assert "付款里程碑已计划 600,000.00 CNY：合同金额不能更低。" in text(page)


def _with_received(team, contract, received="700000"):
    """A second payment milestone with `received` already paid (planned only 100)."""
    paid = team.post(f"/contracts/{contract['id']}/milestones", json={
        "kind": "payment", "planned_on": "2026-10-21", "planned_amount": "100",
        "actual_on": "2026-10-21", "actual_amount": received})
    assert paid.status_code == 201, paid.get_json()
    return paid.get_json()


def test_api_refuses_lowering_the_contract_below_the_payments_received(client, world):
    team, contract, _first = _contract_with_payment(client, world, planned="100")
    _with_received(team, contract)
    error = assert_error(team.patch(f"/contracts/{contract['id']}", json={"amount": "699999.99",
                                                                          "version": contract["version"]}),
                         422, "amount")
    assert "700,000.00 CNY" in error["fields"]["amount"]
    assert team.get(f"/contracts/{contract['id']}").get_json()["amount"] == "1000000.00"
    assert team.patch(f"/contracts/{contract['id']}", json={"amount": "700000",
                                                            "version": contract["version"]}).status_code == 200


def test_page_refuses_lowering_the_contract_below_the_payments_received(client, world, login_as):
    team, contract, _first = _contract_with_payment(client, world, planned="100")
    _with_received(team, contract)
    login_as(world.seated)
    edit = client.get(f"/contracts/{contract['id']}/edit").get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', edit).group(1)
    page = client.post(f"/contracts/{contract['id']}/edit", headers={"Accept-Language": "zh-CN"}, data={
        "number": CONTRACT["number"], "signed_on": CONTRACT["signed_on"], "amount": "500000",
        "currency": "CNY", "notes": "", "version": version})
    assert page.status_code == 422
    assert "已收款 700,000.00 CNY：合同金额不能更低。" in text(page)


def test_mark_done_refused_shows_the_contract_page_with_the_reason(client, world, login_as):
    team, contract, first = _contract_with_payment(client, world)
    _with_received(team, contract, received="500000")
    login_as(world.seated)
    page = client.post(f"/milestones/{first['id']}/done", headers={"Accept-Language": "zh-CN"},
                       data={"version": first["version"]})
    assert page.status_code == 422
    body = text(page)
    assert CONTRACT["number"] in body  # the contract page, not a bare error page
    assert "已收款合计将达 1,100,000.00 CNY，超过合同金额 1,000,000.00 CNY。" in body
    assert team.get(f"/contracts/{contract['id']}").get_json()["milestones"][0]["actual_on"] is None
