"""The account workbook's plan sheet carries the plan in numbers: each target with its actual and gap."""
from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from kb.demo import DEMO_PASSWORD
from models import Account, PlanTarget, AccountPlan
from tests.test_demo import demo_app, demo_template  # noqa: F401 — fixtures


def test_plan_sheet_lists_the_targets_with_actual_and_gap(demo_app):
    with demo_app.app_context():
        from kb.db import session
        from kb.services import plans
        account = session.scalar(select(Account).join(AccountPlan, AccountPlan.account_id == Account.id)
                                 .join(PlanTarget, PlanTarget.plan_id == AccountPlan.id).order_by(Account.id))
        current = plans.current_plan(account_id=account.id)
        targets = session.scalars(select(PlanTarget).where(PlanTarget.plan_id == current.id)).all()
        account_id = account.id
    assert targets, "the demo has a current plan with targets"
    client = demo_app.test_client()
    client.post("/login", data={"email": "admin@demo.kb", "password": DEMO_PASSWORD})
    response = client.get(f"/accounts/{account_id}/export.xlsx", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data))["Account plan"]
    rows = [(a, b) for a, b in sheet.iter_rows(values_only=True) if a and str(a).startswith("The plan in numbers:")]
    assert len(rows) == len(targets)
    assert all("Target " in b and "Actual " in b and "Gap " in b for _, b in rows)
