"""A PATCH / PUT that gives a read-only field (id, account_id, created_at, updated_at, …) another value than
the record's is refused with 422 naming the field, and nothing is saved; the value GET gave is accepted (a
client sends back what it read); a change that changes nothing keeps the version and `updated_at` and
writes no search outbox entry (the tester's D3: PATCH /interactions/119 {"account_id": 1} answered 200)."""
from __future__ import annotations

import pytest

from models import (
    Account, Contract, ContractMilestone, CustomerGroup, IndexEvent, Interaction, Lead, Opportunity, Risk,
    Stakeholder,
)
from tests.api_support import world  # noqa: F401

#: (model, path of the record, who may change it, a read-only name and a value other than the record's)
CASES = {
    Account: ("/accounts/{}", "admin", "created_at", "2020-01-01T00:00:00Z"),
    CustomerGroup: ("/customer-groups/{}", "admin", "id", 999),
    Stakeholder: ("/stakeholders/{}", "seated", "account_id", 999),
    Interaction: ("/interactions/{}", "seated", "account_id", 999),
    Lead: ("/leads/{}", "seated", "id", 999),
    Opportunity: ("/opportunities/{}", "seated", "opened_on", "2020-01-01"),
    Risk: ("/risks/{}", "seated", "updated_at", "2020-01-01T00:00:00Z"),
    Contract: ("/contracts/{}", "seated", "opportunity_id", 999),
    ContractMilestone: ("/milestones/{}", "seated", "contract_id", 999),
}
#: A field each record's PATCH may change, with the value it has.
SAME_FIELD = {Account: "name", CustomerGroup: "name", Stakeholder: "name", Interaction: "title",
              Lead: "title", Opportunity: "name", Risk: "description", Contract: "number",
              ContractMilestone: "title"}


@pytest.fixture
def records(client, world):  # noqa: F811
    """{model: id} of one record of each kind with a PATCH, made through the API."""
    admin, team = world.api(client, "admin"), world.api(client, "seated")
    account_id = world.account.id
    made = {
        Account: admin.post("/accounts", json={"name": "苏州工业园区管委会", "name_en": "SIP",
                                               "customer_group_id": world.group.id}),
        CustomerGroup: admin.post("/customer-groups", json={"name": "政企客户群", "name_en": "Government"}),
        Stakeholder: team.post(f"/accounts/{account_id}/stakeholders", json={"name": "欧阳明"}),
        Interaction: team.post(f"/accounts/{account_id}/interactions",
                               json={"occurred_on": "2026-10-22", "kind": "visit", "title": "采购中心关系重建"}),
        Lead: team.post("/leads", json={"account_id": account_id, "title": "算力网络扩容线索"}),
        Opportunity: team.post("/opportunities", json={"account_id": account_id, "name": "算力网络一期",
                                                       "amount": "1000000"}),
    }
    opp = made[Opportunity].get_json()["id"]
    made[Risk] = team.post(f"/opportunities/{opp}/risks",
                           json={"description": "集采评分中商务分占比可能提高", "due_on": "2026-12-15"})
    won = team.patch(f"/opportunities/{opp}", json={"status": "won", "close_reason": "方案领先"})
    assert won.status_code == 200
    made[Contract] = team.post(f"/opportunities/{opp}/contract",
                               json={"number": "T12-C-010", "signed_on": "2026-11-20",
                                     "amount": "1000000.00"})
    contract = made[Contract].get_json()["id"]
    made[ContractMilestone] = team.post(f"/contracts/{contract}/milestones",
                                        json={"kind": "payment", "title": "预付款", "planned_on": "2026-12-20",
                                              "planned_amount": "300000.00"})
    for model, response in made.items():
        assert response.status_code == 201, (model.__name__, response.get_json())
    return {model: response.get_json()["id"] for model, response in made.items()}


def _read(api, model, path, records):
    if model is ContractMilestone:  # a milestone is read from its contract's list
        items = api.get(f"/contracts/{records[Contract]}/milestones").get_json()["items"]
        return next(m for m in items if m["id"] == records[model])
    return api.get(path).get_json()


def _stored(app, model, record_id):
    """(version, updated_at, the record's own columns) as stored, and the number of outbox entries."""
    with app.app_context():
        from sqlalchemy import func, select

        from kb.db import session
        record = session.get(model, record_id)
        columns = {c.key: getattr(record, c.key) for c in model.__table__.columns}
        return columns, session.scalar(select(func.count()).select_from(IndexEvent))


