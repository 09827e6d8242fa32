"""Account plans: view, edit (with conflict handling), history, diff, restore and Markdown preview."""
from flask import Blueprint, url_for
from werkzeug.routing import BuildError

bp = Blueprint("plans", __name__)


def _maybe_url(endpoint: str, **values) -> str | None:
    """URL of another area's page, or None while that page does not exist (areas are built in parallel)."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


@bp.app_context_processor
def _plan_helpers() -> dict:
    def plan_stakeholder_url(stakeholder) -> str | None:
        return _maybe_url("stakeholders.show", stakeholder_id=stakeholder.id)

    def plan_account_url(account) -> str | None:
        return _maybe_url("accounts.show", account_id=account.id)

    return {"plan_stakeholder_url": plan_stakeholder_url, "plan_account_url": plan_account_url}


from . import routes  # noqa: E402,F401
