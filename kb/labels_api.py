"""Translated labels of the vocabularies the API shows that have no page of their own: handover change
kinds, a triangle seat's state on a day, and an API token's scope. Registered into kb.labels.LABELS, so
`label()` (and the OpenAPI document's enum descriptions) know them."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from models import HandoverKind, SeatState, TokenScope

API_LABELS = {
    HandoverKind: {
        HandoverKind.SEAT: _l("Customer-group triangle seat"),
        HandoverKind.STAKEHOLDER_OWNER: _l("Stakeholder ownership (primary or backup)"),
        HandoverKind.NEXT_STEP: _l("Open next step"),
        HandoverKind.ACCOUNT_MEMBER: _l("Named account membership"),
        HandoverKind.PROJECT_SEAT: _l("Project-triangle seat on an open opportunity"),
    },
    SeatState: {
        SeatState.SCHEDULED: _l("Scheduled: starts after that day"),
        SeatState.IN_FORCE: _l("In force"),
        SeatState.ENDED: _l("Ended"),
    },
    TokenScope: {
        TokenScope.READ: _l("Read only (GET requests)"),
        TokenScope.WRITE: _l("Read and write (whatever its user may do)"),
    },
}
