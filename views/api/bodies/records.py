"""Bodies of account plans, interactions, handovers, contracts and milestones."""
from typing import Annotated, ClassVar

from pydantic import Field, create_model

from kb.services import contracts, handover, interactions, ltc_checks, plan_targets, plans
from models import (
    ANSWER_FIELDS, SECTION_KEYS, GapKind, InteractionKind, MilestoneKind, PlanStatus, TargetMetric, Visibility,
)

from .base import READ_ONLY, Amount, BodyModel, Choice, Id, IdList, IsoDate, OneOf, StringMap, Text, Version

#: The most decision-makers a plan names, stakeholders an interaction links, assignments a handover takes.
MAX_DECISION_MAKERS = 200
MAX_LINKED = 100
MAX_ASSIGNMENTS = 200
#: A currency the services price in (kb.services.ltc_checks.CURRENCIES); left out: CNY.
Currency = OneOf(ltc_checks.CURRENCIES)


class TargetInput(BodyModel):
    """One plan target as PUT takes it; GET's computed values (actual of revenue/orders, gap) may be echoed."""

    ignored: ClassVar[frozenset[str]] = READ_ONLY | frozenset({"gap"})
    metric: Choice(TargetMetric)
    custom_name: Text(plan_targets.MAX_CUSTOM_NAME) = None
    unit: Text(plan_targets.MAX_UNIT) = None
    baseline: Amount | None = None
    target: Amount  # the service requires it (kb.services.plan_targets)
    actual: Amount | None = None
    gap_kind: Choice(GapKind) | None = None
    computed: bool = None


class _Plan(BodyModel):
    ignored: ClassVar[frozenset[str]] = frozenset({"account_id", "period", "reviewed_on", "created_at",
                                                   "updated_at", "updated_by"})
    sections: StringMap(SECTION_KEYS, plans.MAX_TEXT) = None
    decision_maker_ids: IdList(MAX_DECISION_MAKERS) = None
    status: Choice(PlanStatus) = None
    version: Version = None
    comment: Text(plans.MAX_COMMENT) = None
    targets: Annotated[list[TargetInput], Field(max_length=plan_targets.MAX_TARGETS)] = None


#: PUT /accounts/<id>/plans/<period>: the answers (ANSWER_FIELDS), sections, decision-makers, targets.
PlanInput = create_model(  # type: ignore[call-overload]
    "PlanInput", __base__=_Plan, __doc__="PUT /accounts/<id>/plans/<period>.",
    **{key: (Text(plans.MAX_TEXT, strip=False), None) for key in ANSWER_FIELDS})


class NextStepInput(BodyModel):
    """A next step of an interaction."""

    ignored: ClassVar[frozenset[str]] = READ_ONLY | frozenset({"overdue", "version"})
    text: Text(interactions.STEP_MAX, min=1)
    owner_id: Id | None = None
    due_on: IsoDate | None = None
    done: bool = None


class StepChangeInput(NextStepInput):
    """A next step sent back on PATCH: its `id` keeps the existing step; its `version` is read-only."""

    ignored: ClassVar[frozenset[str]] = frozenset({"version", "overdue"})
    id: Id | None = None


class NewInteraction(BodyModel):
    """POST /accounts/<id>/interactions."""

    occurred_on: IsoDate
    kind: Choice(InteractionKind)
    title: Text(interactions.TITLE_MAX) = None
    summary: Text(interactions.SUMMARY_MAX, strip=False) = None
    visibility: Choice(Visibility) = None
    stakeholder_ids: IdList(MAX_LINKED) = None
    attendee_ids: IdList(MAX_LINKED) = None
    next_steps: Annotated[list[NextStepInput], Field(max_length=interactions.MAX_STEPS)] = None


class InteractionChanges(NewInteraction):
    """PATCH /interactions/<id> (partial)."""

    next_steps: Annotated[list[StepChangeInput], Field(max_length=interactions.MAX_STEPS)] = None
    version: Version = None


class AssignmentInput(BodyModel):
    """One record of a handover given to another successor than the default."""

    customer_group_id: Id = None
    account_id: Id = None
    to_user_id: Id


class HandoverInput(BodyModel):
    """POST /handovers."""

    from_user_id: Id
    to_user_id: Id
    assignments: Annotated[list[AssignmentInput], Field(max_length=MAX_ASSIGNMENTS)] = None
    dry_run: bool = None
    deactivate_from: bool = None
    note: Text(handover.MAX_NOTE) = None


CONTRACT_READ_ONLY = READ_ONLY | frozenset({"opportunity_id", "received", "to_come", "milestones"})


class NewContract(BodyModel):
    """POST /opportunities/<id>/contract."""

    ignored: ClassVar[frozenset[str]] = CONTRACT_READ_ONLY
    number: Text(contracts.NUMBER_MAX, min=1)
    signed_on: IsoDate
    amount: Amount  # the service requires it (kb.services.contracts)
    currency: Currency = None
    notes: Text(contracts.NOTES_MAX) = None


class ContractChanges(NewContract):
    """PATCH /contracts/<id> (partial)."""

    version: Version = None


class NewMilestone(BodyModel):
    """POST /contracts/<id>/milestones."""

    ignored: ClassVar[frozenset[str]] = READ_ONLY | frozenset({"contract_id", "done"})
    kind: Choice(MilestoneKind)
    title: Text(contracts.TITLE_MAX) = None
    planned_on: IsoDate
    actual_on: IsoDate | None = None
    planned_amount: Amount | None = None
    actual_amount: Amount | None = None


class MilestoneChanges(NewMilestone):
    """PATCH /milestones/<id> (partial)."""

    version: Version = None
