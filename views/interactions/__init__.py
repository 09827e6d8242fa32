from datetime import date

from flask import Blueprint

from kb import clock

bp = Blueprint("interactions", __name__)


@bp.app_template_global("today")
def today() -> date:
    """Today's date, for "overdue" marks in templates."""
    return clock.today()


from . import routes  # noqa: E402,F401
