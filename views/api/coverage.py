"""Relationship coverage of an account (risks per stakeholder, layers, triangle gaps), and a stakeholder's
personal data (export and erase, admins only)."""
from __future__ import annotations

from flask import current_app
from flask_login import current_user

from kb import policy
from kb.clock import today
from kb.db import session
from kb.services import personal_data
from kb.services.coverage import coverage_gaps, layer_counts
from kb.services.relationship_risk import account_risks
from models import Account, CustomerGroup, Stakeholder

from . import bp
from .bodies import load_body
from .bodies.erasure import ErasureConfirmation
from .registry import operation
from .responses import ref
from .common import load_or_404, require
from .serializers import serialize_stakeholder


@bp.get("/accounts/<int:account_id>/coverage")
@operation("Relationship coverage of an account", response=ref("AccountCoverage"), tag="accounts")
def account_coverage(account_id: int):
    account = load_or_404(Account, account_id)
    day = today()
    rows = account_risks(account_id=account.id, today=day,
                         key_days=current_app.config["RISK_CONTACT_DAYS_KEY"],
                         other_days=current_app.config["RISK_CONTACT_DAYS_OTHER"])
    group = session.get(CustomerGroup, account.customer_group_id) if account.customer_group_id else None
    gaps = coverage_gaps(group, today=day) if group is not None else []
    return {
        "account_id": account.id,
        "stakeholders": [
            {"id": s.id, "name": s.name, "risks": [{"code": r.code, "message": r.message} for r in risks]}
            for s, risks in rows
        ],
        "at_risk": sum(1 for _s, risks in rows if risks),
        "layers": layer_counts([s for s, _r in rows]),
        "triangle_gaps": [{"role": g.role.value, "kind": g.kind,
                           "user_id": g.seat.user_id if g.seat is not None else None} for g in gaps],
    }


def _admin_stakeholder(stakeholder_id: int) -> Stakeholder:
    stakeholder = load_or_404(Stakeholder, stakeholder_id)
    require(policy.may_manage(current_user))
    return stakeholder


@bp.get("/stakeholders/<int:stakeholder_id>/personal-data")
@operation("Export a stakeholder's personal data (admins)", response=ref("PersonalData"), tag="stakeholders",
           errors=(403,))
def stakeholder_personal_data(stakeholder_id: int):
    stakeholder = _admin_stakeholder(stakeholder_id)
    return personal_data.export_personal_data(stakeholder=stakeholder, actor=current_user)


@bp.post("/stakeholders/<int:stakeholder_id>/erase")
@operation("Erase a stakeholder's personal data (admins)", body=ErasureConfirmation, response=ref("Erasure"),
           tag="stakeholders")
def erase_stakeholder(stakeholder_id: int):
    stakeholder = _admin_stakeholder(stakeholder_id)
    load_body(ErasureConfirmation)  # {"confirm": true}, else 400 / 422 and nothing is erased
    erasure = personal_data.erase_personal_data(stakeholder=stakeholder, actor=current_user)
    return {"erasure": {"stakeholder_id": stakeholder.id, "erased_by_id": erasure.erased_by_id,
                        "erased_at": erasure.erased_at.isoformat()},
            "stakeholder": serialize_stakeholder(stakeholder, with_private=True)}
