"""Translated labels of the plan-target vocabularies (metrics, gap kinds) and the gap-kind hints."""
from __future__ import annotations

import enum
from typing import Any

from flask_babel import lazy_gettext as _l

from models import GapKind, TargetMetric

TARGET_LABELS: dict[type[enum.Enum], dict[Any, Any]] = {
    TargetMetric: {
        TargetMetric.REVENUE: _l("Revenue"),
        TargetMetric.ORDERS: _l("Orders"),
        TargetMetric.SHARE_OF_WALLET: _l("Share of wallet"),
        TargetMetric.NEW_PRODUCTS: _l("New products"),
        TargetMetric.CUSTOMER_SATISFACTION: _l("Customer satisfaction"),
        TargetMetric.CUSTOM: _l("Other (name it)"),
    },
    GapKind: {GapKind.PERFORMANCE: _l("Performance gap"), GapKind.OPPORTUNITY: _l("Opportunity gap")},
}

#: Course notes (业绩差距 / 机会差距): which gap is which, shown beside the choice.
GAP_KIND_HINTS = {
    GapKind.PERFORMANCE: _l("Result short of what was expected; usually closed by better execution, "
                            "without changing the business design."),
    GapKind.OPPORTUNITY: _l("Between today's results and what a new business design could bring; "
                            "usually needs a new business design."),
}
