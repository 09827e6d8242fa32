"""A new record was last changed when it was made (updated_at == created_at), and a PATCH that changes
nothing keeps the version and the last-editor stamps (tester's defects 12 and 13 of issue 12)."""
from __future__ import annotations

import time

import pytest

from models import Account, Contract, ContractMilestone, CustomerGroup, Risk, Stakeholder
from tests.api_support import world  # noqa: F401


@pytest.fixture
def slow_touch(monkeypatch):
    """The tester's loaded server: time passes between a service stamping a record and the flush."""
    from models import base

    real = base.Audited.touch

    def touch(self, user_id):
        real(self, user_id)
        time.sleep(0.01)

    monkeypatch.setattr(base.Audited, "touch", touch)


@pytest.fixture
def records(app, client, world):  # noqa: F811
    """{model: id} of one new record of each kind (and {model: its stamps just after the POST} under None)."""
    admin, team = world.api(client, "admin"), world.api(client, "seated")
    made = {}
    made[Account] = admin.post("/accounts", json={"name": "苏州工业园区管委会", "name_en": "SIP",
                                                  "customer_group_id": world.group.id})
    made[CustomerGroup] = admin.post("/customer-groups", json={"name": "政企客户群", "name_en": "Government"})
    opp = team.post("/opportunities", json={"account_id": world.account.id, "name": "算力网络一期",
                                            "amount": "1000000"}).get_json()
    made[Risk] = team.post(f"/opportunities/{opp['id']}/risks",
                           json={"description": "集采评分中商务分占比可能提高", "due_on": "2026-12-15"})
    assert team.patch(f"/opportunities/{opp['id']}",
                      json={"status": "won", "close_reason": "方案领先"}).status_code == 200
    made[Contract] = team.post(f"/opportunities/{opp['id']}/contract",
                               json={"number": "T12-C-010", "signed_on": "2026-11-20",
                                     "amount": "1000000.00"})
    contract_id = made[Contract].get_json()["id"]
    first = {Contract: _stamps(app, Contract, contract_id)}  # before a milestone touches the contract
    made[ContractMilestone] = team.post(f"/contracts/{contract_id}/milestones",
                                        json={"kind": "payment", "title": "预付款", "planned_on": "2026-12-20",
                                              "planned_amount": "300000.00"})
    for model, response in made.items():
        assert response.status_code == 201, (model.__name__, response.get_json())
    ids = {model: response.get_json()["id"] for model, response in made.items()}
    return ids | {None: {model: first.get(model) or _stamps(app, model, ids[model]) for model in ids}}


def _stamps(app, model, record_id):
    with app.app_context():
        from kb.db import session
        record = session.get(model, record_id)
        return record.created_at, record.updated_at, record.version


@pytest.mark.parametrize("model", [Account, CustomerGroup, Risk, Contract, ContractMilestone])
def test_a_new_records_updated_at_is_its_created_at(app, slow_touch, records, model):
    created, updated, version = records[None][model]
    assert updated == created
    assert version == 1


PATHS = {Account: "/accounts/{}", Risk: "/risks/{}", Contract: "/contracts/{}",
         ContractMilestone: "/milestones/{}", CustomerGroup: "/customer-groups/{}"}
SAME = {Account: {"name": "苏州工业园区管委会", "region": None}, Risk: {"description": "集采评分中商务分占比可能提高"},
        Contract: {"number": "T12-C-010", "amount": "1000000.00"}, ContractMilestone: {"title": "预付款"},
        CustomerGroup: {"name": "政企客户群"}}
WHO = {Account: "admin", CustomerGroup: "admin"}


@pytest.mark.parametrize("model", list(PATHS))
def test_a_patch_that_changes_nothing_keeps_the_version(app, client, world, records, model):  # noqa: F811
    api = world.api(client, WHO.get(model, "seated"))
    path = PATHS[model].format(records[model])
    if model is ContractMilestone:  # read as a client does: from the contract's list
        items = api.get(f"/contracts/{records[Contract]}/milestones").get_json()["items"]
        read = next(m for m in items if m["id"] == records[model])
    else:
        read = api.get(path).get_json()
    before = _stamps(app, model, records[model])
    body = {key: read[key] for key in SAME[model] if key in read} | {"version": read["version"]}
    response = api.patch(path, json=body)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["version"] == read["version"]
    assert _stamps(app, model, records[model]) == before
    # the same version still saves a real change, which moves it on by one
    changed = api.patch(path, json={"version": read["version"]} | _a_change(model))
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["version"] == read["version"] + 1


def _a_change(model):
    return {Account: {"region": "华东"}, Risk: {"description": "商务分占比提高到 40%"},
            Contract: {"notes": "补充条款"}, ContractMilestone: {"title": "预付款（已开票）"},
            CustomerGroup: {"name_en": "Government & public"}}[model]


def test_a_stakeholder_patch_that_changes_nothing_keeps_the_version(app, client, world,  # noqa: F811
                                                                   create_stakeholder):
    person = create_stakeholder(world.account, name="欧阳明", owners=[world.seated])
    api = world.api(client, "seated")
    read = api.get(f"/stakeholders/{person.id}").get_json()
    before = _stamps(app, Stakeholder, person.id)
    same = {"name": read["name"], "title": read["title"], "attitude": read["attitude"],
            "version": read["version"]}
    response = api.patch(f"/stakeholders/{person.id}", json=same)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["version"] == read["version"]
    assert _stamps(app, Stakeholder, person.id) == before
    moved = api.patch(f"/stakeholders/{person.id}", json={"attitude": "support", "version": read["version"]})
    assert moved.status_code == 200, moved.get_json()
    assert moved.get_json()["version"] == read["version"] + 1


def test_an_interaction_patch_that_changes_nothing_keeps_the_version(app, client, world,  # noqa: F811
                                                                     create_interaction):
    from datetime import date

    from models import Interaction

    visit = create_interaction(world.account, title="采购中心关系重建", occurred_on=date(2026, 10, 22),
                               next_steps=[{"text": "准备 TCO 测算"}])
    api = world.api(client, "seated")
    read = api.get(f"/interactions/{visit.id}").get_json()
    before = _stamps(app, Interaction, visit.id)
    response = api.patch(f"/interactions/{visit.id}",
                         json={"title": read["title"], "version": read["version"]})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["version"] == read["version"]
    assert _stamps(app, Interaction, visit.id)[2] == before[2]  # the saver is recorded (interaction pages)
    steps = [{"text": "准备 TCO 测算（含电费）"}]
    moved = api.patch(f"/interactions/{visit.id}", json={"next_steps": steps, "version": read["version"]})
    assert moved.status_code == 200, moved.get_json()
    assert moved.get_json()["version"] == read["version"] + 1
