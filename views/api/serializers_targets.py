"""Plan targets → JSON (docs/api.md, "Plan targets"): amounts as exact two-decimal strings."""
from __future__ import annotations

from typing import Any

from flask_login import current_user

from kb.services.plan_targets import TargetLine, plan_target_lines
from models import AccountPlan

from .serializers_ltc import money


def serialize_target(line: TargetLine) -> dict[str, Any]:
    """`metric, custom_name, unit, baseline, target, actual, gap, gap_kind, computed` of one target."""
    return {
        "metric": line.metric.value, "custom_name": line.custom_name, "unit": line.unit,
        "baseline": money(line.baseline), "target": money(line.target), "actual": money(line.actual),
        "gap": money(line.gap), "gap_kind": line.gap_kind.value if line.gap_kind else None,
        "computed": line.computed,
    }


def serialize_targets(plan: AccountPlan) -> list[dict[str, Any]]:
    """The plan's targets with actual and gap as the signed-in reader may see them (computed actuals sum only
    the won opportunities this reader may see)."""
    return [serialize_target(line) for line in plan_target_lines(plan, reader=current_user)]