@pytest.mark.parametrize("model", list(CASES), ids=lambda m: m.__name__)
def test_a_read_only_field_with_another_value_is_refused_and_nothing_saved(app, client, world,  # noqa: F811
                                                                           records, model):
    path, who, name, other = CASES[model]
    path = path.format(records[model])
    api = world.api(client, who)
    read = _read(api, model, path, records)
    assert name in read and read[name] != other
    before = _stored(app, model, records[model])
    field = SAME_FIELD[model]
    response = api.patch(path, json={name: other, field: read[field] + "（改）", "version": read["version"]})
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["fields"] == {name: "This field cannot be changed."}
    assert _stored(app, model, records[model]) == before  # the other field was not saved either


@pytest.mark.parametrize("model", list(CASES), ids=lambda m: m.__name__)
def test_the_record_as_read_is_accepted_and_changes_nothing(app, client, world, records, model):  # noqa: F811
    path, who, name, _other = CASES[model]
    path = path.format(records[model])
    api = world.api(client, who)
    read = _read(api, model, path, records)
    before = _stored(app, model, records[model])
    echoed = {key: read[key] for key in ("id", "created_at", "updated_at", name, SAME_FIELD[model], "version")
              if key in read}
    response = api.patch(path, json=echoed)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["version"] == read["version"]
    assert response.get_json()["updated_at"] == read["updated_at"]
    assert _stored(app, model, records[model]) == before  # same columns, no new outbox entry
    empty = api.patch(path, json={})
    assert empty.status_code == 200, empty.get_json()
    assert _stored(app, model, records[model]) == before


@pytest.mark.parametrize("model", list(CASES), ids=lambda m: m.__name__)
def test_a_real_change_still_saves(app, client, world, records, model):  # noqa: F811
    path, who, _name, _other = CASES[model]
    path = path.format(records[model])
    api = world.api(client, who)
    read = _read(api, model, path, records)
    field = SAME_FIELD[model]
    response = api.patch(path, json={"id": read["id"], field: read[field] + "（二期）",
                                     "version": read["version"]})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()[field] == read[field] + "（二期）"
    assert response.get_json()["version"] == read["version"] + 1


def test_the_testers_interaction_patch_of_account_id(app, client, world, records):  # noqa: F811
    """PATCH /interactions/<id> {"account_id": <another account>} → 422 in Chinese too; the visit stays."""
    api = world.api(client, "seated")
    path = f"/interactions/{records[Interaction]}"
    response = api.patch(path, json={"account_id": records[Account]}, headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"account_id": "此字段不可修改。"}
    assert api.get(path).get_json()["account_id"] == world.account.id
    assert api.patch(path, json={"account_id": world.account.id}).status_code == 200
    # true is no account id 1, nor is 1.0 the JSON the record gave
    assert api.patch(path, json={"account_id": float(world.account.id)}).status_code == 422


def test_an_unknown_field_is_still_unknown(client, world, records):  # noqa: F811
    response = world.api(client, "seated").patch(f"/interactions/{records[Interaction]}",
                                                 json={"foo": 1, "id": 999})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"foo": "Unknown field.",
                                                      "id": "This field cannot be changed."}


def test_a_plan_put_refuses_another_account_id_and_takes_its_own(client, world):  # noqa: F811
    api = world.api(client, "admin")
    path = f"/accounts/{world.account.id}/plans/2027H1"
    first = api.put(path, json={"status": "draft"})
    assert first.status_code == 201, first.get_json()
    read = first.get_json()
    refused = api.put(path, json={"account_id": world.account.id + 1, "version": read["version"]})
    assert refused.status_code == 422
    assert refused.get_json()["error"]["fields"] == {"account_id": "This field cannot be changed."}
    revisions = api.get(f"{path}/revisions").get_json()["items"]
    same = api.put(path, json={"account_id": read["account_id"], "period": read["period"],
                               "version": read["version"]})
    assert same.status_code == 200, same.get_json()
    assert same.get_json()["version"] == read["version"]
    assert same.get_json()["updated_at"] == read["updated_at"]
    assert api.get(f"{path}/revisions").get_json()["items"] == revisions  # no new revision


def test_the_document_marks_the_read_only_names(client, world):  # noqa: F811
    document = world.api(client, "seated").get("/openapi.json", headers={"Accept-Language": "en"}).get_json()
    body = document["paths"]["/interactions/{interaction_id}"]["patch"]["requestBody"]["content"]
    schema = body["application/json"]["schema"]
    for name in ("id", "account_id", "created_at", "updated_at"):
        assert schema["properties"][name]["readOnly"] is True
        assert "This field cannot be changed." in schema["properties"][name]["description"]
