"""API tokens people manage: `/tokens` (your own) and `/admin/tokens` (admins: everyone's)."""
from flask import Blueprint

bp = Blueprint("tokens", __name__)

from . import routes  # noqa: E402,F401
