"""Plan targets through the API (issue 10 §5): PUT carries `targets`, GET returns them with the computed
actual and gap, bad rows are 422 naming the row's field, a GET body can be sent back, a stale version is
409, revisions carry targets, and only the account team edits."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kb.db import session
from models import Opportunity, OpportunityStage, OpportunityStatus, Visibility
from tests.api_support import assert_error, world  # noqa: F401

REVENUE = {"metric": "revenue", "unit": "CNY", "baseline": "800000.00", "target": 1000000,
           "gap_kind": "performance"}
SATISFACTION = {"metric": "customer_satisfaction", "unit": "分", "target": "90", "actual": "82.5"}


def path(world, period: str = "FY2027") -> str:
    return f"/accounts/{world.account.id}/plans/{period}"


def won(app, account_id: int, amount: str, closed_on: date, visibility=Visibility.ORG) -> None:
    with app.app_context():
        session.add(Opportunity(account_id=account_id, name=f"赢单{amount}", amount=Decimal(amount),
                                currency="CNY",
                                status=OpportunityStatus.WON, stage=OpportunityStage.CLOSED,
                                opened_on=date(2026, 10, 1), closed_on=closed_on, visibility=visibility))
        session.commit()


def test_put_and_get_targets_with_actual_and_gap(app, client, world):
    won(app, world.account.id, "250000.00", date(2027, 7, 1))
    won(app, world.account.id, "50000.00", date(2027, 8, 1), visibility=Visibility.TEAM)
    team = world.api(client, "seated")
    response = team.put(path(world), json={"version": 0, "targets": [REVENUE, SATISFACTION]})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["targets"] == [
        {"metric": "revenue", "custom_name": "", "unit": "CNY", "baseline": "800000.00",
         "target": "1000000.00", "actual": "300000.00", "gap": "700000.00", "gap_kind": "performance",
         "computed": True},
        {"metric": "customer_satisfaction", "custom_name": "", "unit": "分", "baseline": None,
         "target": "90.00", "actual": "82.50", "gap": "7.50", "gap_kind": None, "computed": False}]
    viewer = world.api(client, "viewer").get(path(world)).get_json()
    assert (viewer["targets"][0]["actual"], viewer["targets"][0]["gap"]) == ("250000.00", "750000.00")
    revisions = team.get(path(world) + "/revisions").get_json()["items"]
    assert revisions[0]["content"]["targets"][0] == {
        "metric": "revenue", "custom_name": "", "unit": "CNY", "baseline": "800000.00",
        "target": "1000000.00", "actual": None, "gap_kind": "performance"}


def test_a_get_body_can_be_sent_back_and_leaving_targets_out_keeps_them(app, client, world):
    team = world.api(client, "seated")
    body = team.put(path(world), json={"targets": [REVENUE, SATISFACTION]}).get_json()
    body["targets"][1]["target"] = "95"
    response = team.put(path(world), json=body)
    assert response.status_code == 200, response.get_json()
    assert [t["target"] for t in response.get_json()["targets"]] == ["1000000.00", "95.00"]
    again = team.put(path(world), json={"version": 2, "strategy": "聚焦电网数字化"}).get_json()
    assert again["version"] == 3 and len(again["targets"]) == 2
    cleared = team.put(path(world), json={"version": 3, "targets": []}).get_json()
    assert cleared["targets"] == [] and cleared["version"] == 4


@pytest.mark.parametrize("row, field", [
    ({"metric": "revenue", "target": "abc"}, "targets-0-target"),
    ({"metric": "revenue", "target": -1}, "targets-0-target"),
    ({"metric": "revenue", "target": "10", "actual": "3"}, "targets-0-actual"),
    ({"metric": "orders", "unit": "万元", "target": "10"}, "targets-0-unit"),
    ({"metric": "custom", "target": "10"}, "targets-0-custom_name"),
    ({"metric": "custom", "custom_name": "x" * 101, "target": "10"}, "targets"),
    ({"metric": "nps", "target": "10"}, "targets"),
    ({"metric": "revenue"}, "targets-0-target"),
    ({"metric": "revenue", "target": "10", "gap_kind": "both"}, "targets"),
    ({"metric": "revenue", "target": True}, "targets"),
])
def test_bad_targets_are_422_naming_the_field(app, client, world, row, field):
    response = world.api(client, "seated").put(path(world), json={"targets": [row]})
    error = assert_error(response, 422, "targets")
    if field != "targets":  # a service error on a row: nested under its index, as body errors are
        name, index, sub = field.split("-")
        assert sub in error["fields"][name][index], error
    assert world.api(client, "seated").get(path(world)).status_code == 404  # nothing saved


def test_too_many_targets_are_refused(client, world):
    rows = [{"metric": "new_products", "unit": "个", "target": str(i)} for i in range(21)]
    assert_error(world.api(client, "seated").put(path(world), json={"targets": rows}), 422, "targets")


def test_a_stale_version_is_409_and_changes_nothing(client, world):
    team = world.api(client, "seated")
    team.put(path(world), json={"targets": [REVENUE]})
    team.put(path(world), json={"version": 1, "targets": [SATISFACTION]})
    response = team.put(path(world), json={"version": 1, "targets": []})
    assert_error(response, 409)
    assert [t["metric"] for t in response.get_json()["current"]["targets"]] == ["customer_satisfaction"]


@pytest.mark.parametrize("who", ["outsider", "viewer"])
def test_only_the_team_edits_targets(client, world, who):
    world.api(client, "seated").put(path(world), json={"targets": [REVENUE]})
    response = world.api(client, who).put(path(world), json={"version": 1, "targets": []})
    assert response.status_code == 403
    assert len(world.api(client, who).get(path(world)).get_json()["targets"]) == 1
