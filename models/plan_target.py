"""Plan targets (the plan "expressed in numbers", 数字化表述): metric, unit, baseline, target, actual.

Targets are edited only as part of their plan: the plan's `version` and revisions cover them (a revision's
`content["targets"]` holds them all), so a target row carries no version of its own.
"""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, enum_column
from .enums import GapKind, TargetMetric

if TYPE_CHECKING:
    from .plan import AccountPlan

#: Metrics whose actual is computed from won opportunities (never typed).
COMPUTED_METRICS: frozenset[TargetMetric] = frozenset({TargetMetric.REVENUE, TargetMetric.ORDERS})


class PlanTarget(Base):
    """One target of an account plan. `actual` is the typed actual (None for revenue/orders)."""

    __tablename__ = "plan_target"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("account_plan.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    metric: Mapped[TargetMetric] = mapped_column(enum_column(TargetMetric, "target_metric"))
    custom_name: Mapped[str] = mapped_column(String(100), default="")
    unit: Mapped[str] = mapped_column(String(20), default="")
    baseline: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    target: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    actual: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    gap_kind: Mapped[GapKind | None] = mapped_column(enum_column(GapKind, "gap_kind"))

    plan: Mapped[AccountPlan] = relationship(back_populates="targets")

    @property
    def computed(self) -> bool:
        """Whether the actual comes from won opportunities rather than being typed."""
        return self.metric in COMPUTED_METRICS

    def __repr__(self) -> str:
        return f"<PlanTarget {self.id} plan={self.plan_id} {self.metric.value} {self.target}>"
