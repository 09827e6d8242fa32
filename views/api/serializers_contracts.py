"""Contracts and milestones → JSON-ready dicts (docs/api.md, "Contracts"). Amounts: exact strings with two
decimals; dates ``YYYY-MM-DD``."""
from __future__ import annotations

from typing import Any

from kb.services.contract_cash import received, to_come
from models import Contract, ContractMilestone

from .serializers import _audit, _d, _enum
from .serializers_ltc import money


def serialize_milestone(milestone: ContractMilestone) -> dict[str, Any]:
    """`id, contract_id, kind, title, planned_on, actual_on, planned_amount, actual_amount, done, version`."""
    return {
        "id": milestone.id, "contract_id": milestone.contract_id, "kind": _enum(milestone.kind),
        "title": milestone.title, "planned_on": _d(milestone.planned_on),
        "actual_on": _d(milestone.actual_on),
        "planned_amount": money(milestone.planned_amount), "actual_amount": money(milestone.actual_amount),
        "done": milestone.done, "version": milestone.version, **_audit(milestone),
    }


def serialize_contract(contract: Contract) -> dict[str, Any]:
    """The contract, its milestones, and the computed `received` and `to_come` (in its currency)."""
    return {
        "id": contract.id, "opportunity_id": contract.opportunity_id, "account_id": contract.account_id,
        "number": contract.number, "signed_on": _d(contract.signed_on), "amount": money(contract.amount),
        "currency": contract.currency, "notes": contract.notes,
        "received": money(received(contract)), "to_come": money(to_come(contract)),
        "milestones": [serialize_milestone(m) for m in contract.milestones],
        "version": contract.version, **_audit(contract),
    }


SERIALIZERS = {Contract: serialize_contract, ContractMilestone: serialize_milestone}
