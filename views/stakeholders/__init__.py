from flask import Blueprint

from kb.labels import RELATIONSHIP_LEVELS

bp = Blueprint("stakeholders", __name__)


@bp.app_template_global("relationship_level_label")
def relationship_level_label(level: int) -> object:
    """The translated label of a relationship level 1..5."""
    return RELATIONSHIP_LEVELS.get(level, level)


from . import routes  # noqa: E402,F401
from . import personal  # noqa: E402,F401
