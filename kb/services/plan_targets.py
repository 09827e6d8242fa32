"""Plan targets (the plan in numbers, 数字化表述、可执行): actuals, gaps, and the checks of typed targets.

Periods map to dates as plans name them (`plans.PERIOD_RE`): ``FY2027`` and ``2027`` are the calendar year
2027-01-01..2027-12-31 (our fiscal year is the calendar year); ``2027H1`` is January–June, ``2027H2``
July–December, ``2027Q3`` July–September. Both ends are included.

The actual of a revenue or orders target is COMPUTED: the sum of the amounts of the account's WON
opportunities closed (`closed_on`) within the plan's period, in the target's unit (a currency code: a
target in CNY counts CNY opportunities only; we never convert currencies). Lost, abandoned and open
opportunities, and those closed outside the period, do not count. Only opportunities the reader may see are
summed (`policy.opportunity_visible_clause`), so a team-only opportunity never shows through an actual.
Other metrics carry a typed actual. The gap is target − actual (positive: still short of the target).
"""
from __future__ import annotations

import calendar
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from models import (
    COMPUTED_METRICS, AccountPlan, GapKind, Opportunity, OpportunityStatus, PlanTarget, TargetMetric,
)

from .. import policy
from ..db import session
from . import ltc_checks, plans  # `plans` imports this module too: use its names at call time only

logger = logging.getLogger(__name__)

#: Most targets one plan holds (a plan in numbers is a handful of lines, not a spreadsheet).
MAX_TARGETS = 20
MAX_CUSTOM_NAME = 100
MAX_UNIT = 20
#: Most accounts one `targets_by_account` call takes (bounded work per request).
MAX_ACCOUNTS = 5_000
_HALVES = {"H1": (1, 6), "H2": (7, 12)}


@dataclass(frozen=True)
class TargetLine:
    """One target with its actual and gap, as pages, the API and the four watches show it.

    Amounts are Decimal in the target's `unit` (a currency code for revenue/orders). `actual` is None when
    a typed actual was not entered yet (then `gap` is None too); `computed` says the actual was summed from
    won opportunities. `gap_kind` is GapKind or None (not judged yet).
    """

    id: int
    plan_id: int
    account_id: int
    metric: TargetMetric
    custom_name: str
    unit: str
    baseline: Decimal | None
    target: Decimal
    actual: Decimal | None
    gap: Decimal | None
    gap_kind: GapKind | None
    computed: bool


def period_dates(period: str | None) -> tuple[date, date] | None:
    """First and last day (both included) of a plan period like FY2027, 2027, 2027H1 or 2027Q3; None if
    the text is not a period."""
    match = plans.PERIOD_RE.match(plans.normalise_period(period))
    if match is None:
        return None
    year, half, quarter = int(match.group(1)), match.group(2), match.group(3)
    if half:
        first, last = _HALVES[half]
    elif quarter:
        first = 3 * int(quarter[1]) - 2
        last = first + 2
    else:
        first, last = 1, 12
    return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])


