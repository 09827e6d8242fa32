"""Response bodies declared with pydantic (issue 12, views/api/answers/): the OpenAPI components are the
models' serialization schemas, closed (`additionalProperties: false`), and every answer the API gives in
the tests is validated against its model (views/api/answers/check.py, on in tests/conftest.py). Here: the
check catches a name a serializer adds without its model, and every GET/POST/PATCH on the demo data (every
record of each kind, as an admin who sees private fields and as a viewer who does not) answers its
declared shape."""
from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import select

from models import (
    Account, AccountPlan, Contract, ContractMilestone, CustomerGroup, Handover, Interaction, Lead, Opportunity,
    OpportunitySeat, Risk, Stakeholder, User,
)
from tests.api_support import Api, make_token
from views.api.answers import MODELS, SCHEMAS, answer_adapter, items_of, ref
from views.api.answers.check import AnswerMismatch

#: Path parameter → the records whose ids it takes (every one of them, up to MAX_PER_PATH).
PARAMS = {"account_id": Account, "stakeholder_id": Stakeholder, "interaction_id": Interaction,
          "group_id": CustomerGroup, "lead_id": Lead, "opportunity_id": Opportunity, "contract_id": Contract,
          "milestone_id": ContractMilestone, "risk_id": Risk, "handover_id": Handover,
          "seat_id": OpportunitySeat}
MAX_PER_PATH = 40


def test_components_are_the_models_serialization_schemas():
    from pydantic.json_schema import models_json_schema

    from views.api.answers.base import AnswerSchema, without_titles

    _refs, top = models_json_schema([(MODELS["Lead"], "serialization")],
                                    ref_template="#/components/schemas/{model}", schema_generator=AnswerSchema)
    assert SCHEMAS["Lead"] == without_titles(top["$defs"]["Lead"])
    for name in MODELS:
        assert SCHEMAS[name]["additionalProperties"] is False, name
    lead = SCHEMAS["Lead"]["properties"]
    assert lead["estimated_amount"]["anyOf"][0]["pattern"] == r"^-?[0-9]+\.[0-9]{2}$"
    assert lead["budget_confirmed_on"] == {"anyOf": [{"format": "date", "type": "string"}, {"type": "null"}]}
    assert lead["status"] == {"$ref": "#/components/schemas/LeadStatus"}
    assert "created_at" in SCHEMAS["Lead"]["required"]
    # names a serializer may leave out are not required: a viewer's stakeholder has no private notes
    assert "private_notes" not in SCHEMAS["Stakeholder"]["required"]


def test_the_document_gives_each_enumerations_meaning(client, login_as, create_user):
    login_as(create_user(role="member"))
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert schemas["LeadStatus"]["enum"] == ["new", "cultivating", "qualified", "converted", "dropped"]
    assert "`strategic`: Strategic" in schemas["Tier"]["description"]
    assert "x-enum" not in str(schemas)


def test_answer_adapters_follow_the_declarations():
    assert answer_adapter(ref("Account")).validate_python is not None
    page = answer_adapter(items_of("Lead", paged=True))
    page.validate_python({"items": [], "page": 1, "per_page": 20, "total": 0})
    with pytest.raises(Exception):
        page.validate_python({"items": [], "page": 1, "per_page": 20, "total": 0, "next": None})
    assert answer_adapter({"type": "object"}) is None


def test_a_name_added_to_a_serializer_but_not_to_its_model_fails(app, client, login_as, create_user,
                                                                  create_account, monkeypatch):
    import views.api.accounts as accounts_api

    account = create_account(name="中国移动浙江公司")
    login_as(create_user(role="admin"))
    assert client.get(f"/api/v1/accounts/{account.id}").status_code == 200
    original = accounts_api.serialize_account
    monkeypatch.setattr(accounts_api, "serialize_account", lambda a: original(a) | {"owner_name": "王芳"})
    with pytest.raises(AnswerMismatch, match="owner_name"):
        client.get(f"/api/v1/accounts/{account.id}")
    monkeypatch.setattr(accounts_api, "serialize_account", lambda a: original(a) | {"tier": "gold"})
    with pytest.raises(AnswerMismatch, match="tier"):
        client.get(f"/api/v1/accounts/{account.id}")
    monkeypatch.setattr(accounts_api, "serialize_account",
                        lambda a: {k: v for k, v in original(a).items() if k != "version"})
    with pytest.raises(AnswerMismatch, match="version"):
        client.get(f"/api/v1/accounts/{account.id}")


def _ids(app) -> dict[str, list[Any]]:
    with app.app_context():
        from kb.db import session

        ids: dict[str, list[Any]] = {name: list(session.scalars(select(model.id).order_by(model.id)))
                                     for name, model in PARAMS.items()}
        ids["plan"] = [(p.account_id, p.period) for p in session.scalars(select(AccountPlan))]
        return ids


def _urls(path: str, ids: dict[str, list[Any]]) -> list[str]:
    names = re.findall(r"{(\w+)}", path)
    if not names:
        return [path]
    if "period" in names:
        return [path.replace("{account_id}", str(a)).replace("{period}", p) for a, p in ids["plan"]]
    if names == ["opportunity_id", "seat_id"]:
        return []  # a POST only (end a seat): below
    return [path.replace("{" + names[0] + "}", str(i)) for i in ids[names[0]][:MAX_PER_PATH]]


