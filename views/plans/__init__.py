"""Account plans: view, edit (with conflict handling), history, diff, restore and Markdown preview."""
from flask import Blueprint, url_for

bp = Blueprint("plans", __name__)


@bp.app_context_processor
def _plan_helpers() -> dict:
    def plan_stakeholder_url(stakeholder) -> str | None:
        return url_for("stakeholders.show", stakeholder_id=stakeholder.id)

    def plan_account_url(account) -> str | None:
        return url_for("accounts.show", account_id=account.id)

    return {"plan_stakeholder_url": plan_stakeholder_url, "plan_account_url": plan_account_url}


from . import routes  # noqa: E402,F401
