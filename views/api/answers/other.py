"""Answer models of the rest: the error body, handovers, coverage, a stakeholder's personal data and its
erasure, spreadsheet imports, the four watches and search (views/api/*.py, views/search/routes.py)."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from models import (
    Attitude, DecisionRole, GapKind, HandoverKind, Influence, InteractionKind, Light, RelationshipLayer,
    SeatRole, TargetMetric, Visibility,
)

from .base import Answer, Day, Instant, Money
from .records import PlanRevision, Stakeholder  # noqa: F401  (Stakeholder: in Erasure)


# --- errors ------------------------------------------------------------------------------------------

class DuplicateMatch(Answer):
    id: int
    name: str


class ErrorDetail(Answer):
    code: str = Field(description="Stable machine-readable code.")
    message: str = Field(description="Human-readable, in the caller's language.")
    fields: dict[str, Any] = Field(None, description="Per field (or parameter): what is wrong with it.")  # type: ignore
    current: Any = Field(None, description="409 only: the stored record as GET gives it.")
    matches: list[DuplicateMatch] = Field(None, description="Possible duplicates (a similar name).")  # type: ignore


class Error(Answer):
    """`{"error": {"code", "message", "fields"}}`; a 409 also carries the stored record in `current`."""

    error: ErrorDetail
    current: Any = Field(None, description="409 only: the stored record, as under `error.current`.")


# --- handovers ---------------------------------------------------------------------------------------

class HandoverChange(Answer):
    """One line of a handover: what moved (`kind`, record `id`), where, from whom to whom."""

    kind: HandoverKind
    id: int
    account_id: int | None
    customer_group_id: int | None
    from_user_id: int
    to_user_id: int
    detail: str


class Handover(Answer):
    """A handover record; a preview (`dry_run` true) has `id` null and only `changes`."""

    id: int | None
    dry_run: bool
    created_at: Instant = None  # type: ignore[assignment]
    created_by_id: int = None  # type: ignore[assignment]
    from_user_id: int = None  # type: ignore[assignment]
    to_user_id: int = None  # type: ignore[assignment]
    note: str = None  # type: ignore[assignment]
    deactivated_from: bool = None  # type: ignore[assignment]
    changes: list[HandoverChange]


# --- coverage and personal data ----------------------------------------------------------------------

class ContactRisk(Answer):
    code: str
    message: str


class CoveredStakeholder(Answer):
    id: int
    name: str
    risks: list[ContactRisk]


class TriangleGap(Answer):
    role: SeatRole
    kind: Literal["vacant", "inactive", "viewer"] = Field(
        description="`vacant`: nobody holds the seat; `inactive`: its holder cannot sign in; `viewer`: its "
                    "holder may no longer edit.")
    user_id: int | None


class AccountCoverage(Answer):
    """Relationship coverage of an account: contact risks, counts per layer, triangle gaps."""

    account_id: int
    stakeholders: list[CoveredStakeholder]
    at_risk: int
    layers: dict[RelationshipLayer, int]
    triangle_gaps: list[TriangleGap]


class PersonalRecord(Answer):
    id: int
    account_id: int
    name: str
    name_en: str
    title: str
    department: str
    reports_to_id: int | None
    decision_role: DecisionRole
    attitude: Attitude
    influence: Influence
    layer: RelationshipLayer
    relationship_level: int
    notes: str
    created_at: Instant
    updated_at: Instant
    owner_ids: list[int]


class MetInteraction(Answer):
    id: int
    occurred_on: Day
    kind: InteractionKind
    title: str
    summary: str
    visibility: Visibility
    next_steps: list[str]


class MentioningRevision(Answer):
    plan_id: int
    number: int
    created_at: Instant


class HistoryRow(Answer):
    field: str
    old: str
    new: str
    changed_by_id: int | None
    changed_at: Instant


class ErasureRow(Answer):
    erased_by_id: int | None
    erased_at: Instant


class PersonalData(Answer):
    """Everything held about one stakeholder (admins): record, contacts, notes, meetings, history."""

    stakeholder_id: int
    record: PersonalRecord
    contacts: dict[str, str]
    private_notes: str
    interactions: list[MetInteraction]
    plan_revisions: list[MentioningRevision]
    history: list[HistoryRow]
    erasures: list[ErasureRow]


class ErasureDone(Answer):
    stakeholder_id: int
    erased_by_id: int | None
    erased_at: Instant


class Erasure(Answer):
    erasure: ErasureDone
    stakeholder: Stakeholder


# --- imports -----------------------------------------------------------------------------------------

class ImportProblem(Answer):
    row: int = Field(description="Spreadsheet row (1 = the header).")
    column: str
    message: str


class ImportReport(Answer):
    dry_run: bool
    kind: Literal["accounts", "stakeholders", "interactions"]
    rows: int
    created: int
    updated: int
    unchanged: int
    error_count: int
    errors: list[ImportProblem]


# --- the four watches --------------------------------------------------------------------------------

class WatchPeriod(Answer):
    label: str
    start: Day
    end: Day


class Share(Answer):
    count: int
    total: int
    percent: int | None


class Health(Answer):
    open_opportunities: int
    complete_triangle: Share
    updated_recently: Share
    stakeholders_linked: Share
    reviewed_plans: Share
    overdue_next_steps: int


#: Amounts per currency code, e.g. {"CNY": "1250000.00"}.
PerCurrency = dict[str, Money]


class WatchTarget(Answer):
    metric: TargetMetric
    custom_name: str | None
    unit: str | None
    baseline: str | None
    target: str | None
    actual: str | None
    gap: str | None
    gap_kind: GapKind | None
    computed: bool | None


class AccountKpi(Answer):
    account_id: int
    name: str
    group_id: int | None
    won: PerCurrency
    pipeline: PerCurrency
    weighted_pipeline: PerCurrency
    targets: list[WatchTarget] | None


class GroupKpi(Answer):
    group_id: int | None
    name: str
    won: PerCurrency
    pipeline: PerCurrency
    weighted_pipeline: PerCurrency


class Kpi(Answer):
    won: PerCurrency
    pipeline: PerCurrency
    weighted_pipeline: PerCurrency
    won_count: int
    lost_count: int
    win_rate: float | None
    median_cycle_days: float | None
    targets_available: bool
    by_stage: dict[str, PerCurrency]
    accounts: list[AccountKpi]
    groups: list[GroupKpi]


class KeyProject(Answer):
    opportunity_id: int
    name: str
    account_id: int
    light: Light | None
    light_reason: str
    owner_id: int | None
    owner_name: str | None
    reviewed_on: Day | None
    days_since_review: int | None
    next_review_on: Day | None
    review_overdue: bool


class RiskOwner(Answer):
    owner_id: int | None
    owner_name: str | None
    open: int
    overdue: int


class WatchedRisk(Answer):
    id: int
    description: str
    account_id: int
    opportunity_id: int | None
    owner_id: int | None
    due_on: Day | None
    age_days: int
    overdue: bool


class RiskWatch(Answer):
    open: int
    overdue: int
    by_owner: list[RiskOwner]
    items: list[WatchedRisk]


class Watches(Answer):
    """The four watches of a period: health, KPI, key projects and risks."""

    period: WatchPeriod
    group_id: int | None
    health: Health
    kpi: Kpi
    key_projects: list[KeyProject]
    risks: RiskWatch


# --- search ------------------------------------------------------------------------------------------

class SearchHit(Answer):
    type: str
    id: int
    account_id: int | None
    title: str | None
    url: str | None
    snippet: str | None = Field(description="Plain text; matched words between « and ».")
    score: float | None
    date: Day | None


class SearchFacets(Answer):
    type: dict[str, int]
    group: dict[str, int]
    industry: dict[str, int]
    region: dict[str, int]


class SearchResults(Answer):
    total: int
    results: list[SearchHit]
    page: int
    per_page: int
    facets: SearchFacets
    message: str | None
    suggestion: str | None
    stale: bool
    index_lag: int | None


__all__ = ["AccountCoverage", "Erasure", "Error", "Handover", "ImportReport", "PersonalData",
           "PlanRevision", "SearchResults", "Watches"]
