"""Lead to Cash access (issue 10 §7): team-only leads, opportunities and risks stay inside the team in
search too; the project triangle reads its team-only opportunity; archived accounts are read-only; who
may create what on the pages."""
from __future__ import annotations

import html
import re

from tests.api_support import Api, assert_error, make_token, world  # noqa: F401  # `world` is a fixture
from tests.search_support import find, keys


def text(response) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_team_only_lead_and_risks_are_hidden_from_search_outside_the_team(app, client, world):
    team = world.api(client, "seated")
    secret = team.post("/opportunities", json={"account_id": world.account.id, "name": "内部评估",
                                               "visibility": "team"}).get_json()
    public = team.post("/opportunities", json={"account_id": world.account.id, "name": "公开评估"}).get_json()
    lead = team.post("/leads", json={"account_id": world.account.id, "title": "机密线索 quantumkey",
                                     "visibility": "team"}).get_json()
    hidden_risk = team.post(f"/opportunities/{secret['id']}/risks", json={"description": "quantumkey 报价泄露"}).get_json()
    open_risk = team.post(f"/opportunities/{public['id']}/risks", json={"description": "quantumkey 交付排期"}).get_json()
    for who in ("outsider", "viewer"):
        found = find(app, "quantumkey", getattr(world, who))
        assert keys(found) == {f"risk:{open_risk['id']}"} and found.total == 1, who
    everything = {f"lead:{lead['id']}", f"risk:{hidden_risk['id']}", f"risk:{open_risk['id']}"}
    for who in ("seated", "named", "admin"):
        assert keys(find(app, "quantumkey", getattr(world, who))) == everything, who


def test_search_page_filters_by_the_new_types(app, client, world, login_as):
    team = world.api(client, "seated")
    team.post("/opportunities", json={"account_id": world.account.id, "name": "星链项目",
                                      "competitors": "友商Orbit"})
    team.post("/leads", json={"account_id": world.account.id, "title": "星链线索"})
    login_as(world.outsider)
    only_opps = text(client.get("/search?q=星链&type=opportunity"))
    assert "星链项目" in only_opps and "星链线索" not in only_opps
    both = text(client.get("/search?q=星链"))
    assert "星链项目" in both and "星链线索" in both


def test_project_seat_reads_a_team_only_opportunity(app, client, world, create_user):
    helper = create_user(name="外援专家")
    helper_api = Api(client, make_token(app, helper))
    team = world.api(client, "seated")
    opp = team.post("/opportunities", json={"account_id": world.account.id, "name": "保密投标",
                                            "visibility": "team"}).get_json()
    assert helper_api.get(f"/opportunities/{opp['id']}").status_code == 404
    team.post(f"/opportunities/{opp['id']}/seats", json={"user_id": helper.id, "role": "SR"})
    assert helper_api.get(f"/opportunities/{opp['id']}").status_code == 200
    assert [o["id"] for o in helper_api.get("/opportunities").get_json()["items"]] == [opp["id"]]
    seat = team.get(f"/opportunities/{opp['id']}/seats").get_json()["items"][0]
    team.post(f"/opportunities/{opp['id']}/seats/{seat['id']}/end", json={})
    assert helper_api.get(f"/opportunities/{opp['id']}").status_code == 404


def test_archived_account_is_read_only(app, client, world, login_as):
    team = world.api(client, "seated")
    opp = team.post("/opportunities", json={"account_id": world.account.id, "name": "归档前机会"}).get_json()
    lead = team.post("/leads", json={"account_id": world.account.id, "title": "归档前线索"}).get_json()
    login_as(world.seated)
    assert client.post(f"/accounts/{world.account.id}/archive").status_code == 302
    assert_error(team.patch(f"/opportunities/{opp['id']}", json={"name": "x"}), 409)
    assert_error(team.patch(f"/leads/{lead['id']}", json={"title": "x"}), 409)
    assert_error(team.post(f"/opportunities/{opp['id']}/risks", json={"description": "x"}), 409)
    assert client.get(f"/opportunities/{opp['id']}/edit").status_code == 409
    assert client.get(f"/opportunities/{opp['id']}").status_code == 200


def test_who_may_create_on_the_pages(client, world, login_as):
    login_as(world.viewer)
    assert client.get("/leads/new").status_code == 403
    assert client.get(f"/leads/new?account={world.account.id}").status_code == 403
    login_as(world.outsider)
    assert client.get(f"/leads/new?account={world.account.id}").status_code == 403
    assert client.get(f"/accounts/{world.account.id}/risks/new").status_code == 403
    assert client.get("/leads/new").status_code == 200  # a prospect's lead: any member
    login_as(world.named)
    assert client.get(f"/leads/new?account={world.account.id}").status_code == 200
    assert client.get(f"/accounts/{world.account.id}/risks/new").status_code == 200
    assert client.post(f"/accounts/{world.account.id}/risks/new",
                       data={"description": "客户预算审批推迟", "owner_id": "0", "status": "open"}).status_code == 302
    assert "客户预算审批推迟" in text(client.get(f"/accounts/{world.account.id}/risks"))


def test_a_prospect_lead_converts_only_once_it_has_an_account(client, world):
    api = world.api(client, "outsider")
    lead = api.post("/leads", json={"prospect_name": "舟山港", "title": "港口专网", "budget_confirmed": True,
                                    "budget_amount": 100, "budget_confirmed_on": "2026-10-01"}).get_json()
    assert_error(api.post(f"/leads/{lead['id']}/convert", json={}), 422, "account_id")
    assert_error(api.post("/leads", json={"prospect_name": "舟山港", "title": "y", "visibility": "team"}),
                 422, "visibility")
