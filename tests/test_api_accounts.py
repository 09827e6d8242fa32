"""Accounts through the API: list and filters, create, read, change, archive/restore, errors, access."""
from __future__ import annotations

import pytest

from tests.api_support import assert_error, world  # noqa: F401

ACCOUNT_KEYS = {"id", "name", "name_en", "aliases", "industry", "region", "tier", "coverage",
                "customer_group_id", "parent_id", "archived", "created_at", "updated_at", "created_by_id",
                "updated_by_id"}


def test_list_accounts_pages_and_filters(client, world, create_account, create_group):
    other_group = create_group(name="西部政企客户群")
    for n in range(3):
        create_account(group=other_group, name=f"四川政务{n}", aliases=[])
    api = world.api(client, "viewer")

    body = api.get("/accounts?per_page=2&page=1").get_json()
    assert body["total"] == 4 and body["page"] == 1 and body["per_page"] == 2
    assert len(body["items"]) == 2
    assert ACCOUNT_KEYS <= set(body["items"][0])

    found = api.get("/accounts", query_string={"q": "浙江移动"}).get_json()
    assert [a["name"] for a in found["items"]] == ["中国移动浙江公司"]
    assert found["items"][0]["aliases"] == ["浙江移动", "ZJCM"]

    by_group = api.get(f"/accounts?group={other_group.id}").get_json()
    assert by_group["total"] == 3
    assert {a["customer_group_id"] for a in by_group["items"]} == {other_group.id}


@pytest.mark.parametrize("query, field", [("per_page=101", "per_page"), ("per_page=0", "per_page"),
                                          ("page=abc", "page"), ("group=x", "group"), ("tier=gold", "tier")])
def test_bad_list_parameters_are_422(client, world, query, field):
    assert_error(world.api(client, "viewer").get(f"/accounts?{query}"), 422, field)


def test_create_account(client, world):
    api = world.api(client, "admin")
    response = api.post("/accounts", json={
        "name": "浙江电信", "name_en": "Zhejiang Telecom", "aliases": ["浙江电信", "ZJT"], "industry": "电信",
        "region": "华东", "tier": "strategic", "coverage": "channel", "customer_group_id": world.group.id,
        "parent_id": world.account.id,
    })
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["name"] == "浙江电信" and body["tier"] == "strategic" and body["coverage"] == "channel"
    assert body["aliases"] == ["浙江电信", "ZJT"] and body["parent_id"] == world.account.id
    assert body["created_by_id"] == world.admin.id and body["archived"] is False
    assert body["created_at"].endswith("+00:00")
    assert response.headers["Location"].endswith(f"/api/v1/accounts/{body['id']}")
    assert api.get(f"/accounts/{body['id']}").get_json()["name_en"] == "Zhejiang Telecom"


def test_seated_member_creates_in_own_group_only(client, world, create_group):
    api = world.api(client, "seated")
    response = api.post("/accounts", json={"name": "杭州银行", "customer_group_id": world.group.id})
    assert response.status_code == 201
    elsewhere = create_group(name="别处客户群")
    assert_error(api.post("/accounts", json={"name": "别处银行", "customer_group_id": elsewhere.id}), 403)


