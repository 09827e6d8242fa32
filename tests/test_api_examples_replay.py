"""Issue 12, tester's defect 11: every request example of /api/v1/openapi.json works on the demo data.

The demo is loaded (`flask kb demo`); each documented example is sent — to its path with the path
parameters' documented examples, as the demo user its request body names — and must get the documented
success status."""
from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest

from .api_support import Api, make_token

DEMO_USER = re.compile(r"[\w.]+@demo\.kb")


@pytest.fixture
def demo_document(app: Any, runner: Any, client: Any) -> dict[str, Any]:
    result = runner.invoke(args=["kb", "demo"])
    assert result.exit_code == 0, result.output
    return Api(client, _token(app, "admin@demo.kb")).get("/openapi.json",
                                                        headers={"Accept-Language": "en"}).get_json()


def _token(app: Any, email: str) -> str:
    from sqlalchemy import select

    from kb.db import session
    from models import User

    with app.app_context():
        user_id = session.scalars(select(User.id).where(User.email == email)).one()
    return make_token(app, SimpleNamespace(id=user_id))


def _examples(document: dict[str, Any]) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(method, path template, operationId, operation) of every operation with a request example."""
    return [(method.upper(), path, op["operationId"], op) for path, ops in document["paths"].items()
            for method, op in ops.items()
            if "example" in op.get("requestBody", {}).get("content", {}).get("application/json", {})]


def test_every_documented_request_example_succeeds_on_the_demo_data(app, client, demo_document):
    examples = _examples(demo_document)
    from views.api.examples import EXAMPLES

    assert {name for _m, _p, name, _op in examples} == set(EXAMPLES) and len(examples) >= 13
    failures = []
    for method, template, name, op in examples:
        path = template
        for param in op.get("parameters", []):
            if param["in"] == "path":
                assert "example" in param, f"{name}: path parameter {param['name']} has no example"
                path = path.replace("{" + param["name"] + "}", str(param["example"]))
        who = DEMO_USER.search(op["requestBody"].get("description", ""))
        assert who, f"{name}: the example does not say which demo user sends it"
        response = Api(client, _token(app, who.group())).request(
            method, path, json=op["requestBody"]["content"]["application/json"]["example"])
        documented = {int(status) for status in op["responses"] if status.startswith("2")}
        if response.status_code not in documented:
            failures.append(f"{method} {path} as {who.group()} ({name}): {response.status_code} "
                            f"{response.get_data(as_text=True)[:300]}")
    assert failures == []
