"""Exports: an account's workbook, the account list and search results as .xlsx/.csv, and who exported what."""
from flask import Blueprint

bp = Blueprint("exports", __name__)

from . import records, routes  # noqa: E402,F401
