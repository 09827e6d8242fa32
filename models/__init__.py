"""Account KB's data model: plain SQLAlchemy 2.x, no Flask, no imports from kb/ or views/."""
from .base import Audited, Base, Versioned, utcnow
from .enums import (
    Attitude, Coverage, DecisionRole, Influence, InteractionKind, PlanStatus, RelationshipLayer,
    SeatRole, SeatState, Tier, UserRole, Visibility,
)
from .enums import GapKind, TargetMetric
from .enums import LeadSource, LeadStatus, Light, OpportunityStage, OpportunityStatus, RiskStatus
from .user import ApiToken, TokenScope, User
from .customer_group import CustomerGroup, TriangleSeat
from .account import Account, account_member
from .stakeholder import (
    TRACKED_FIELDS, PersonalDataErasure, Stakeholder, StakeholderChange, StakeholderOwner,
)
from .plan import ANSWER_FIELDS, SECTION_KEYS, AccountPlan, PlanRevision, plan_decision_maker
from .plan import BUSINESS_DESIGN_KEYS
from .interaction import Interaction, NextStep, interaction_attendee, interaction_stakeholder
from .index_event import IndexEvent
from .signin_attempt import SigninAttempt
from .idempotency import IdempotencyKey
from .reference_value import REFERENCE_KINDS, ReferenceValue
from .handover import Handover, HandoverChange, HandoverKind
from .export_record import ExportRecord
from .lead import Lead
from .opportunity import (
    KeyProjectLightChange, Opportunity, OpportunitySeat, OpportunityStageChange, Risk,
    opportunity_stakeholder,
)
from .import_run import ImportRun
from .plan_target import COMPUTED_METRICS, PlanTarget
from .contract import Contract, ContractMilestone, MilestoneKind

__all__ = [
    "Versioned",
    "ANSWER_FIELDS", "SECTION_KEYS", "Account", "AccountPlan", "ApiToken", "Attitude", "Audited", "Base",
    "Coverage", "CustomerGroup", "DecisionRole", "IndexEvent", "Influence", "Interaction", "InteractionKind",
    "NextStep", "PlanRevision", "PlanStatus", "RelationshipLayer", "SeatRole", "SeatState", "SigninAttempt",
    "Stakeholder",
    "StakeholderOwner", "Tier", "TokenScope", "TriangleSeat", "User", "UserRole", "Visibility", "account_member",
    "interaction_attendee", "interaction_stakeholder", "plan_decision_maker", "utcnow",
    "IdempotencyKey",
    "REFERENCE_KINDS", "ReferenceValue",
    "Handover", "HandoverChange", "HandoverKind",
    "PersonalDataErasure", "StakeholderChange", "TRACKED_FIELDS",
    "ExportRecord",
    "KeyProjectLightChange", "Lead", "LeadSource", "LeadStatus", "Light", "Opportunity", "OpportunitySeat",
    "OpportunityStage", "OpportunityStageChange", "OpportunityStatus", "Risk", "RiskStatus",
    "opportunity_stakeholder",
    "ImportRun",
    "BUSINESS_DESIGN_KEYS", "COMPUTED_METRICS", "GapKind", "PlanTarget", "TargetMetric",
    "Contract", "ContractMilestone", "MilestoneKind",
]
