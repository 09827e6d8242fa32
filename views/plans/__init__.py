"""Account plans: view, edit (with conflict handling), history, diff, restore and Markdown preview."""
from flask import Blueprint, url_for
from werkzeug.routing import BuildError

bp = Blueprint("plans", __name__)


@bp.app_context_processor
def _plan_helpers() -> dict:
    def plan_stakeholder_url(stakeholder) -> str | None:
        """Link to a stakeholder page, or None while that page does not exist."""
        try:
            return url_for("stakeholders.show", stakeholder_id=stakeholder.id)
        except BuildError:
            return None
    return {"plan_stakeholder_url": plan_stakeholder_url}


from . import routes  # noqa: E402,F401
