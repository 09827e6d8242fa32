"""The current day, the one way the app asks for it."""
from __future__ import annotations

from datetime import date


def today() -> date:
    """Today's date."""
    return date.today()