def test_get_account(client, world):
    response = world.api(client, "viewer").get(f"/accounts/{world.account.id}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == world.account.id and body["name"] == "中国移动浙江公司"
    assert body["customer_group_id"] == world.group.id
    assert ACCOUNT_KEYS <= set(body)


def test_patch_changes_only_given_fields(client, world):
    api = world.api(client, "seated")
    response = api.patch(f"/accounts/{world.account.id}", json={"tier": "growth", "aliases": ["移动浙江"]})
    assert response.status_code == 200, response.get_json()
    body = api.get(f"/accounts/{world.account.id}").get_json()
    assert body["tier"] == "growth" and body["aliases"] == ["移动浙江"]
    assert body["name"] == "中国移动浙江公司" and body["updated_by_id"] == world.seated.id


def test_patch_archives_and_restores(client, world):
    api = world.api(client, "named")
    path = f"/accounts/{world.account.id}"
    assert api.patch(path, json={"archived": True}).get_json()["archived"] is True
    assert api.get("/accounts").get_json()["total"] == 0
    assert api.get("/accounts?include_archived=true").get_json()["total"] == 1
    assert api.patch(path, json={"archived": False}).get_json()["archived"] is False
    assert api.get("/accounts").get_json()["total"] == 1


def test_get_then_patch_round_trip(client, world):
    api = world.api(client, "admin")
    body = api.get(f"/accounts/{world.account.id}").get_json()
    body["industry"] = "运营商"
    response = api.patch(f"/accounts/{world.account.id}", json=body)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["industry"] == "运营商"


@pytest.mark.parametrize("who, status", [("viewer", 403), ("outsider", 403), ("seated", 200), ("named", 200),
                                         ("admin", 200)])
def test_who_may_patch(client, world, who, status):
    response = world.api(client, who).patch(f"/accounts/{world.account.id}", json={"region": "华南"})
    assert response.status_code == status
    region = world.api(client, "admin").get(f"/accounts/{world.account.id}").get_json()["region"]
    assert (region == "华南") is (status == 200)
    if status == 403:
        assert_error(response, 403)


def test_viewer_cannot_create(client, world):
    assert_error(world.api(client, "viewer").post("/accounts", json={"name": "新客户"}), 403)


@pytest.mark.parametrize("body, field", [
    ({}, "name"),
    ({"name": ""}, "name"),
    ({"name": "   "}, "name"),
    ({"name": 123}, "name"),
    ({"name": "x" * 201}, "name"),
    ({"name": "新客户", "aliases": "浙江移动"}, "aliases"),
    ({"name": "新客户", "aliases": [1, 2]}, "aliases"),
    ({"name": "新客户", "aliases": ["a"] * 21}, "aliases"),
    ({"name": "新客户", "aliases": ["x" * 101]}, "aliases"),
    ({"name": "新客户", "tier": "gold"}, "tier"),
    ({"name": "新客户", "coverage": "partner"}, "coverage"),
    ({"name": "新客户", "coverage": 1}, "coverage"),
    ({"name": "新客户", "customer_group_id": "1"}, "customer_group_id"),
    ({"name": "新客户", "customer_group_id": True}, "customer_group_id"),
    ({"name": "新客户", "customer_group_id": 999999}, "customer_group_id"),
    ({"name": "新客户", "parent_id": 999999}, "parent_id"),
    ({"name": "新客户", "industry": "x" * 51}, "industry"),
    ({"name": "新客户", "colour": "red"}, "colour"),
])
def test_create_422_per_field(client, world, body, field):
    api = world.api(client, "admin")
    error = assert_error(api.post("/accounts", json=body), 422, field)
    assert error["code"] == "validation_failed"
    assert api.get("/accounts").get_json()["total"] == 1  # nothing created


@pytest.mark.parametrize("body, field", [
    ({"name": None}, "name"),
    ({"archived": "yes"}, "archived"),
    ({"parent_id": "self"}, "parent_id"),
])
def test_patch_422_per_field(client, world, body, field):
    assert_error(world.api(client, "admin").patch(f"/accounts/{world.account.id}", json=body), 422, field)


def test_account_cannot_be_its_own_parent(client, world):
    path = f"/accounts/{world.account.id}"
    response = world.api(client, "admin").patch(path, json={"parent_id": world.account.id})
    assert_error(response, 422, "parent_id")


@pytest.mark.parametrize("data, content_type", [
    ("{not json", "application/json"),
    ('{"name": "新客户",}', "application/json"),
    ('["name"]', "application/json"),
    ('"just a string"', "application/json"),
    ("name=新客户", "application/x-www-form-urlencoded"),
    ("", "application/json"),
    (b"\xff\xfe\x00", "application/json"),
])
def test_malformed_or_non_json_body_is_400(client, world, data, content_type):
    response = world.api(client, "admin").post("/accounts", data=data, content_type=content_type)
    assert_error(response, 400)


def test_oversized_body_is_413_json(client, world):
    body = '{"name": "' + "x" * (2 * 1024 * 1024) + '"}'
    response = world.api(client, "admin").post("/accounts", data=body, content_type="application/json")
    error = assert_error(response, 413)
    assert error["code"] == "payload_too_large"


def test_unknown_account_is_404_for_reads_and_writes(client, world):
    api = world.api(client, "admin")
    assert_error(api.get("/accounts/999999"), 404)
    assert_error(api.patch("/accounts/999999", json={"region": "x"}), 404)


@pytest.mark.parametrize("body, field", [
    ({"name": "新\x00客户"}, "name"),
    ({"name": "新客户", "aliases": ["a\x00"]}, "aliases"),
    ({"name": "新客户", "customer_group_id": 2**40}, "customer_group_id"),
    ({"name": "新客户", "parent_id": 10**30}, "parent_id"),
])
def test_text_and_numbers_no_database_can_store_are_422(client, world, body, field):
    assert_error(world.api(client, "admin").post("/accounts", json=body), 422, field)


def test_lone_surrogate_is_422(client, world):
    body = '{"name": "\\ud800"}'  # valid JSON, but no UTF-8 text: no database can store it
    response = world.api(client, "admin").post("/accounts", data=body, content_type="application/json")
    assert_error(response, 422, "name")


def test_deeply_nested_json_is_400(client, world):
    body = "[" * 100_000 + "]" * 100_000
    response = world.api(client, "admin").post("/accounts", data=body, content_type="application/json")
    assert_error(response, 400)


@pytest.mark.parametrize("path", ["/accounts/99999999999999999999999", "/stakeholders/9223372036854775808",
                                  "/interactions/4294967296", "/customer-groups/99999999999999999999"])
def test_huge_ids_are_404(client, world, path):
    assert_error(world.api(client, "admin").get(path), 404)


@pytest.mark.parametrize("query", ["group=99999999999999999999", "q=%00", "industry=%00x"])
def test_odd_query_parameters_never_fail(client, world, query):
    response = world.api(client, "admin").get(f"/accounts?{query}")
    assert response.status_code in (200, 422)
    assert response.is_json
