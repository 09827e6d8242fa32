"""The query-string filters of the Lead to Cash lists, one rule for the pages and the API.

Each filter set is declared once (views.api.query: the same declaration validates and is published in
/api/v1/openapi.json); a value that is not one the list knows (an unknown status or stage, an id that is
not a whole number in range, a yes/no that is neither) raises `InvalidInput` naming the parameter. The API
answers that with 422 JSON, the pages with a 422 page that shows the message and no rows — never a silently
unfiltered list.
"""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from models import LeadStatus, OpportunityStage, OpportunityStatus
from views.api.query import Param, Query
from views.api.bodies import InvalidInput

__all__ = ["InvalidInput", "LEAD_QUERY", "OPPORTUNITY_QUERY", "RISK_QUERY", "filter_label", "lead_filters",
           "opportunity_filters", "risk_filters"]

LEAD_QUERY = Query((Param("account", "int", "Account id."), Param("status", "enum", enum_cls=LeadStatus)))
OPPORTUNITY_QUERY = Query((
    Param("account", "int", "Account id."), Param("group", "int", "Customer group id."),
    Param("stage", "enum", enum_cls=OpportunityStage), Param("status", "enum", enum_cls=OpportunityStatus),
    Param("key_project", "bool", "Only key projects (true) or only the others (false)."),
))
RISK_QUERY = Query((Param("all", "bool", "Resolved risks too (true)."),))

#: What a page calls each filter parameter when it refuses its value (the filter form's labels).
FILTER_LABELS = {"account": _l("Account"), "group": _l("Customer group"), "stage": _l("Stage"),
                 "status": _l("Status"), "key_project": _l("Key project"), "all": _l("Show resolved too")}


def filter_label(name: str) -> str:
    """The label of filter parameter `name` in the reader's language (the name itself if it has none)."""
    label = FILTER_LABELS.get(name)
    return str(label) if label is not None else name


def lead_filters(args: dict[str, Any] | None = None) -> dict[str, Any]:
    """`account` (id), `status` → {"account_id", "status"}; `args` = values already loaded (API, with
    paging), else read from the request; bad values → InvalidInput."""
    args = LEAD_QUERY.load(labelled=True) if args is None else args
    return {"account_id": args["account"], "status": args["status"]}


def opportunity_filters(args: dict[str, Any] | None = None) -> dict[str, Any]:
    """`account`, `group` (ids), `stage`, `status`, `key_project` (true/false/1/0) → the pipeline's filters."""
    args = OPPORTUNITY_QUERY.load(labelled=True) if args is None else args
    return {"account_id": args["account"], "group_id": args["group"], "stage": args["stage"],
            "status": args["status"], "key_project": args["key_project"]}


def risk_filters() -> dict[str, Any]:
    """`all` (true/false/1/0: resolved risks too) → {"all"}; bad values → InvalidInput."""
    return {"all": RISK_QUERY.load(labelled=True)["all"]}
