"""Stakeholders (the decision chain): everyone reads; the account team and admins write.

`private_notes` is left out of responses for readers outside the team, and a change by such a reader
never touches it.
"""
from __future__ import annotations

from typing import Any

from flask import url_for
from flask_login import current_user

from kb import policy
from kb.idempotency import idempotent
from kb.db import session
from kb.pagination import paginate
from kb.services import bounded
from kb.services import stakeholders as service
from models import Account, Stakeholder

from . import bp
from .common import created, load_or_404, page_body, require
from .query import PAGING
from .registry import operation
from .responses import items_of, ref
from .serializers import serialize_stakeholder
from .bodies import load_body
from .bodies.accounts import NewStakeholder, StakeholderChanges


def _owners(data: dict[str, Any], stakeholder: Stakeholder | None) -> dict[str, Any]:
    """Turn `owner_ids` (everyone, primary first) and `primary_owner_id` into the service's arguments."""
    if "owner_ids" not in data and "primary_owner_id" not in data:
        return {}
    rows = list(stakeholder.owners) if stakeholder is not None else []
    current = [o.user_id for o in rows]
    current_primary = next((o.user_id for o in rows if o.is_primary), None)
    owners = data.pop("owner_ids", current)
    if "primary_owner_id" in data:
        primary = data.pop("primary_owner_id")
    else:
        primary = current_primary if current_primary in owners else (owners[0] if owners else None)
    if primary is not None and primary not in owners:
        owners = [primary, *owners]
    return {"primary_owner_id": primary, "backup_owner_ids": [u for u in owners if u != primary]}


def _load(stakeholder_id: int) -> Stakeholder:
    return load_or_404(Stakeholder, stakeholder_id, options=tuple(service.chain_options()))


STAKEHOLDER_LINKS = {"GetStakeholder": ("show_stakeholder", {"stakeholder_id": "$response.body#/id"}),
                     "UpdateStakeholder": ("update_stakeholder", {"stakeholder_id": "$response.body#/id"})}


@bp.get("/accounts/<int:account_id>/stakeholders")
@operation("List an account's stakeholders", query=PAGING, response=items_of("Stakeholder", paged=True),
           tag="stakeholders")
def list_stakeholders(account_id: int):
    account = load_or_404(Account, account_id)
    private = policy.sees_team_content(current_user, account)
    args = PAGING.load()
    stmt = bounded.stakeholders_stmt(account_id=account.id)
    found = paginate(session, stmt, args["page"], args["per_page"])
    return page_body(found, lambda s: serialize_stakeholder(s, with_private=private))


@bp.post("/accounts/<int:account_id>/stakeholders")
@operation("Add a stakeholder", body=NewStakeholder, status=201, response=ref("Stakeholder"),
           tag="stakeholders", extra={"links": STAKEHOLDER_LINKS})
@idempotent
def create_stakeholder(account_id: int):
    account = load_or_404(Account, account_id)
    require(policy.may_edit_account(current_user, account))
    data = load_body(NewStakeholder)
    private = policy.sees_team_content(current_user, account)
    data.update(_owners(data, None))
    stakeholder = service.create_stakeholder(account=account, author=current_user, **data)
    location = url_for("api.show_stakeholder", stakeholder_id=stakeholder.id)
    return created(serialize_stakeholder(stakeholder, with_private=private), location)


@bp.get("/stakeholders/<int:stakeholder_id>")
@operation("Read a stakeholder", response=ref("Stakeholder"), tag="stakeholders")
def show_stakeholder(stakeholder_id: int):
    stakeholder = _load(stakeholder_id)
    private = policy.sees_team_content(current_user, stakeholder.account_id)
    return serialize_stakeholder(stakeholder, with_private=private)


@bp.patch("/stakeholders/<int:stakeholder_id>")
@operation("Change, archive or restore a stakeholder", body=StakeholderChanges, partial=True,
           response=ref("Stakeholder"), tag="stakeholders")
def update_stakeholder(stakeholder_id: int):
    stakeholder = _load(stakeholder_id)
    require(policy.may_edit_account(current_user, stakeholder.account_id))
    private = policy.sees_team_content(current_user, stakeholder.account_id)
    data = load_body(StakeholderChanges, partial=True,
                     current=serialize_stakeholder(stakeholder, with_private=private))
    archived, version = data.pop("archived", None), data.pop("version", None)
    data.update(_owners(data, stakeholder))
    if data:
        service.update_stakeholder(stakeholder=stakeholder, author=current_user, base_version=version, **data)
    if archived is True:
        service.archive_stakeholder(stakeholder=stakeholder, author=current_user)
    elif archived is False:
        service.restore_stakeholder(stakeholder=stakeholder, author=current_user)
    return serialize_stakeholder(stakeholder, with_private=private)
