"""Translated, human labels for the domain's vocabularies (the enums in models/enums.py)."""
from __future__ import annotations

import enum
from typing import Any

from flask_babel import lazy_gettext as _l

from models import (
    Attitude, Coverage, DecisionRole, Influence, InteractionKind, PlanStatus, RelationshipLayer, SeatRole,
    Tier, UserRole, Visibility,
)

LABELS: dict[type[enum.Enum], dict[Any, Any]] = {
    UserRole: {UserRole.ADMIN: _l("Admin"), UserRole.MEMBER: _l("Member"), UserRole.VIEWER: _l("Viewer")},
    SeatRole: {
        SeatRole.AR: _l("AR · Account responsible"),
        SeatRole.SR: _l("SR · Solution responsible"),
        SeatRole.FR: _l("FR · Fulfilment responsible"),
    },
    Coverage: {Coverage.DIRECT: _l("Direct (iron triangle)"), Coverage.CHANNEL: _l("Channel")},
    Tier: {
        Tier.STRATEGIC: _l("Strategic"), Tier.KEY: _l("Key"), Tier.GROWTH: _l("Growth"),
        Tier.STANDARD: _l("Standard"),
    },
    PlanStatus: {PlanStatus.DRAFT: _l("Draft"), PlanStatus.REVIEWED: _l("Reviewed")},
    DecisionRole: {
        DecisionRole.DECISION_MAKER: _l("Decision-maker"),
        DecisionRole.INFLUENCER: _l("Influencer"),
        DecisionRole.EVALUATOR: _l("Evaluator"),
        DecisionRole.PURCHASER: _l("Purchaser"),
        DecisionRole.USER: _l("User"),
        DecisionRole.COACH: _l("Coach"),
        DecisionRole.BLOCKER: _l("Blocker"),
        DecisionRole.UNKNOWN: _l("Unknown"),
    },
    Attitude: {Attitude.SUPPORT: _l("Supports us"), Attitude.NEUTRAL: _l("Neutral"),
               Attitude.OPPOSE: _l("Opposes us"), Attitude.UNKNOWN: _l("Unknown")},
    Influence: {Influence.HIGH: _l("High"), Influence.MEDIUM: _l("Medium"), Influence.LOW: _l("Low"),
                Influence.UNKNOWN: _l("Unknown")},
    RelationshipLayer: {
        RelationshipLayer.KEY: _l("Key relationship"),
        RelationshipLayer.BROAD: _l("Broad relationship"),
        RelationshipLayer.ORGANISATIONAL: _l("Organisational relationship"),
    },
    InteractionKind: {
        InteractionKind.VISIT: _l("Visit"), InteractionKind.CALL: _l("Call"), InteractionKind.EVENT: _l("Event"),
        InteractionKind.EXECUTIVE_MEETING: _l("Executive meeting"),
    },
    Visibility: {Visibility.ORG: _l("Everyone"), Visibility.TEAM: _l("Account team only")},
}

from .labels_ltc import LTC_LABELS  # noqa: E402  (Lead to Cash vocabularies)

LABELS.update(LTC_LABELS)
from .labels_contracts import CONTRACT_LABELS  # noqa: E402  (milestone kinds)

LABELS.update(CONTRACT_LABELS)

from .labels_targets import TARGET_LABELS  # noqa: E402  (plan targets)

LABELS.update(TARGET_LABELS)

from .labels_api import API_LABELS  # noqa: E402  (handover kinds, seat states, token scopes)

LABELS.update(API_LABELS)

RELATIONSHIP_LEVELS = {
    1: _l("1 · No contact yet"),
    2: _l("2 · Acquainted"),
    3: _l("3 · Working relationship"),
    4: _l("4 · Trusted"),
    5: _l("5 · Strategic partner"),
}

ANSWER_LABELS = {
    "strategy": _l("Customer strategy"),
    "customers_customer": _l("The customer's customer"),
    "profit_model": _l("How the customer makes money"),
    "weakest_product": _l("Weakest product, and how ours lifts its revenue"),
    "decision_makers": _l("Who decides"),
}

ANSWER_QUESTIONS = {
    "strategy": _l("Where is the customer going?"),
    "customers_customer": _l("Who does the customer sell to?"),
    "profit_model": _l("How does the customer make money?"),
    "weakest_product": _l("Which of its products earns least, and how would ours raise its revenue?"),
    "decision_makers": _l("Who makes the decision?"),
}

SECTION_LABELS = {
    "strategic_intent": _l("Strategic intent"),
    "performance_gap": _l("Performance gap"),
    "opportunity_gap": _l("Opportunity gap"),
    "competitors": _l("Competitors"),
    "objectives": _l("Objectives and actions"),
    "customer_selection": _l("Business design · customer selection"),
    "value_proposition": _l("Business design · value proposition"),
    "value_capture": _l("Business design · value capture"),
    "activity_scope": _l("Business design · scope of activities"),
    "strategic_control": _l("Business design · strategic control"),
    "risk_management": _l("Business design · risk management"),
}

#: The kinds of search document (kb.search.schema.DOC_TYPES) as the search page names them; `type:` also
#: takes these labels in either language (kb.search.fieldvalues: type:客户, type:拜访记录, type:Interaction).
TYPE_LABELS = {
    "account": _l("Account"),
    "plan": _l("Account plan"),
    "stakeholder": _l("Stakeholder"),
    "stakeholder_note": _l("Stakeholder private notes"),
    "interaction": _l("Interaction"),
    "lead": _l("Lead"),
    "opportunity": _l("Opportunity"),
    "risk": _l("Risk or open issue"),
}


def label(value: Any) -> Any:
    """The translated label of an enum member (or the value itself if it has none)."""
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        return LABELS.get(type(value), {}).get(value, value.value)
    return value


def choices(enum_cls: type[enum.Enum]) -> list[tuple[str, Any]]:
    """(value, label) pairs for a select field."""
    return [(m.value, label(m)) for m in enum_cls]
