"""Answer models of the core records: users, tokens, accounts, plans, stakeholders, interactions, customer
groups and their triangle seats — one per serializer in views/api/serializers.py and views/api/tokens.py,
with every name it gives (nullable where the serializer may give null)."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from models import (
    Attitude, Coverage, DecisionRole, GapKind, Influence, InteractionKind, PlanStatus, RelationshipLayer,
    SeatRole, SeatState, TargetMetric, Tier, TokenScope, UserRole, Visibility,
)

from .base import Answer, Audited, Day, Instant, Money, Page


class User(Answer):
    """`id, email, name, role`; the admin list (GET /users) adds `active, locale, created_at, version`."""

    id: int
    email: str
    name: str
    role: UserRole
    active: bool = None  # type: ignore[assignment]  # absent outside the admin list
    locale: str | None = None
    created_at: Instant = None  # type: ignore[assignment]
    version: int = None  # type: ignore[assignment]


class Token(Answer):
    """An API token as listed: never its secret nor its hash."""

    id: int
    user_id: int
    user_name: str
    label: str
    scope: TokenScope
    created_at: Instant
    last_used_at: Instant | None
    expires_at: Instant | None
    revoked_at: Instant | None
    state: Literal["active", "expired", "revoked", "inactive"]


class NewToken(Token):
    """A token just made, with its secret."""

    secret: str = Field(description="Shown this once; store it now.")


class Account(Audited):
    id: int
    name: str
    name_en: str
    aliases: list[str]
    industry: str
    region: str
    tier: Tier
    coverage: Coverage
    description: str
    customer_group_id: int | None
    parent_id: int | None
    archived: bool
    version: int


class AccountPage(Page):
    """A page of the account list; `message`: how the filter `q` was read, as search says it, or null."""

    items: list[Account]
    message: str | None


class PlanAuthor(Answer):
    id: int
    name: str


class PlanTarget(Answer):
    """One target of the plan; amounts in `unit` (a currency code for revenue and orders)."""

    metric: TargetMetric
    custom_name: str
    unit: str
    baseline: Money | None
    target: Money | None
    actual: Money | None = Field(description="Null until entered (or none won yet, when computed).")
    gap: Money | None
    gap_kind: GapKind | None
    computed: bool = Field(description="The actual is summed from won opportunities the reader may see.")


class Plan(Answer):
    """An account plan of a period: the five answers, the extra sections, decision-makers, targets."""

    account_id: int
    period: str = Field(examples=["FY2027"])
    strategy: str
    customers_customer: str
    profit_model: str
    weakest_product: str
    decision_makers: str
    decision_maker_ids: list[int]
    sections: dict[str, str]
    status: PlanStatus
    reviewed_on: Day | None
    version: int
    created_at: Instant
    updated_at: Instant
    updated_by: PlanAuthor | None
    targets: list[PlanTarget]


class PlanRevision(Answer):
    number: int
    author_id: int | None
    created_at: Instant
    comment: str
    restored_from: int | None
    content: dict[str, Any] = Field(description="The plan as saved in this revision.")


class Stakeholder(Audited):
    """`private_notes` and the contact details only for the account team and admins (absent otherwise)."""

    id: int
    account_id: int
    name: str
    title: str
    department: str
    reports_to_id: int | None
    decision_role: DecisionRole
    attitude: Attitude
    influence: Influence
    layer: RelationshipLayer
    relationship_level: int = Field(ge=1, le=5)
    owner_ids: list[int]
    primary_owner_id: int | None
    notes: str
    archived: bool
    version: int
    private_notes: str = Field(None, description="Only for the account team and admins.")  # type: ignore
    phone: str = None  # type: ignore[assignment]
    mobile: str = None  # type: ignore[assignment]
    email: str = None  # type: ignore[assignment]
    wechat_id: str = None  # type: ignore[assignment]
    assistant_name: str = None  # type: ignore[assignment]
    assistant_contact: str = None  # type: ignore[assignment]


class NextStep(Answer):
    id: int
    text: str
    owner_id: int | None
    due_on: Day | None
    done: bool
    overdue: bool = Field(description="Open and due before today in the configured zone.")
    version: int


class Interaction(Audited):
    id: int
    account_id: int
    occurred_on: Day
    kind: InteractionKind
    title: str
    summary: str
    stakeholder_ids: list[int]
    attendee_ids: list[int]
    next_steps: list[NextStep]
    visibility: Visibility
    version: int


class TriangleSeat(Answer):
    """A seat of a customer group's iron triangle, with its `state` today."""

    id: int
    user_id: int
    role: SeatRole
    started_on: Day
    ended_on: Day | None
    note: str
    state: SeatState


class CustomerGroup(Audited):
    id: int
    name: str
    name_en: str
    description: str
    current_seats: list[TriangleSeat]
    scheduled_seats: list[TriangleSeat]
    past_seats: list[TriangleSeat]
    version: int
