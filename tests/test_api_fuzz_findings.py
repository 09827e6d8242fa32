"""What Schemathesis found (tests/test_api_schemathesis.py), kept as regular tests with the exact input."""
from __future__ import annotations

import pytest

from tests.api_support import assert_error, world  # noqa: F401


@pytest.mark.parametrize("name", ["ègi\U0007a067\U000e04cdÎÃj", "ÉCOLE 华东", "Île"])
def test_a_second_group_with_the_same_non_ascii_name_is_refused_not_a_500(client, world,  # noqa: F811
                                                                          name):
    api = world.api(client, "admin")
    body = {"name": name, "name_en": "Energy & manufacturing",
            "description": "省级有线电视网络公司，用户流失明显，寻求 5G 700M 与智慧乡村业务。"}
    assert api.post("/customer-groups", json=body).status_code == 201
    error = assert_error(api.post("/customer-groups", json=body), 422, "name")
    assert name in error["fields"]["name"]


def test_renaming_a_group_to_another_groups_non_ascii_name_is_refused(client, world):  # noqa: F811
    api = world.api(client, "admin")
    assert api.post("/customer-groups", json={"name": "Île-de-France"}).status_code == 201
    other = api.post("/customer-groups", json={"name": "Lyon"}).get_json()
    assert_error(api.patch(f"/customer-groups/{other['id']}", json={"name": "Île-de-France"}), 422, "name")


def test_a_second_contract_with_the_same_non_ascii_number_is_refused_not_a_500(client, world):  # noqa: F811
    """The same SQLite lower() gap as the group names, in the contract number's uniqueness check."""
    team = world.api(client, "seated")
    ids = []
    for name in ("一期", "二期"):
        opp = team.post("/opportunities", json={"account_id": world.account.id, "name": name,
                                                "amount": "1000000"}).get_json()
        assert team.patch(f"/opportunities/{opp['id']}",
                          json={"status": "won", "close_reason": "方案领先"}).status_code == 200
        ids.append(opp["id"])
    contract = {"number": "HT-Ä-2026", "signed_on": "2026-10-08", "amount": "1000000.00"}
    assert team.post(f"/opportunities/{ids[0]}/contract", json=contract).status_code == 201
    assert_error(team.post(f"/opportunities/{ids[1]}/contract", json=contract), 422, "number")
