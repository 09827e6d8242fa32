"""POST /stakeholders/<id>/erase erases only on a body confirming it ({"confirm": true}), like the page's
checkbox: a stray POST or a fuzzer's body erases nothing (tester's defect 2 of issue 12)."""
from __future__ import annotations

import pytest

from models import Stakeholder
from tests.api_support import Api, make_token

NAME = "欧阳明"


@pytest.fixture
def setup(app, client, create_user, create_group, create_account, create_stakeholder):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    account = create_account(group=create_group(), name="华夏电力")
    person = create_stakeholder(account, name=NAME)
    admin = Api(client, make_token(app, create_user(role="admin", name="管理员")))
    return admin, person.id


def _name(app, sid):
    with app.app_context():
        from kb.db import session
        return session.get(Stakeholder, sid).name


@pytest.mark.parametrize("kwargs, status, fields", [
    ({}, 400, None),
    ({"data": "not json", "content_type": "application/json"}, 400, None),
    ({"json": {}}, 422, {"confirm": "Required."}),
    ({"json": {"confirm": False}}, 422, {"confirm": "Tick the box to confirm the erasure."}),
    ({"json": {"confirm": "yes"}}, 422, {"confirm": "Must be true or false."}),
    ({"json": {"confirm": 1}}, 422, {"confirm": "Must be true or false."}),
    ({"json": {"confirm": True, "really": True}}, 422, {"really": "Unknown field."}),
])
def test_erase_without_confirmation_erases_nothing(app, setup, kwargs, status, fields):
    admin, sid = setup
    response = admin.request("POST", f"/stakeholders/{sid}/erase", **kwargs)
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    if fields is not None:
        assert error["fields"] == fields
    assert _name(app, sid) == NAME


def test_erase_with_confirmation_erases(app, setup):
    admin, sid = setup
    response = admin.request("POST", f"/stakeholders/{sid}/erase", json={"confirm": True})
    assert response.status_code == 200
    assert _name(app, sid) != NAME
    assert response.get_json()["erasure"]["stakeholder_id"] == sid


def test_document_declares_the_confirmation(app, client, setup):
    admin, _sid = setup
    doc = admin.get("/openapi.json").get_json()
    body = doc["paths"]["/stakeholders/{stakeholder_id}/erase"]["post"]["requestBody"]
    assert body["required"] is True
    schema = body["content"]["application/json"]["schema"]
    schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]] if "$ref" in schema else schema
    assert schema["required"] == ["confirm"]
    assert schema["properties"]["confirm"]["const"] is True