def won_amounts(*, account_ids: Iterable[int], start: date, end: date, reader: Any
                ) -> dict[tuple[int, str], Decimal]:
    """Sum of won opportunities' amounts per (account id, currency), closed from `start` to `end` included,
    counting only opportunities `reader` may see. One query."""
    ids = sorted(set(account_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(Opportunity.account_id, Opportunity.currency, func.sum(Opportunity.amount))
        .where(Opportunity.account_id.in_(ids), Opportunity.status == OpportunityStatus.WON,
               Opportunity.closed_on >= start, Opportunity.closed_on <= end, Opportunity.amount.is_not(None),
               policy.opportunity_visible_clause(reader))
        .group_by(Opportunity.account_id, Opportunity.currency)
    ).all()
    return {(account_id, currency): Decimal(total or 0).quantize(Decimal("0.01"))
            for account_id, currency, total in rows}


def _line(target: PlanTarget, account_id: int, won: dict[tuple[int, str], Decimal]) -> TargetLine:
    computed = target.metric in COMPUTED_METRICS
    actual = won.get((account_id, target.unit), Decimal("0.00")) if computed else target.actual
    gap = None if actual is None else target.target - actual
    return TargetLine(id=target.id, plan_id=target.plan_id, account_id=account_id, metric=target.metric,
                      custom_name=target.custom_name, unit=target.unit, baseline=target.baseline,
                      target=target.target, actual=actual, gap=gap, gap_kind=target.gap_kind,
                      computed=computed)


def targets_by_account(account_ids: Iterable[int], period: str, *, reader: Any
                       ) -> dict[int, list[TargetLine]]:
    """The targets of each account's plan for `period` with actual and gap, in plan order: {account id:
    [TargetLine]}; accounts without a plan (or without targets) for the period are left out.

    `period` is a plan period (FY2027, 2027H1, ...; case-insensitive; an invalid one gives {}). `reader`
    is the user the numbers are for: only opportunities they may see are summed into computed actuals.
    Two queries whatever the number of accounts (at most MAX_ACCOUNTS; more raise ValueError).
    """
    ids = sorted({int(i) for i in account_ids})
    if len(ids) > MAX_ACCOUNTS:
        raise ValueError(f"targets_by_account takes at most {MAX_ACCOUNTS} accounts")
    period = plans.normalise_period(period)
    span = period_dates(period)
    if not ids or span is None:
        return {}
    rows = session.execute(
        select(PlanTarget, AccountPlan.account_id).join(AccountPlan, PlanTarget.plan_id == AccountPlan.id)
        .where(AccountPlan.account_id.in_(ids), AccountPlan.period == period)
        .order_by(AccountPlan.account_id, PlanTarget.position, PlanTarget.id)
    ).all()
    money_accounts = {account_id for target, account_id in rows if target.metric in COMPUTED_METRICS}
    won = won_amounts(account_ids=money_accounts, start=span[0], end=span[1], reader=reader)
    result: dict[int, list[TargetLine]] = {}
    for target, account_id in rows:
        result.setdefault(account_id, []).append(_line(target, account_id, won))
    return result


def plan_target_lines(plan: AccountPlan, *, reader: Any) -> list[TargetLine]:
    """The targets of one plan with actual and gap (see `targets_by_account`)."""
    if plan.id is None:
        return []
    return targets_by_account([plan.account_id], plan.period, reader=reader).get(plan.account_id, [])


# --- typed targets: checks and the revision form ------------------------------------------------------

def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _choice(enum_cls: Any, value: Any, field: str, errors: dict[str, str], *, required: bool) -> Any:
    if isinstance(value, enum_cls):
        return value
    if value in (None, "") and not required:
        return None
    try:
        return enum_cls(value)
    except ValueError:
        errors[field] = _("Choose one of the listed values.")
        return None


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def check_target(row: dict[str, Any], index: int, errors: dict[str, str]) -> dict[str, Any] | None:
    """One typed target (metric, custom_name, unit, baseline, target, actual, gap_kind) as the clean content a
    revision stores (amounts as two-decimal strings); messages go to `errors["targets-<index>-<field>"]`.

    Rules: a custom metric needs its name; revenue and orders are in a currency (ltc_checks.CURRENCIES,
    blank → CNY) and their actual is computed, so it cannot be typed; amounts are non-negative with two
    decimals; the target is required.
    """
    def key(name: str) -> str:
        return f"targets-{index}-{name}"

    metric = _choice(TargetMetric, row.get("metric"), key("metric"), errors, required=True)
    custom_name = ltc_checks.text(row.get("custom_name"), key("custom_name"), MAX_CUSTOM_NAME, errors)
    if metric == TargetMetric.CUSTOM and not custom_name and key("custom_name") not in errors:
        errors[key("custom_name")] = _("Name the custom metric.")
    unit = ltc_checks.text(row.get("unit"), key("unit"), MAX_UNIT, errors)
    if metric in COMPUTED_METRICS:
        unit = ltc_checks.currency(unit.upper(), key("unit"), errors)
        if unit != (_text(row.get("unit")).upper() or "CNY"):
            errors[key("unit")] = _("Revenue and orders are counted in a currency: %(list)s.",
                                    list=", ".join(ltc_checks.CURRENCIES))
    baseline = ltc_checks.amount(row.get("baseline"), key("baseline"), errors)
    target = ltc_checks.amount(row.get("target"), key("target"), errors, required=True)
    actual = ltc_checks.amount(row.get("actual"), key("actual"), errors)
    if metric in COMPUTED_METRICS and actual is not None:
        errors[key("actual")] = _("The actual of revenue and orders is computed from won opportunities; "
                                  "leave it empty.")
    gap_kind = _choice(GapKind, row.get("gap_kind"), key("gap_kind"), errors, required=False)
    if metric is None or target is None:
        return None
    return {"metric": metric.value, "custom_name": custom_name if metric == TargetMetric.CUSTOM else "",
            "unit": unit, "baseline": _money(baseline), "target": _money(target),
            "actual": None if metric in COMPUTED_METRICS else _money(actual),
            "gap_kind": gap_kind.value if gap_kind else None}


def _blank(row: Any) -> bool:
    return isinstance(row, dict) and all(v is None or (isinstance(v, str) and not v.strip())
                                         for v in row.values())


def check_targets(rows: list[dict[str, Any]], errors: dict[str, str]) -> list[dict[str, Any]]:
    """Check every typed target (see `check_target`); rows with nothing filled in are ignored (the form's
    blank rows), errors keep the row's index. At most MAX_TARGETS. Returns the clean rows."""
    filled = [(i, r) for i, r in enumerate(rows) if not _blank(r)]
    if len(filled) > MAX_TARGETS:
        errors["targets"] = _("A plan holds at most %(n)d targets.", n=MAX_TARGETS)
        return []
    clean = []
    for index, row in filled:
        if not isinstance(row, dict):
            errors[f"targets-{index}-metric"] = _("Choose one of the listed values.")
            continue
        checked = check_target(row, index, errors)
        if checked is not None:
            clean.append(checked)
    return clean


def targets_content(plan: AccountPlan) -> list[dict[str, Any]]:
    """The plan's targets as a revision stores them (`check_target`'s shape), in plan order."""
    return [{"metric": t.metric.value, "custom_name": t.custom_name or "", "unit": t.unit or "",
             "baseline": _money(t.baseline), "target": _money(t.target), "actual": _money(t.actual),
             "gap_kind": t.gap_kind.value if t.gap_kind else None}
            for t in sorted(plan.targets, key=lambda t: (t.position, t.id or 0))]


def _dec(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def write_targets(plan: AccountPlan, rows: list[dict[str, Any]]) -> bool:
    """Make the plan's targets equal `rows` (clean content rows); True if anything changed.

    Rows are replaced, not matched: a target has no identity of its own outside its plan's revisions.
    """
    if plan.id is not None and targets_content(plan) == rows:
        return False
    if plan.id is None and not rows:
        return False
    plan.targets = [
        PlanTarget(position=i, metric=TargetMetric(r["metric"]), custom_name=r.get("custom_name") or "",
                   unit=r.get("unit") or "", baseline=_dec(r.get("baseline")),
                   target=Decimal(str(r["target"])),
                   actual=_dec(r.get("actual")),
                   gap_kind=GapKind(r["gap_kind"]) if r.get("gap_kind") else None)
        for i, r in enumerate(rows)
    ]
    return True


def restorable_targets(content: dict[str, Any]) -> list[dict[str, Any]]:
    """The targets of an old revision's content, checked again (rows no longer valid are dropped)."""
    rows = content.get("targets")
    if not isinstance(rows, list):
        return []
    errors: dict[str, str] = {}
    clean = []
    for index, row in enumerate(rows[:MAX_TARGETS]):
        if isinstance(row, dict):
            checked = check_target(row, index, errors)
            if checked is not None and not any(k.startswith(f"targets-{index}-") for k in errors):
                clean.append(checked)
    return clean
