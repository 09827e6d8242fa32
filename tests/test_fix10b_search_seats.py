"""Search follows kb.policy for project triangles (issue 10 fix): a member seated on a team-only
opportunity's project triangle (not on the account team) finds the opportunity and its risks in search,
page and API; without a seat, or once the seat has ended, neither."""
from __future__ import annotations

import html
import re

from tests.api_support import Api, make_token, world  # noqa: F401  # `world` is a fixture


def _text(response) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def _found(api: Api) -> set[tuple[str, int]]:
    body = api.get("/search?q=zephyrbid").get_json()
    return {(r["type"], r["id"]) for r in body["results"]}


def _secret_with_risk(client, world):
    team = world.api(client, "seated")
    opp = team.post("/opportunities", json={"account_id": world.account.id, "name": "保密投标 zephyrbid",
                                            "visibility": "team"}).get_json()
    risk = team.post(f"/opportunities/{opp['id']}/risks", json={"description": "zephyrbid 报价风险"}).get_json()
    return team, opp, risk


def test_project_seat_finds_the_team_only_opportunity_and_its_risks(app, client, world, create_user,
                                                                    login_as):
    helper, other = create_user(name="外援专家"), create_user(name="旁观同事")
    team, opp, risk = _secret_with_risk(client, world)
    helper_api, other_api = Api(client, make_token(app, helper)), Api(client, make_token(app, other))
    assert _found(helper_api) == set()
    assert team.post(f"/opportunities/{opp['id']}/seats",
                     json={"user_id": helper.id, "role": "SR"}).status_code == 201
    assert _found(helper_api) == {("opportunity", opp["id"]), ("risk", risk["id"])}
    assert _found(other_api) == set()  # not seated: still hidden
    login_as(helper)
    page = _text(client.get("/search?q=zephyrbid"))
    assert "保密投标 zephyrbid" in page and "zephyrbid 报价风险" in page
    login_as(other)
    page = _text(client.get("/search?q=zephyrbid"))
    assert "保密投标" not in page and "报价风险" not in page


def test_ended_seat_no_longer_finds_it(app, client, world, create_user, login_as):
    helper = create_user(name="外援专家")
    team, opp, _risk = _secret_with_risk(client, world)
    helper_api = Api(client, make_token(app, helper))
    team.post(f"/opportunities/{opp['id']}/seats", json={"user_id": helper.id, "role": "SR"})
    assert ("opportunity", opp["id"]) in _found(helper_api)
    seat = team.get(f"/opportunities/{opp['id']}/seats").get_json()["items"][0]
    assert team.post(f"/opportunities/{opp['id']}/seats/{seat['id']}/end", json={}).status_code == 200
    assert _found(helper_api) == set()
    login_as(helper)
    assert "保密投标" not in _text(client.get("/search?q=zephyrbid"))
