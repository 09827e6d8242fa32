"""The four watches as JSON: `GET /api/v1/watches?group=&period=` (docs/api.md).

Same numbers as the page, through kb.policy: a team-only opportunity the caller may not see is in no
count, sum or list. Amounts are strings with two decimals, per currency.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import current_app
from flask_login import current_user

from kb import clock
from kb.services.watch_period import parse_period
from kb.services.watches import Share, Watches, four_watches
from models import CustomerGroup

from . import bp
from .registry import operation
from .responses import ref
from .common import load_or_404
from .query import Param, Query


WATCH_QUERY = Query((
    Param("group", "int", "Customer group id; absent: every group."),
    Param("period", "text", "FY2027, 2027H1 or 2027Q3; absent: this year.", max_length=40,
          pattern=r"^(?:[Ff][Yy])?(?:20\d\d|2100)(?:[Hh][12]|[Qq][1-4])?$"),  # kb.services.plans.valid_period
))


def _money(money: dict[str, Decimal]) -> dict[str, str]:
    return {currency: f"{amount:.2f}" for currency, amount in sorted(money.items())}


def _share(share: Share) -> dict[str, Any]:
    return share.as_dict()


def _target(line: Any) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        value = getattr(value, "value", value)
        return str(value) if isinstance(value, Decimal) else value
    return {name: plain(getattr(line, name, None))
            for name in ("metric", "custom_name", "unit", "baseline", "target", "actual", "gap", "gap_kind",
                         "computed")}


def serialize_watches(w: Watches) -> dict[str, Any]:
    """The API body of the four watches (shapes in docs/api.md)."""
    h, k = w.health, w.kpi
    return {
        "period": {"label": w.period.label, "start": w.period.start.isoformat(),
                   "end": w.period.end.isoformat()},
        "group_id": w.group.id if w.group is not None else None,
        "health": {"open_opportunities": h.open_opportunities,
                   "complete_triangle": _share(h.complete_triangle),
                   "updated_recently": _share(h.updated_recently),
                   "stakeholders_linked": _share(h.stakeholders_linked),
                   "reviewed_plans": _share(h.reviewed_plans), "overdue_next_steps": h.overdue_next_steps},
        "kpi": {
            "won": _money(k.won), "pipeline": _money(k.pipeline), "weighted_pipeline": _money(k.weighted),
            "won_count": k.won_count, "lost_count": k.lost_count,
            "win_rate": None if k.win_rate is None else round(k.win_rate, 4),
            "median_cycle_days": k.median_cycle_days, "targets_available": k.targets_available,
            "by_stage": {stage.value: _money(money) for stage, money in k.by_stage.items()},
            "accounts": [{"account_id": a.account_id, "name": a.name, "group_id": a.group_id,
                          "won": _money(a.won), "pipeline": _money(a.pipeline),
                          "weighted_pipeline": _money(a.weighted),
                          "targets": None if a.targets is None else [_target(t) for t in a.targets]}
                         for a in k.accounts],
            "groups": [{"group_id": g.group_id, "name": g.name, "won": _money(g.won),
                        "pipeline": _money(g.pipeline), "weighted_pipeline": _money(g.weighted)}
                       for g in k.groups],
        },
        "key_projects": [{
            "opportunity_id": p.opportunity.id, "name": p.opportunity.name,
            "account_id": p.opportunity.account_id,
            "light": p.light.value if p.light else None, "light_reason": p.reason,
            "owner_id": p.owner.id if p.owner else None, "owner_name": p.owner.name if p.owner else None,
            "reviewed_on": p.reviewed_on.isoformat() if p.reviewed_on else None,
            "days_since_review": p.days_since_review,
            "next_review_on": p.next_review_on.isoformat() if p.next_review_on else None,
            "review_overdue": p.review_overdue} for p in w.key_projects],
        "risks": {
            "open": w.risks.total, "overdue": w.risks.overdue,
            "by_owner": [{"owner_id": o.owner_id, "owner_name": o.owner_name or None, "open": o.open,
                          "overdue": o.overdue} for o in w.risks.by_owner],
            "items": [{"id": r.risk.id, "description": r.risk.description, "account_id": r.risk.account_id,
                       "opportunity_id": r.risk.opportunity_id, "owner_id": r.risk.owner_id,
                       "due_on": r.risk.due_on.isoformat() if r.risk.due_on else None,
                       "age_days": r.age_days, "overdue": r.overdue} for r in w.risks.rows],
        },
    }


@bp.get("/watches")
@operation("The four watches", query=WATCH_QUERY, response=ref("Watches"), tag="watches", errors=(404,))
def watches():
    """`group` (id; absent: every group), `period` (FY2027, 2027H1, 2027Q3; absent: this year)."""
    args = WATCH_QUERY.load()
    group_id = args["group"]
    group = load_or_404(CustomerGroup, group_id) if group_id is not None else None
    today = clock.today()
    period = parse_period(args["period"], today=today)
    limit = current_app.config["ACCOUNT_PAGE_LIMIT"] * 4
    return serialize_watches(four_watches(viewer=current_user, period=period, group=group, today=today,
                                          limit=limit))
