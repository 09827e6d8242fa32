"""Translated labels of the Lead to Cash vocabularies (leads, opportunity stages, lights, risks).

The stage names are the LTC opportunity stages of the course notes: 验证机会点, 标前引导, 制定并提交标书,
谈判和生成合同, 关闭. Registered into kb.labels.LABELS, so `label()` and `choices()` know them.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from models import LeadSource, LeadStatus, Light, OpportunityStage, OpportunityStatus, RiskStatus

LTC_LABELS = {
    LeadSource: {
        LeadSource.MARKETING_EVENT: _l("Marketing event"),
        LeadSource.CUSTOMER_REQUEST: _l("Customer request"),
        LeadSource.PARTNER: _l("Partner"), LeadSource.OUR_VISIT: _l("Our visit"),
        LeadSource.OTHER: _l("Other"),
    },
    LeadStatus: {
        LeadStatus.NEW: _l("New"), LeadStatus.CULTIVATING: _l("Cultivating"),
        LeadStatus.QUALIFIED: _l("Qualified"),
        LeadStatus.CONVERTED: _l("Converted"), LeadStatus.DROPPED: _l("Dropped"),
    },
    OpportunityStage: {
        OpportunityStage.VALIDATE: _l("Validate the opportunity"),
        OpportunityStage.PRE_BID: _l("Pre-bid guidance"),
        OpportunityStage.BID: _l("Bid preparation and submission"),
        OpportunityStage.NEGOTIATION: _l("Negotiation and contract"),
        OpportunityStage.CLOSED: _l("Closed"),
    },
    OpportunityStatus: {
        OpportunityStatus.OPEN: _l("Open"), OpportunityStatus.WON: _l("Won"),
        OpportunityStatus.LOST: _l("Lost"),
        OpportunityStatus.ABANDONED: _l("Abandoned"),
    },
    Light: {Light.GREEN: _l("Green"), Light.YELLOW: _l("Yellow"), Light.RED: _l("Red")},
    RiskStatus: {RiskStatus.OPEN: _l("Open"), RiskStatus.RESOLVED: _l("Resolved")},
}
