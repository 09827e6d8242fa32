"""JSON Schemas of what the API answers (components of /api/v1/openapi.json), one per record kind.

They list the names and JSON types the serializers (views/api/serializers*.py) give; a record may gain
names later (``additionalProperties`` stays open), so a client must ignore names it does not know.
"""
from __future__ import annotations

from typing import Any

STR = {"type": "string"}
NSTR = {"type": ["string", "null"]}
INT = {"type": "integer"}
NINT = {"type": ["integer", "null"]}
BOOL = {"type": "boolean"}
DATE = {"type": ["string", "null"], "format": "date"}
DATETIME = {"type": ["string", "null"], "format": "date-time"}
MONEY = {"type": ["string", "null"], "description": "Exact decimal with two places, e.g. \"1250000.00\"."}
IDS = {"type": "array", "items": INT}
AUDIT = {"created_at": DATETIME, "updated_at": DATETIME, "created_by_id": NINT, "updated_by_id": NINT}


def obj(required: tuple[str, ...] = ("id",), **properties: Any) -> dict[str, Any]:
    """An object with these properties, the `required` ones always present."""
    return {"type": "object", "required": [r for r in required if r in properties], "properties": properties}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def items_of(name: str, *, paged: bool = False) -> dict[str, Any]:
    """`{"items": [...]}` (+ `page`, `per_page`, `total` when the list is paged)."""
    if not paged:
        return obj(("items",), items={"type": "array", "items": ref(name)})
    return obj(("items", "page", "per_page", "total"), items={"type": "array", "items": ref(name)},
               page=INT, per_page=INT, total=INT)


NEXT_STEP = obj(id=INT, text=STR, owner_id=NINT, due_on=DATE, done=BOOL, overdue=BOOL, version=INT)
HANDOVER_CHANGE = obj(("kind",), kind=STR, id=NINT, account_id=NINT, customer_group_id=NINT,
                      from_user_id=NINT, to_user_id=NINT, detail=NSTR)

