"""Handovers: preview (dry run) or apply one leaver's work to successors; read a handover record.

The same rules as the pages (kb.services.handover, gate kb.policy.check_may_hand_over): admins hand over
anyone's work; a customer group's current AR only what lies in that group.
"""
from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from kb import policy
from kb.clock import today
from kb.db import session
from kb.idempotency import idempotent
from kb.services import handover as service
from models import Handover, User

from . import bp
from .registry import operation
from .responses import ref
from .common import created, load_or_404, not_found
from .bodies import InvalidInput, load_body
from .bodies.records import HandoverInput


def _user(data: dict[str, Any], name: str) -> User:
    user = session.get(User, data[name])
    if user is None:
        raise InvalidInput({name: _("No user with this id.")})
    return user


def _pairs(assignments: list[dict[str, Any]]) -> list[tuple[str, int, int]]:
    """Each assignment names exactly one of customer_group_id / account_id."""
    pairs, errors = [], {}
    for index, item in enumerate(assignments):
        scopes = [k for k in ("customer_group_id", "account_id") if k in item]
        if len(scopes) != 1:
            errors[str(index)] = {"_": _("Give either customer_group_id or account_id.")}
            continue
        pairs.append(("customer_group" if scopes[0] == "customer_group_id" else "account", item[scopes[0]],
                      item["to_user_id"]))
    if errors:
        raise InvalidInput({"assignments": errors})
    return pairs


def serialize_change(change: Any) -> dict[str, Any]:
    """One line: kind, record id, account (None for a seat), group, from and to user ids, detail."""
    return {"kind": change.kind.value, "id": change.record_id, "account_id": change.account_id,
            "customer_group_id": change.customer_group_id, "from_user_id": change.from_user_id,
            "to_user_id": change.to_user_id, "detail": change.detail}


def serialize_handover(handover: Handover) -> dict[str, Any]:
    return {"id": handover.id, "dry_run": False, "created_at": handover.created_at.isoformat(),
            "created_by_id": handover.created_by_id, "from_user_id": handover.from_user_id,
            "to_user_id": handover.to_user_id, "note": handover.note,
            "deactivated_from": handover.deactivated_from,
            "changes": [serialize_change(c) for c in handover.changes]}


@bp.post("/handovers")
@operation("Preview or apply a handover", body=HandoverInput, status=201, response=ref("Handover"),
           tag="handovers", extra={"also": (200,)})
@idempotent
def create_handover():
    """Preview (`dry_run`: nothing changes, `id` null) or apply a handover; 201 with the record."""
    data = load_body(HandoverInput)
    from_user, to_user = _user(data, "from_user_id"), _user(data, "to_user_id")
    by_group, by_account = service.successors_from(_pairs(data.get("assignments", [])))
    args = dict(actor=current_user, from_user=from_user, to_user=to_user, today=today(), by_group=by_group,
                by_account=by_account)
    if data.get("dry_run"):
        if data.get("deactivate_from"):
            policy.check_may_hand_over(current_user, from_user, set(), deactivate=True)
        changes = service.plan_handover(**args)
        return {"id": None, "dry_run": True, "changes": [serialize_change(c) for c in changes]}
    handover = service.apply_handover(**args, note=data.get("note", ""),
                                      deactivate_from=bool(data.get("deactivate_from")))
    return created(serialize_handover(handover), url_for("api.show_handover", handover_id=handover.id))


@bp.get("/handovers/<int:handover_id>")
@operation("Read a handover record", response=ref("Handover"), tag="handovers")
def show_handover(handover_id: int):
    """A handover record: admins, who ran it, the leaver and its successors; others get a 404."""
    handover = load_or_404(Handover, handover_id, options=(selectinload(Handover.changes),))
    if not policy.may_read_handover(current_user, handover):
        not_found()
    return serialize_handover(handover)