@pytest.mark.parametrize("who", ["admin@demo.kb", "viewer@demo.kb"])
def test_every_get_on_the_demo_data_answers_its_declared_shape(app, runner, client, who):
    assert runner.invoke(args=["kb", "demo"]).exit_code == 0
    with app.app_context():
        from kb.db import session

        user = SimpleNamespace(id=session.scalar(select(User.id).where(User.email == who)))
    api = Api(client, make_token(app, user))
    document = api.get("/openapi.json").get_json()
    ids = _ids(app)
    statuses: dict[int, int] = {}
    for path, ops in document["paths"].items():
        if "get" not in ops or path.endswith((".xlsx", "openapi.json")):
            continue
        for url in _urls(path, ids):
            response = api.get(url + ("?per_page=100" if "page" in str(ops["get"].get("parameters")) else ""))
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            assert response.status_code in (200, 403, 404), (url, response.status_code)
            if response.status_code == 200:  # the check ran (it raises on a mismatch); spot-check too
                adapter = answer_adapter(ops["get"]["responses"]["200"]["content"]["application/json"]
                                         ["schema"]) if "$ref" in str(ops["get"]["responses"]["200"]) else None
                if adapter is not None:
                    adapter.validate_json(response.get_data(), strict=True)
    assert statuses[200] > 150, statuses


def test_writes_on_the_demo_data_answer_their_declared_shapes(app, runner, client):
    """The documented examples (views/api/examples.py) and a few more writes, as the demo admin."""
    from views.api.examples import EXAMPLES

    assert runner.invoke(args=["kb", "demo"]).exit_code == 0
    with app.app_context():
        from kb.db import session

        admin = SimpleNamespace(id=session.scalar(select(User.id).where(User.email == "admin@demo.kb")))
        account = session.scalars(select(Account).order_by(Account.id)).first()
        opp = session.scalars(select(Opportunity).where(Opportunity.status == "open")
                              .order_by(Opportunity.id)).first()
        contract = session.scalars(select(Contract)).first()
        milestone = contract.milestones[0]
        lead = session.scalars(select(Lead).where(Lead.status != "converted").order_by(Lead.id)).first()
        stakeholder = session.scalars(select(Stakeholder).order_by(Stakeholder.id)).first()
        plan = session.scalars(select(AccountPlan)).first()
        group = session.scalars(select(CustomerGroup)).first()
        state = {"account": (account.id, account.version), "opp": (opp.id, opp.version),
                 "contract": (contract.id, contract.version), "milestone": (milestone.id, milestone.version),
                 "lead": (lead.id, lead.version), "stakeholder": (stakeholder.id, stakeholder.version),
                 "plan": (plan.account_id, plan.period, plan.version), "group": (group.id, group.version)}
    api = Api(client, make_token(app, admin))
    a_id, a_version = state["account"]
    answers = [
        api.post("/accounts", json=EXAMPLES["create_account"] | {"name": "苏州工业园区管委会", "name_en": "SIP",
                                                                 "aliases": []}),
        api.patch(f"/accounts/{a_id}", json={"region": "西北", "version": a_version}),  # a change: version + 1
        api.patch(f"/accounts/{a_id}", json={"region": "华北", "version": a_version}),  # stale: 409
        api.post(f"/accounts/{a_id}/stakeholders", json=EXAMPLES["create_stakeholder"]),
        api.patch(f"/stakeholders/{state['stakeholder'][0]}",
                  json={"attitude": "neutral", "version": state["stakeholder"][1]}),
        api.post(f"/accounts/{a_id}/interactions", json=EXAMPLES["create_interaction"]),
        api.post("/leads", json=EXAMPLES["create_lead"] | {"account_id": a_id}),
        api.patch(f"/leads/{state['lead'][0]}", json={"description": "预算待确认", "version": state["lead"][1]}),
        api.post("/opportunities", json=EXAMPLES["create_opportunity"] | {"account_id": a_id}),
        api.patch(f"/opportunities/{state['opp'][0]}", json={"notes": "客户高层已拜访", "version": state["opp"][1]}),
        api.post(f"/opportunities/{state['opp'][0]}/risks", json=EXAMPLES["create_opportunity_risk"]),
        api.patch(f"/contracts/{state['contract'][0]}", json={"notes": "补充条款", "version": state["contract"][1]}),
        api.patch(f"/milestones/{state['milestone'][0]}",
                  json={"title": "预付款（已开票）", "version": state["milestone"][1]}),
        api.post("/customer-groups", json=EXAMPLES["create_group"] | {"name": "新客户群"}),
        api.patch(f"/customer-groups/{state['group'][0]}", json={"description": "华东", "version": state["group"][1]}),
        api.put(f"/accounts/{state['plan'][0]}/plans/{state['plan'][1]}",
                json={"strategy": "算力网络", "version": state["plan"][2]}),
        api.post("/handovers", json={"from_user_id": admin.id, "to_user_id": admin.id + 1, "dry_run": True}),
        api.post("/tokens", json={"label": "x", "expires_days": 30}),  # a token mints no token: 403
    ]
    codes = [r.status_code for r in answers]
    assert all(code < 500 for code in codes), codes
    assert codes[2] == 409 and codes[-1] == 403  # a stale version; a token mints no token
    assert [code for code in codes if not 200 <= code < 300] == [409, 403], codes


def test_closed_vocabularies_follow_the_code():
    from kb.exchange.columns import IMPORT_KINDS

    assert SCHEMAS["ImportReport"]["properties"]["kind"]["enum"] == list(IMPORT_KINDS)
    assert SCHEMAS["PersonalRecord"]["properties"]["layer"] == {"$ref": "#/components/schemas/RelationshipLayer"}
    assert SCHEMAS["WatchTarget"]["properties"]["metric"] == {"$ref": "#/components/schemas/TargetMetric"}
