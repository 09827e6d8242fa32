"""Search documents of the Lead to Cash records: leads, opportunities (name, solution, competitors, notes)
and risks. Hooked into kb.search.documents (`documents_of`, the loaders) and kb.search.capture.

Visibility follows the records: a team-only lead or opportunity is a `team` document of its account, so
the search filter hides it exactly as it hides team-only interactions; a risk of an opportunity has the
opportunity's visibility. A project-triangle member outside the account team finds a team-only opportunity
and its risks as on its page: kb.policy.project_search_grants names them, kb.search.searching lets them through.
A prospect's lead has no account: `account_id` "0", always org-visible (kb.services.leads refuses team-only).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from models import Lead, Opportunity, Risk, Visibility

from .documents import Document, _account_fields, _day, _join, doc_key, finish_document

LTC_DOC_TYPES = ("lead", "opportunity", "risk")


def lead_document(lead: Lead) -> Document:
    """The document of a lead: title, description, prospect name."""
    if lead.account is not None:
        fields = _account_fields(lead.account)
    else:
        fields = {"account_id": "0", "group_id": "", "industry": "", "region": "", "archived": "0"}
    return finish_document({
        "key": doc_key("lead", lead.id), "type": "lead", "doc_id": lead.id, **fields,
        "visibility": lead.visibility.value if lead.account is not None else Visibility.ORG.value,
        "date": _day(lead.created_at), "title": lead.title,
        "body": _join([lead.prospect_name, lead.description, lead.drop_reason]),
    })


def opportunity_document(opp: Opportunity) -> Document:
    """The document of an opportunity: name, solution, competitors, notes, close and light reasons."""
    return finish_document({
        "key": doc_key("opportunity", opp.id), "type": "opportunity", "doc_id": opp.id,
        **_account_fields(opp.account), "visibility": opp.visibility.value,
        "date": _day(opp.expected_close_on or opp.opened_on), "title": opp.name,
        "body": _join([opp.solution, opp.competitors, opp.notes, opp.close_reason, opp.light_reason]),
    })


def risk_document(risk: Risk) -> Document:
    """The document of a risk: description and resolution; visible as its opportunity (else to all)."""
    visibility = risk.opportunity.visibility.value if risk.opportunity is not None else Visibility.ORG.value
    first_line = risk.description.strip().split("\n", 1)[0][:80]
    return finish_document({
        "key": doc_key("risk", risk.id), "type": "risk", "doc_id": risk.id, **_account_fields(risk.account),
        "visibility": visibility, "date": _day(risk.due_on or risk.created_at), "title": first_line,
        "body": _join([risk.description, risk.resolution]),
    })


def ltc_documents_of(obj: Any) -> dict[str, Document | None] | None:
    """The documents of a Lead to Cash record, or None when `obj` is none of them."""
    if isinstance(obj, Lead):
        return {doc_key("lead", obj.id): lead_document(obj)}
    if isinstance(obj, Opportunity):
        return {doc_key("opportunity", obj.id): opportunity_document(obj)}
    if isinstance(obj, Risk):
        return {doc_key("risk", obj.id): risk_document(obj)}
    return None


#: Model and loader options per type, for batch loading (merged into kb.search.documents._LOADERS).
LTC_LOADERS: dict[str, tuple[type, tuple[Any, ...]]] = {
    "lead": (Lead, (joinedload(Lead.account),)),
    "opportunity": (Opportunity, (joinedload(Opportunity.account),)),
    "risk": (Risk, (joinedload(Risk.account), joinedload(Risk.opportunity))),
}

#: Models whose rows copy their account's fields (kb.search.capture.dependent_keys).
LTC_ACCOUNT_DEPENDENTS = ((Lead, ("lead",)), (Opportunity, ("opportunity",)), (Risk, ("risk",)))


def ltc_keys_of(obj: Any) -> list[str]:
    """The document keys of a flushed Lead to Cash record ([] for other objects)."""
    for model, (doc_type,) in LTC_ACCOUNT_DEPENDENTS:
        if isinstance(obj, model):
            return [doc_key(doc_type, obj.id)]
    return []


def opportunity_risk_keys(session: Session, opportunity_id: int) -> list[str]:
    """Keys of the risk documents that copy the visibility of opportunity `opportunity_id`."""
    ids = session.scalars(select(Risk.id).where(Risk.opportunity_id == opportunity_id))
    return [doc_key("risk", i) for i in ids]
