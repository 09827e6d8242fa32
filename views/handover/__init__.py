"""Handover pages: choose the leaver, preview, apply; the records; the successor's handover brief."""
from flask import Blueprint

bp = Blueprint("handover", __name__)


@bp.app_context_processor
def _nav() -> dict:
    """`may_hand_over()` for the main navigation (admins and customer groups' current ARs)."""
    from flask_login import current_user

    from kb import policy

    return {"may_hand_over": lambda: policy.may_hand_over(current_user)}


from . import routes  # noqa: E402,F401
