"""Bodies of accounts, customer groups, stakeholders and API tokens (limits: the services' constants)."""
from typing import Annotated, Any, ClassVar

from pydantic import BeforeValidator, WithJsonSchema, create_model
from pydantic_core import PydanticCustomError

from kb.services import accounts, groups, stakeholders, tokens
from kb.services.stakeholder_contacts import CONTACT_FIELDS
from models import Attitude, Coverage, DecisionRole, Influence, RelationshipLayer, SeatRole, Tier

from .base import BodyModel, Choice, Id, IdList, Int, IsoDate, StringList, Text, Version

#: Relationship levels run 1 (met) to 5 (trusted advisor), as the stakeholder form offers them.
LEVEL_MIN, LEVEL_MAX = 1, 5
#: The most owners a stakeholder has.
MAX_OWNERS = 20


class _AccountFields(BodyModel):
    """What POST and PATCH of an account share."""

    name: Text(accounts.MAX_NAME, min=1)
    name_en: Text(accounts.MAX_NAME) = None
    aliases: StringList(accounts.MAX_ALIASES, accounts.MAX_ALIAS) = None
    industry: Text(accounts.MAX_SHORT_TEXT) = None
    region: Text(accounts.MAX_SHORT_TEXT) = None
    tier: Choice(Tier) = None
    coverage: Choice(Coverage) = None
    customer_group_id: Id | None = None
    parent_id: Id | None = None
    description: Text(accounts.MAX_DESCRIPTION, strip=False) = None


class NewAccount(_AccountFields):
    """POST /accounts."""

    confirm_duplicate: bool = None


class AccountChanges(_AccountFields):
    """PATCH /accounts/<id> (partial)."""

    archived: bool = None
    version: Version = None


GROUP_READ_ONLY = frozenset({"id", "current_seats", "scheduled_seats", "past_seats", "created_at", "updated_at",
                             "created_by_id", "updated_by_id"})


class NewGroup(BodyModel):
    """POST /customer-groups."""

    ignored: ClassVar[frozenset[str]] = GROUP_READ_ONLY
    name: Text(groups.MAX_NAME, min=1)
    name_en: Text(groups.MAX_NAME) = None
    description: Text(groups.MAX_DESCRIPTION) = None


class GroupChanges(NewGroup):
    """PATCH /customer-groups/<id> (partial)."""

    version: Version = None


class GroupSeat(BodyModel):
    """POST /customer-groups/<id>/seats."""

    user_id: Id
    role: Choice(SeatRole)
    started_on: IsoDate | None = None
    note: Text(groups.MAX_NOTE) = None


class _Stakeholder(BodyModel):
    name: Text(stakeholders.NAME_MAX, min=1)
    name_en: Text(stakeholders.NAME_MAX) = None
    title: Text(stakeholders.TITLE_MAX) = None
    department: Text(stakeholders.TITLE_MAX) = None
    reports_to_id: Id | None = None
    decision_role: Choice(DecisionRole) = None
    attitude: Choice(Attitude) = None
    influence: Choice(Influence) = None
    layer: Choice(RelationshipLayer) = None
    relationship_level: Int(LEVEL_MIN, LEVEL_MAX) = None
    owner_ids: IdList(MAX_OWNERS) = None
    primary_owner_id: Id | None = None
    notes: Text(stakeholders.NOTES_MAX, strip=False) = None
    private_notes: Text(stakeholders.NOTES_MAX, strip=False) = None


#: POST /accounts/<id>/stakeholders; contact details (shapes checked by kb.services.stakeholder_contacts).
NewStakeholder = create_model(  # type: ignore[call-overload]
    "NewStakeholder", __base__=_Stakeholder, __doc__="POST /accounts/<id>/stakeholders.",
    **{name: (Text(maximum), None) for name, maximum in CONTACT_FIELDS.items()})


class StakeholderChanges(NewStakeholder):  # type: ignore[misc,valid-type]
    """PATCH /stakeholders/<id> (partial)."""

    archived: bool = None
    version: Version = None


def _expiry(value: Any) -> Any:
    """30, 90 or 365 (5383.0-style whole floats too) or None; else the service's own message."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if value is None or (isinstance(value, int) and not isinstance(value, bool)
                         and value in tokens.EXPIRY_CHOICES):
        return value
    raise PydanticCustomError("expiry", "Choose when the token expires: 30, 90 or 365 days.")


#: 30, 90 or 365 days (the service's EXPIRY_CHOICES), or null for never (admins; the service checks).
ExpiryDays = Annotated[int | None, BeforeValidator(_expiry), WithJsonSchema({
    "anyOf": [{"type": "integer", "enum": list(tokens.EXPIRY_CHOICES)}, {"type": "null"}],
    "description": "Days until the token expires; null = never (admins only)."})]


class NewToken(BodyModel):
    """POST /tokens."""

    label: Text(tokens.MAX_LABEL, min=1)
    expires_days: ExpiryDays
    read_only: bool = None
