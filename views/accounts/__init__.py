from flask import Blueprint

bp = Blueprint("accounts", __name__)

from . import lists, pages, pictures, routes  # noqa: E402,F401
