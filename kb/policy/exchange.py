"""Imports (kb/services/imports.py): each row then goes through the gate of the record it writes."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, true

from ..services.errors import PermissionDenied
from .core import _user_id, is_admin, _is_active_member


# --- imports (kb/services/imports.py): each row then goes through the gate of the record it writes ----

def may_import(user: Any) -> bool:
    """May `user` import spreadsheets at all (admins, and active members into the accounts they edit)?"""
    return is_admin(user) or _is_active_member(user)


def check_may_import(user: Any) -> None:
    """Raise PermissionDenied unless `user` may import (see may_import)."""
    if not may_import(user):
        raise PermissionDenied(_("You may not import data."))


def import_runs_visible_clause(user: Any) -> ColumnElement[bool]:
    """WHERE clause on ImportRun: admins see every import, others their own."""
    from models import ImportRun

    return true() if is_admin(user) else ImportRun.user_id == _user_id(user)
