"""GET /api/v1/watches (issue 10 §4): the four watches as JSON, per currency, through the access rules;
422 for a bad period or group id, 404 for an unknown group."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.api_support import assert_error, world  # noqa: F401  # `world` is a fixture
from tests.watches_support import add_opportunity, add_risk


def year(app):
    from kb import clock
    with app.app_context():
        return clock.today().year


@pytest.fixture
def api_world(app, world, create_user):
    y = year(app)
    sr, fr = create_user(name="孙方案"), create_user(name="周交付")
    add_opportunity(app, world.account, "公开在谈", amount="1000000", probability=40, stage="bid",
                    seats=((world.seated, "AR", None), (sr, "SR", None), (fr, "FR", None)), stakeholders=1,
                    key_light="yellow", light_reason="预算待批")
    add_opportunity(app, world.account, "美元赢单", amount="300000", currency="USD", status="won",
                    opened_on=date(y, 1, 1), closed_on=date(y, 1, 21))
    add_opportunity(app, world.account, "输单", amount="100", status="lost", opened_on=date(y, 1, 1),
                    closed_on=date(y, 1, 11))
    secret = add_opportunity(app, world.account, "机密项目", amount="80000000", probability=90, visibility="team",
                             key_light="red", light_reason="机密")
    add_risk(app, world.account, "机密风险", opportunity_id=secret, due_on=date(y - 1, 1, 1))
    add_risk(app, world.account, "公开风险", owner=world.named, due_on=date(y - 1, 1, 1))
    return world


def test_shape_and_numbers_for_a_viewer(app, api_world):
    response = api_world.api(app.test_client(), "viewer").get(
        f"/watches?group={api_world.group.id}&period=fy{year(app)}")
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) >= {"health", "kpi", "key_projects", "risks"}
    assert body["period"]["label"] == f"FY{year(app)}" and body["group_id"] == api_world.group.id
    assert body["health"]["open_opportunities"] == 1
    assert body["health"]["complete_triangle"] == {"count": 1, "total": 1, "percent": 100}
    kpi = body["kpi"]
    assert kpi["won"] == {"USD": "300000.00"}
    assert kpi["pipeline"] == {"CNY": "1000000.00"}
    assert kpi["weighted_pipeline"] == {"CNY": "400000.00"}
    assert kpi["win_rate"] == 0.5 and kpi["median_cycle_days"] == 15
    assert kpi["by_stage"]["bid"] == {"CNY": "1000000.00"}
    assert [k["name"] for k in body["key_projects"]] == ["公开在谈"]
    assert body["key_projects"][0]["light"] == "yellow"
    assert body["risks"]["open"] == 1 and body["risks"]["overdue"] == 1
    assert [r["description"] for r in body["risks"]["items"]] == ["公开风险"]
    assert "机密" not in response.get_data(as_text=True)


def test_the_team_sees_its_team_only_numbers(app, api_world):
    body = api_world.api(app.test_client(), "seated").get("/watches").get_json()
    assert body["kpi"]["pipeline"] == {"CNY": "81000000.00"}
    assert [k["light"] for k in body["key_projects"]] == ["red", "yellow"]
    assert body["risks"]["overdue"] == 2


@pytest.mark.parametrize("query, field", [("period=FY27", "period"), ("period=2027Q7", "period"),
                                          ("group=abc", "group"), ("group=0", "group")])
def test_bad_input_is_422(app, world, query, field):
    response = world.api(app.test_client(), "viewer").get(f"/watches?{query}")
    assert_error(response, 422, field)


def test_unknown_group_is_404(app, world):
    response = world.api(app.test_client(), "viewer").get("/watches?group=99999")
    assert response.status_code == 404 and "error" in response.get_json()


def test_signed_out_is_refused(app, world):
    assert app.test_client().get("/api/v1/watches").status_code == 401