SCHEMAS: dict[str, dict[str, Any]] = {
    "Error": obj(("error",), error=obj(
        ("code", "message"), code={"type": "string", "description": "Stable machine-readable code."},
        message={"type": "string", "description": "Human-readable, in the caller's language."},
        fields={"type": "object", "description": "Per field (or parameter): what is wrong with it."},
        current={"description": "409 only: the stored record as GET gives it."})),
    "Token": obj(id=INT, user_id=INT, user_name=STR, label=STR,
                 scope={"type": "string", "enum": ["read", "write"]}, created_at=DATETIME,
                 last_used_at=DATETIME, expires_at=DATETIME, revoked_at=DATETIME,
                 state={"type": "string", "enum": ["active", "expired", "revoked"]}),
    "NewToken": obj(("id", "secret"), id=INT, user_id=INT, user_name=STR, label=STR, scope=STR,
                    created_at=DATETIME, last_used_at=DATETIME, expires_at=DATETIME, revoked_at=DATETIME,
                    state=STR, secret={"type": "string", "description": "Shown this once; store it now."}),
    "User": obj(id=INT, email=STR, name=STR, role=STR, active=BOOL, locale=NSTR, created_at=DATETIME,
                version=INT),
    "Account": obj(id=INT, name=STR, name_en=NSTR, aliases={"type": "array", "items": STR}, industry=NSTR,
                   region=NSTR, tier=NSTR, coverage=NSTR, description=NSTR, customer_group_id=NINT,
                   parent_id=NINT, archived=BOOL, version=INT, **AUDIT),
    "Plan": obj(("account_id", "period"), account_id=INT, period=STR, decision_maker_ids=IDS,
                sections={"type": "object"}, status=NSTR, reviewed_on=DATE, version=INT,
                created_at=DATETIME, updated_at=DATETIME, updated_by={"type": ["object", "null"]},
                targets={"type": "array", "items": {"type": "object"}}),
    "PlanRevision": obj(("number",), number=INT, author_id=NINT, created_at=DATETIME, comment=NSTR,
                        restored_from=NINT, content={"type": "object"}),
    "Stakeholder": obj(id=INT, account_id=INT, name=STR, title=NSTR, department=NSTR, reports_to_id=NINT,
                       decision_role=NSTR, attitude=NSTR, influence=NSTR, layer=NSTR, relationship_level=NINT,
                       owner_ids=IDS, primary_owner_id=NINT, notes=NSTR, archived=BOOL, version=INT,
                       private_notes={**NSTR, "description": "Only for the account team and admins."},
                       **AUDIT),
    "Interaction": obj(id=INT, account_id=INT, occurred_on=DATE, kind=STR, title=NSTR, summary=NSTR,
                       stakeholder_ids=IDS, attendee_ids=IDS,
                       next_steps={"type": "array", "items": NEXT_STEP},
                       visibility=STR, version=INT, **AUDIT),
    "TriangleSeat": obj(id=INT, user_id=INT, role=STR, started_on=DATE, ended_on=DATE, note=NSTR),
    "CustomerGroup": obj(id=INT, name=STR, name_en=NSTR, description=NSTR, version=INT,
                         current_seats={"type": "array"}, scheduled_seats={"type": "array"},
                         past_seats={"type": "array"}),
    "Lead": obj(id=INT, account_id=NINT, prospect_name=NSTR, title=STR, description=NSTR, source=NSTR,
                estimated_amount=MONEY, currency=NSTR, owner_id=NINT, status=STR, drop_reason=NSTR,
                budget_confirmed=BOOL, budget_amount=MONEY, budget_confirmed_on=DATE, opportunity_id=NINT,
                visibility=STR, version=INT, **AUDIT),
    "Opportunity": obj(id=INT, account_id=INT, lead_id=NINT, name=STR, stage=STR, status=STR,
                       close_reason=NSTR, amount=MONEY, currency=NSTR, expected_close_on=DATE,
                       win_probability=NINT, competitors=NSTR, solution=NSTR, notes=NSTR, visibility=STR,
                       stakeholder_ids=IDS, opened_on=DATE, closed_on=DATE, decision_cycle_days=NINT,
                       stage_history={"type": "array"}, key_project=BOOL, light=NSTR, light_reason=NSTR,
                       key_owner_id=NINT, next_review_on=DATE, light_history={"type": "array"}, version=INT,
                       **AUDIT),
    "OpportunitySeat": obj(id=INT, opportunity_id=INT, user_id=INT, user_name=NSTR, role=STR,
                           started_on=DATE, ended_on=DATE, state={"enum": ["scheduled", "in_force", "ended"]},
                           note=NSTR),
    "Risk": obj(id=INT, account_id=INT, opportunity_id=NINT, description=STR, owner_id=NINT, due_on=DATE,
                status=STR, resolution=NSTR, resolved_on=DATE, overdue=BOOL, version=INT, **AUDIT),
    "Milestone": obj(id=INT, contract_id=INT, kind=STR, title=NSTR, planned_on=DATE, actual_on=DATE,
                     planned_amount=MONEY, actual_amount=MONEY, done=BOOL, version=INT, **AUDIT),
    "Contract": obj(id=INT, opportunity_id=INT, account_id=INT, number=STR, signed_on=DATE, amount=MONEY,
                    currency=NSTR, notes=NSTR, received=MONEY, to_come=MONEY,
                    milestones={"type": "array", "items": ref("Milestone")}, version=INT, **AUDIT),
    "Handover": obj(("id", "dry_run", "changes"), id=NINT, dry_run=BOOL, created_at=DATETIME,
                    created_by_id=NINT, from_user_id=INT, to_user_id=INT, note=NSTR, deactivated_from=BOOL,
                    changes={"type": "array", "items": HANDOVER_CHANGE}),
    "Coverage": obj(("account_id",), account_id=INT, stakeholders={"type": "array"}, at_risk=INT,
                    layers={"type": "object"}, triangle_gaps={"type": "array"}),
    "PersonalData": {"type": "object"},
    "Erasure": obj(("erasure", "stakeholder"), erasure={"type": "object"}, stakeholder=ref("Stakeholder")),
    "Conversion": obj(("opportunity_id", "lead"), opportunity_id=INT, lead=ref("Lead")),
    "ImportReport": obj(("dry_run", "kind", "rows"), dry_run=BOOL, kind=STR, rows=INT, created=INT,
                        updated=INT, unchanged=INT, error_count=INT, errors={"type": "array"}),
    "Watches": obj(("period", "health", "kpi", "key_projects", "risks"), period={"type": "object"},
                   group_id=NINT, health={"type": "object"}, kpi={"type": "object"},
                   key_projects={"type": "array"}, risks={"type": "object"}),
}
SCHEMAS["AccountPage"] = items_of("Account", paged=True)
SEARCH_HIT = obj(("type", "id"), type=STR, id=INT, account_id=NINT, title=NSTR, url=NSTR, snippet=NSTR,
                 score={"type": ["number", "null"]}, date=DATE)
SEARCH_RESULTS = obj(("total", "results"), total=INT, page=INT, per_page=INT, message=NSTR, suggestion=NSTR,
                     stale=BOOL, index_lag=NINT, facets={"type": "object"},
                     results={"type": "array", "items": SEARCH_HIT})
