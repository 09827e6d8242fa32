"""The tester's defects of issue 12 (tester12_report.md, items 3, 4, 8, 9, 10) with their exact inputs."""
from __future__ import annotations

from tests.api_support import assert_error, world  # noqa: F401


def test_a_405_names_the_methods_the_address_takes(client, world):  # noqa: F811
    api = world.api(client, "admin")
    response = api.request("TRACE", f"/accounts/{world.account.id}")
    assert_error(response, 405)
    allowed = {m.strip() for m in response.headers["Allow"].split(",")}
    assert {"GET", "PATCH"} <= allowed and "TRACE" not in allowed


def test_a_whole_number_written_as_a_float_is_a_whole_number(client, world):  # noqa: F811
    api = world.api(client, "admin")
    path = f"/accounts/{world.account.id}/stakeholders"
    response = api.post(path, json={"name": "张总", "relationship_level": 3.0})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["relationship_level"] == 3
    for bad in (3.5, True):
        error = assert_error(api.post(path, json={"name": "李总", "relationship_level": bad}),
                             422, "relationship_level")
        assert error["fields"]["relationship_level"] == "Must be a whole number."
