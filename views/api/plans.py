"""Account plans per period: read, save with optimistic locking (409 on a stale version), revisions."""
from __future__ import annotations

from flask import url_for
from flask_login import current_user

from kb import policy
from kb.idempotency import idempotent
from kb.services import plans as service
from models import ANSWER_FIELDS, COMPUTED_METRICS, Account, PlanStatus

from . import bp
from .registry import operation
from .responses import items_of, ref
from .common import load_or_404, not_found, require
from .serializers import serialize_plan, serialize_revision
from .bodies import load_body
from .bodies.records import PlanInput


def _typed_targets(rows: list[dict]) -> list[dict]:
    """Rows for the service: a row echoed from GET (`"computed": true`) drops its computed actual; an actual
    sent for revenue/orders without that flag is left for the service to refuse."""
    typed = []
    for row in rows:
        if row.pop("computed", False) and row["metric"] in COMPUTED_METRICS:
            row.pop("actual", None)
        typed.append(row)
    return typed


def _plan_or_404(account_id: int, period: str):  # type: ignore[no-untyped-def]
    load_or_404(Account, account_id)
    plan = service.get_plan(account_id=account_id, period=period)
    if plan is None:
        not_found()
    return plan


@bp.get("/accounts/<int:account_id>/plans/<period>")
@operation("Read an account plan of a period", response=ref("Plan"), tag="plans")
def show_plan(account_id: int, period: str):
    return serialize_plan(_plan_or_404(account_id, period))


@bp.put("/accounts/<int:account_id>/plans/<period>")
@operation("Save an account plan (201 when new)", body=PlanInput, response=ref("Plan"), tag="plans",
           extra={"also": (201,)})
@idempotent
def save_plan(account_id: int, period: str):
    account = load_or_404(Account, account_id)
    require(policy.may_edit_account(current_user, account))
    plan = service.get_plan(account_id=account.id, period=period)
    data = load_body(PlanInput, current=serialize_plan(plan) if plan is not None else None)
    if "decision_maker_ids" not in data:
        data["decision_maker_ids"] = [s.id for s in plan.decision_maker_links] if plan is not None else []
    if "targets" in data:
        data["targets"] = _typed_targets(data["targets"])
    if "status" not in data:
        data["status"] = plan.status if plan is not None else PlanStatus.DRAFT
    saved = service.save_plan(
        account=account, period=period, author=current_user, base_version=data.pop("version", None),
        answers={key: data.pop(key) for key in ANSWER_FIELDS if key in data},
        sections=data.pop("sections", {}), **data,
    )
    body = serialize_plan(saved)
    if plan is None:
        location = url_for("api.show_plan", account_id=account.id, period=saved.period)
        return body, 201, {"Location": location}
    return body


@bp.get("/accounts/<int:account_id>/plans/<period>/revisions")
@operation("A plan's revisions", response=items_of("PlanRevision"), tag="plans")
def plan_revisions(account_id: int, period: str):
    plan = _plan_or_404(account_id, period)
    return {"items": [serialize_revision(r) for r in service.list_revisions(plan)]}
