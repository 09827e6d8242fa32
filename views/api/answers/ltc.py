"""Answer models of Lead to Cash: leads, opportunities and their project-triangle seats, risks, contracts
and milestones (views/api/serializers_ltc.py, serializers_contracts.py). Amounts are exact strings."""
from __future__ import annotations

from pydantic import Field

from models import (
    LeadSource, LeadStatus, Light, MilestoneKind, OpportunityStage, OpportunityStatus, RiskStatus, SeatRole,
    SeatState, Visibility,
)

from .base import Answer, Audited, Day, Money


class Lead(Audited):
    id: int
    account_id: int | None = Field(description="Null for a prospect that is not an account yet.")
    prospect_name: str
    title: str
    description: str
    source: LeadSource
    estimated_amount: Money | None
    currency: str
    owner_id: int | None
    status: LeadStatus
    drop_reason: str
    budget_confirmed: bool
    budget_amount: Money | None
    budget_confirmed_on: Day | None
    opportunity_id: int | None = Field(description="The opportunity it became, if converted.")
    visibility: Visibility
    version: int


class StageSpan(Answer):
    """How long the opportunity stood in a stage (`ended_on` null: still there)."""

    stage: OpportunityStage
    started_on: Day
    ended_on: Day | None
    days: int


class LightChange(Answer):
    light: Light
    reason: str
    changed_on: Day
    changed_by_id: int | None


class Opportunity(Audited):
    id: int
    account_id: int
    lead_id: int | None
    name: str
    stage: OpportunityStage
    status: OpportunityStatus
    close_reason: str
    amount: Money | None
    currency: str
    expected_close_on: Day | None
    win_probability: int | None = Field(ge=0, le=100)
    competitors: str
    solution: str
    notes: str
    visibility: Visibility
    stakeholder_ids: list[int]
    opened_on: Day
    closed_on: Day | None
    decision_cycle_days: int | None = Field(description="Days from opened to closed; null while open.")
    stage_history: list[StageSpan]
    key_project: bool
    light: Light | None
    light_reason: str
    key_owner_id: int | None
    next_review_on: Day | None
    light_history: list[LightChange] = Field(description="Newest first.")
    version: int


class OpportunitySeat(Answer):
    """A project-triangle seat with its state today (a seat cancelled before its start is `ended`)."""

    id: int
    opportunity_id: int
    user_id: int
    user_name: str | None
    role: SeatRole
    started_on: Day
    ended_on: Day | None
    state: SeatState
    note: str


class Risk(Audited):
    id: int
    account_id: int
    opportunity_id: int | None
    description: str
    owner_id: int | None
    due_on: Day | None
    status: RiskStatus
    resolution: str
    resolved_on: Day | None
    overdue: bool
    version: int


class Milestone(Audited):
    id: int
    contract_id: int
    kind: MilestoneKind
    title: str
    planned_on: Day
    actual_on: Day | None
    planned_amount: Money | None
    actual_amount: Money | None
    done: bool
    version: int


class Contract(Audited):
    """The contract, its milestones, and what was received and is still to come (in its currency)."""

    id: int
    opportunity_id: int
    account_id: int
    number: str
    signed_on: Day
    amount: Money
    currency: str
    notes: str
    received: Money
    to_come: Money
    milestones: list[Milestone]
    version: int


class Conversion(Answer):
    """A lead converted: the new opportunity's id and the lead as it is now."""

    opportunity_id: int
    lead: Lead
