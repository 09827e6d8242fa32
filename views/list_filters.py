"""The query-string filters of the Lead to Cash lists, one rule for the pages and the API.

Each function reads `request.args` and returns the keyword arguments for the list's SELECT; a value that is
not one the list knows (an unknown status or stage, an id that is not a whole number in range, a yes/no that
is neither) raises `InvalidInput` naming the parameter. The API answers that with 422 JSON, the pages with a
422 page that shows the message and no rows — never a silently unfiltered list.
"""
from __future__ import annotations

from typing import Any

from models import LeadStatus, OpportunityStage, OpportunityStatus
from views.api.common import query_int
from views.api.ltc_fields import query_bool, query_choice
from views.api.validation import InvalidInput

__all__ = ["InvalidInput", "lead_filters", "opportunity_filters", "risk_filters"]


def lead_filters() -> dict[str, Any]:
    """`account` (id), `status` → {"account_id", "status"}; bad values → InvalidInput."""
    return _collect(account_id=lambda: query_int("account", None),
                    status=lambda: query_choice("status", LeadStatus))


def opportunity_filters() -> dict[str, Any]:
    """`account`, `group` (ids), `stage`, `status`, `key_project` (true/false/1/0) → the pipeline's filters."""
    return _collect(account_id=lambda: query_int("account", None), group_id=lambda: query_int("group", None),
                    stage=lambda: query_choice("stage", OpportunityStage),
                    status=lambda: query_choice("status", OpportunityStatus),
                    key_project=lambda: query_bool("key_project"))


def risk_filters() -> dict[str, Any]:
    """`all` (true/false/1/0: resolved risks too) → {"all"}; bad values → InvalidInput."""
    return _collect(all=lambda: query_bool("all"))


def _collect(**readers: Any) -> dict[str, Any]:
    """Every reader's value; the errors of all bad parameters together (not only the first)."""
    values: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    for key, read in readers.items():
        try:
            values[key] = read()
        except InvalidInput as exc:
            errors.update(exc.fields)
    if errors:
        raise InvalidInput(errors)
    return values
