from flask import Blueprint

bp = Blueprint("admin", __name__)

from . import lists, routes  # noqa: E402,F401
