from flask import Blueprint

bp = Blueprint("stakeholders", __name__)

from . import routes  # noqa: E402,F401
