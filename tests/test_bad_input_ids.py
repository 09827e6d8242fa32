"""Ids no database column can hold are unknown: 404 on every `<int:...>` route, an error in forms."""
from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from werkzeug.routing import IntegerConverter

from kb import create_app
from kb.inputs import MAX_ID
from models import Interaction, Stakeholder, UserRole

from .conftest import make_config

HUGE = 2**63  # PostgreSQL's BIGINT overflows; SQLite's driver raises OverflowError


def _int_routes() -> list[tuple[str, str]]:
    """Every (rule, method) of the app whose URL takes an integer: read from the real URL map."""
    app = create_app(make_config(Path("/nonexistent"), "sqlite://"))
    found = []
    for rule in app.url_map.iter_rules():
        if any(isinstance(conv, IntegerConverter) for conv in rule._converters.values()):
            found += [(rule.rule, method) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return found


INT_ROUTES = _int_routes()


def _fill(rule: str, number: str) -> str:
    path = rule
    for name in ("account_id", "group_id", "seat_id", "number", "stakeholder_id", "interaction_id", "step_id",
                 "user_id", "handover_id", "value_id", "lead_id", "opportunity_id", "risk_id", "run_id",
                 "contract_id", "milestone_id",
                 "token_id"):
        path = path.replace(f"<int:{name}>", number)
    return path.replace("<period>", "FY2027")


def test_every_integer_route_is_covered():
    """The list below is the app's own: pages and API, reads and writes (so no route can be forgotten)."""
    rules = {rule for rule, _ in INT_ROUTES}
    assert len(rules) >= 30
    assert {"/accounts/<int:account_id>", "/api/v1/stakeholders/<int:stakeholder_id>",
            "/groups/<int:group_id>/seats/<int:seat_id>/end"} <= rules
    assert all("<int:" not in _fill(rule, "1") for rule in rules)


def _assert_404(response: Any, api: bool) -> None:
    assert response.status_code == 404, response.text[:300]
    if api:
        assert response.is_json and response.get_json()["error"]["code"] == "not_found"
    else:
        assert "We could not find that page" in response.text


@pytest.mark.parametrize("rule, method", INT_ROUTES)
def test_id_of_2_63_in_any_url_is_404(client, create_user, login_as, rule, method):
    login_as(create_user(UserRole.ADMIN))
    path = _fill(rule, str(HUGE))
    api = path.startswith("/api/")
    body = {"json": {"name": "有人填写的文字"}} if api else {"data": {"name": "有人填写的文字"}}
    _assert_404(client.open(path, method=method, **body), api)


@pytest.mark.parametrize("number", [str(2**31), "1" + "0" * 30, "9" * 5000, "0" * 40 + str(2**40)])
@pytest.mark.parametrize("rule", ["/accounts/<int:account_id>", "/stakeholders/<int:stakeholder_id>/edit",
                                  "/api/v1/interactions/<int:interaction_id>"])
def test_any_number_beyond_the_id_range_is_404(client, create_user, login_as, rule, number):
    login_as(create_user(UserRole.ADMIN))
    path = _fill(rule, number)
    _assert_404(client.get(path), path.startswith("/api/"))


def test_ids_in_range_still_reach_their_pages(client, create_user, create_account, login_as):
    login_as(create_user(UserRole.ADMIN))
    account = create_account(name="边界客户")
    assert "边界客户" in client.get(f"/accounts/{account.id}").text
    assert client.get(f"/accounts/{MAX_ID}").status_code == 404  # the largest id: simply not there


# --- ids inside forms: a form error, the typed text kept, nothing stored ------------------------------

@pytest.fixture
def world(create_user, create_group, create_seat, create_account, create_stakeholder):
    admin = create_user(UserRole.ADMIN)
    group = create_group()
    account = create_account(group)
    person = create_stakeholder(account, owners=[admin])
    return type("World", (), {"admin": admin, "group": group, "account": account, "person": person})


def _count(app: Any, model: Any) -> int:
    with app.app_context():
        from kb.db import session
        return session.scalar(select(func.count(model.id)))


def _interaction(**overrides: Any) -> dict[str, Any]:
    data = {"occurred_on": "2026-10-12", "kind": "visit", "title": "数字化规划交流", "summary": "客户关注港口自动化",
            "visibility": "org", "next_steps-0-text": "报价", "next_steps-0-owner_id": "0",
            "next_steps-0-due_on": ""}
    data.update(overrides)
    return data


@pytest.mark.parametrize("field", ["attendee_ids", "stakeholder_ids", "next_steps-0-owner_id"])
@pytest.mark.parametrize("number", [HUGE, 2**31, -(2**63)])
def test_out_of_range_id_in_visit_form_is_a_form_error(app, client, login_as, world, field, number):
    login_as(world.admin)
    before = _count(app, Interaction)
    response = client.post(f"/accounts/{world.account.id}/interactions/new",
                           data=_interaction(**{field: str(number)}))
    assert response.status_code == 422
    assert "客户关注港口自动化" in html.unescape(response.text)  # what was typed comes back
    assert _count(app, Interaction) == before


def _stakeholder(**overrides: Any) -> dict[str, Any]:
    data = {"name": "王建国", "title": "首席信息官", "reports_to_id": "0", "decision_role": "decision_maker",
            "attitude": "support", "influence": "high", "layer": "key", "relationship_level": "4",
            "primary_owner_id": "0", "notes": "关注数字化转型的细节"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("field", ["reports_to_id", "primary_owner_id", "backup_owner_ids",
                                   "relationship_level"])
def test_out_of_range_id_in_stakeholder_form_is_a_form_error(app, client, login_as, world, field):
    login_as(world.admin)
    before = _count(app, Stakeholder)
    response = client.post(f"/accounts/{world.account.id}/stakeholders/new",
                           data=_stakeholder(**{field: str(HUGE)}))
    assert response.status_code == 422
    assert "关注数字化转型的细节" in html.unescape(response.text)
    assert _count(app, Stakeholder) == before


@pytest.mark.parametrize("field", ["parent_id", "customer_group_id", "member_ids"])
def test_out_of_range_id_in_account_form_is_a_form_error(client, login_as, world, field):
    login_as(world.admin)
    data = {"name": "新客户甲", "tier": "standard", "coverage": "direct", "customer_group_id": "",
            "parent_id": "", "description": "我们写下的客户描述", field: str(HUGE)}
    response = client.post(f"/accounts/{world.account.id}/edit", data=data)
    assert response.status_code == 422
    assert "我们写下的客户描述" in html.unescape(response.text)


def test_out_of_range_user_in_rotation_is_a_form_error(client, login_as, world):
    login_as(world.admin)
    response = client.post(f"/groups/{world.group.id}/seats",
                           data={"role": "AR", "user_id": str(HUGE), "started_on": "2026-11-01",
                                 "note": "交接说明"})
    assert response.status_code == 422
    assert "交接说明" in html.unescape(response.text)


@pytest.mark.parametrize("field", ["version", "decision_maker_ids"])
def test_out_of_range_ids_in_plan_form_are_a_form_error(client, login_as, world, create_plan, field):
    login_as(world.admin)
    create_plan(world.account)
    response = client.post(f"/accounts/{world.account.id}/plans/FY2027/edit",
                           data={"strategy": "三年上云的战略", "status": "draft", field: str(HUGE)})
    assert response.status_code == 422
    assert "三年上云的战略" in html.unescape(response.text)


@pytest.mark.parametrize("digits", ["１", "١", "𝟏", "१"])  # full-width, Arabic-Indic, mathematical, Devanagari
def test_other_scripts_digits_are_not_ids(client, digits):
    assert client.get(f"/accounts/{digits}").status_code == 404
    assert client.get(f"/api/v1/accounts/{digits}").status_code in (401, 404)
