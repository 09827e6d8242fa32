"""Load the continuity demo data (kb/demo/data_risk.py): contact details and stakeholder history."""
from __future__ import annotations

from datetime import timedelta

from models import StakeholderChange

from .context import ANCHOR, DemoContext, at
from .data_risk import CONTACTS, HISTORY

_CONTACT_FIELDS = ("phone", "mobile", "email", "wechat_id", "assistant_name", "assistant_contact")


def load_risk(ctx: DemoContext) -> None:
    """Set the demo contact details and add the recorded changes of the decision chain (after
    load_stakeholders: stakeholders are flushed and have ids)."""
    for key, values in CONTACTS.items():
        person = ctx.stakeholders[key]
        for field, value in zip(_CONTACT_FIELDS, values):
            setattr(person, field, value)
        # Recorded an hour after the drawn last change: a set time keeps the load deterministic (left alone,
        # the column's onupdate would stamp the clock's now), and the ORM flush reindexes the person.
        person.updated_at = person.updated_at + timedelta(hours=1)
    for key, field, old, new, days_before, user in HISTORY:
        if field == "reports_to_id":
            old, new = str(ctx.stakeholders[old].id), str(ctx.stakeholders[new].id)
        ctx.session.add(StakeholderChange(
            stakeholder_id=ctx.stakeholders[key].id, field=field, old_value=old, new_value=new,
            changed_by_id=ctx.uid(user), changed_at=at(ANCHOR - timedelta(days=days_before), 10)))
    ctx.counts["stakeholder changes"] = len(HISTORY)
