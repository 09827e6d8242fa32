"""The bilingual demo data (`flask --app wsgi kb demo`): deterministic, loaded with the models directly.

Everything is fixed or drawn from `random.Random(SEED)`; dates are computed from ANCHOR (2026-11-01), so
two loads into two empty databases give the same content. The caller commits.
"""
from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from .context import ANCHOR, SEED, DemoContext
from .load_interactions import load_interactions
from .load_knowledge import load_plans, load_stakeholders
from .load_ltc import load_ltc
from .load_contracts import load_contracts
from .load_people import DEMO_PASSWORD, load_accounts, load_groups, load_users
from .load_risk import load_risk
from .load_targets import load_targets

logger = logging.getLogger(__name__)

__all__ = ["ANCHOR", "DEMO_PASSWORD", "SEED", "load_demo"]


def load_demo(session: Session) -> dict[str, int]:
    """Add the demo users, groups, accounts, stakeholders, plans and interactions; flush, don't commit.

    Returns how many of each were added, e.g. ``{"users": 16, "customer groups": 4, ...}``.
    """
    ctx = DemoContext(session)
    load_users(ctx)
    load_groups(ctx)
    load_accounts(ctx)
    load_stakeholders(ctx)
    load_plans(ctx)
    load_interactions(ctx)
    load_risk(ctx)
    load_ltc(ctx)
    load_targets(ctx)
    load_contracts(ctx)
    session.flush()
    logger.info("demo data loaded: %s", ctx.counts)
    return {key: ctx.counts[key] for key in
            ("users", "customer groups", "accounts", "plans", "stakeholders", "interactions", "next steps")}
