from flask import Blueprint

bp = Blueprint("accounts", __name__)

from . import pages, routes  # noqa: E402,F401
