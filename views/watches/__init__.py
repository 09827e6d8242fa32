"""The four watches (四项看护) of a customer group or of all, and the printable meeting pack."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("watches", __name__)

from . import routes  # noqa: E402,F401
