"""Translated labels of the contract vocabulary (milestone kinds), registered into kb.labels.LABELS."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from models import MilestoneKind

CONTRACT_LABELS = {
    MilestoneKind: {
        MilestoneKind.DELIVERY: _l("Delivery"), MilestoneKind.ACCEPTANCE: _l("Acceptance"),
        MilestoneKind.INVOICING: _l("Invoicing"), MilestoneKind.PAYMENT: _l("Payment"),
    },
}
