"""Demo loader for plan targets (kb/demo/data_targets.py): adds the targets to plans the plans loader made,
records them in each plan's latest revision (as a save through the service would), and adds the won
opportunity they count."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from models import AccountPlan, GapKind, PlanTarget, TargetMetric

from .context import DemoContext
from .data_targets import TARGETS, WON_FOR_TARGETS
from .load_ltc import _opportunity


def _money(value: str | None) -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal("0.01")))


def load_targets(ctx: DemoContext) -> None:
    """Add the demo targets and the opportunity won for them (after load_plans and load_ltc)."""
    for row in WON_FOR_TARGETS:
        _opportunity(ctx, row, {})
    ctx.session.flush()
    count = 0
    for account_key, period, rows in TARGETS:
        plan = ctx.session.scalar(select(AccountPlan).where(
            AccountPlan.account_id == ctx.accounts[account_key].id, AccountPlan.period == period))
        content = [{"metric": metric, "custom_name": name, "unit": unit, "baseline": _money(baseline),
                    "target": _money(target), "actual": _money(actual), "gap_kind": kind}
                   for metric, name, unit, baseline, target, actual, kind in rows]
        plan.targets = [
            PlanTarget(position=i, metric=TargetMetric(c["metric"]), custom_name=c["custom_name"],
                       unit=c["unit"],
                       baseline=Decimal(c["baseline"]), target=Decimal(c["target"]),
                       actual=Decimal(c["actual"]) if c["actual"] is not None else None,
                       gap_kind=GapKind(c["gap_kind"]) if c["gap_kind"] else None)
            for i, c in enumerate(content)]
        latest = max(plan.revisions, key=lambda r: r.number)
        latest.content = {**latest.content, "targets": content}
        count += len(rows)
    ctx.session.flush()
    ctx.counts.update({"plan targets": count})
