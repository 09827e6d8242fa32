"""POST /api/v1/handovers refuses successor choices that cannot mean anything (422 with the reason) instead
of silently ignoring or overwriting them: the same group or account twice, an archived account, a group or
account where the leaver holds nothing."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from models import Handover
from tests.api_support import assert_error
from tests.test_handover_api import api, w  # noqa: F401  (the shared world fixture)


def _body(w, *assignments, dry_run=False):
    return {"from_user_id": w["leaver"].id, "to_user_id": w["heir"].id, "dry_run": dry_run,
            "assignments": list(assignments)}


def _nothing_applied(app):
    with app.app_context():
        from kb.db import session
        return session.query(Handover).count() == 0


@pytest.mark.parametrize("dry_run", [True, False])
def test_same_group_or_account_twice_is_refused_naming_it(client, app, w, dry_run):  # noqa: F811
    g, a = w["north"].id, w["a2"].id
    response = api(client, w, "admin").post("/handovers", json=_body(
        w, {"customer_group_id": g, "to_user_id": w["heir"].id},
        {"customer_group_id": g, "to_user_id": w["other"].id}, dry_run=dry_run))
    error = assert_error(response, 422, "assignments")
    assert error["fields"]["assignments"] == {
        "1": {"_": f"Customer group {g} is given more than one successor: keep one."}}
    response = api(client, w, "admin").post("/handovers", json=_body(
        w, {"account_id": a, "to_user_id": w["other"].id}, {"account_id": a, "to_user_id": w["heir"].id},
        dry_run=dry_run))
    assert f"Account {a} is given more than one successor" in assert_error(response, 422, "assignments")["message"]
    assert _nothing_applied(app)


def test_archived_account_or_one_where_nothing_is_held_is_refused(client, app, w, create_account,
                                                                 create_group):  # noqa: F811
    old = create_account(w["north"], name="旧客户", members=[w["leaver"]],
                         archived_at=datetime(2026, 1, 5, tzinfo=timezone.utc))
    elsewhere = create_account(w["south"], name="无关客户")
    empty_group = create_group(name="华东客户群")
    cases = [({"account_id": old.id}, "旧客户 is archived: its work is not handed over. Remove this successor."),
             ({"account_id": elsewhere.id}, "老王 holds nothing in 无关客户: remove this successor."),
             ({"customer_group_id": empty_group.id},
              "老王 holds nothing in customer group 华东客户群: remove this successor.")]
    for scope, message in cases:
        response = api(client, w, "admin").post("/handovers", json=_body(w, {**scope, "to_user_id": w["other"].id}))
        assert assert_error(response, 422, "assignments")["fields"]["assignments"] == {"_": message}
    assert _nothing_applied(app)
    fine = api(client, w, "admin").post("/handovers", json=_body(
        w, {"account_id": w["a2"].id, "to_user_id": w["other"].id}))
    assert fine.status_code == 201, fine.get_json()
