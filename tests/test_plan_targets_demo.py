"""The demo's plans in numbers: targets with performance and opportunity gaps, a computed actual from the
demo's won AIOps pilot, and the latest revision carrying the targets (so history and restore agree)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from kb.services.plan_targets import targets_by_account
from models import Account, AccountPlan, GapKind, PlanTarget, User


@pytest.fixture
def demo(app: Any, runner: Any) -> None:
    result = runner.invoke(args=["kb", "demo"])
    assert result.exit_code == 0, result.output


def test_demo_targets_have_gaps_of_both_kinds_and_a_computed_actual(app, demo):
    with app.app_context():
        from kb.db import session

        ecmc = session.scalar(select(Account).where(Account.name == "华东移动通信有限公司"))
        viewer = session.scalar(select(User).where(User.email == "viewer@demo.kb"))
        fy26 = targets_by_account([ecmc.id], "FY2026", reader=viewer)[ecmc.id]
        assert (fy26[0].metric.value, fy26[0].actual, fy26[0].gap) == (
            "orders", Decimal("12000000.00"), Decimal("388000000.00"))
        kinds = set(session.scalars(select(PlanTarget.gap_kind)))
        assert {GapKind.PERFORMANCE, GapKind.OPPORTUNITY} <= kinds
        every = session.scalars(select(AccountPlan).where(AccountPlan.targets.any())).all()
        assert len(every) >= 5
        for plan in every:
            latest = max(plan.revisions, key=lambda r: r.number)
            assert [t["metric"] for t in latest.content["targets"]] == [t.metric.value for t in plan.targets]
            assert [t["target"] for t in latest.content["targets"]] == [str(t.target) for t in plan.targets]


def test_demo_plan_page_shows_the_numbers(app, client, demo):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
    assert client.post("/login", data={"email": "viewer@demo.kb", "password": "demo1234"}).status_code == 302
    with app.app_context():
        from kb.db import session

        ecmc_id = session.scalar(select(Account.id).where(Account.name == "华东移动通信有限公司"))
    page = client.get(f"/accounts/{ecmc_id}/plans/FY2027").get_data(as_text=True)
    assert "AIOps 全网推广省份数 (provinces on AIOps)" in page and "420,000,000.00 CNY" in page
    assert "6 个" in page and "6.00" not in page
