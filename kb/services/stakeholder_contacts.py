"""Stakeholders' contact details (phone, mobile, email, WeChat ID, assistant): shape rules.

Contact details are personal data, seen only by the account team and admins (kb.policy.sees_team_content,
the rule of private notes); kb.services.stakeholders guards them on the way in, serializers and templates
on the way out, kb.search.documents indexes them only into the team-only document.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

from flask_babel import gettext as _

#: Contact fields and their maximum lengths (characters).
CONTACT_FIELDS: dict[str, int] = {
    "phone": 40, "mobile": 40, "email": 254, "wechat_id": 64, "assistant_name": 100, "assistant_contact": 200,
}
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-.]*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_WECHAT = re.compile(r"^[A-Za-z0-9_\-]+$")


def _phone(value: str) -> str | None:
    """An error message, or None when `value` reads as a phone number (7–20 digits)."""
    digits = sum(c.isdigit() for c in value)
    if not _PHONE.match(value) or not 7 <= digits <= 20:
        return _("Enter a phone number: digits, spaces, +, -, ( and ) only (7 to 20 digits).")
    return None


def clean_contacts(data: dict[str, Any], errors: dict[str, str]) -> dict[str, str]:
    """Validated contact fields of `data` (those present and not None), stripped, full-width forms made
    ASCII (NFKC) for phones, email and WeChat ID. Adds one message per bad field to `errors`."""
    clean: dict[str, str] = {}
    for field, maximum in CONTACT_FIELDS.items():
        value = data.get(field)
        if value is None:
            continue
        if not isinstance(value, str):
            errors[field] = _("Enter text.")
            continue
        value = value.strip()
        if field in ("phone", "mobile", "email", "wechat_id"):
            value = unicodedata.normalize("NFKC", value)
        if len(value) > maximum:
            errors[field] = _("Enter at most %(n)d characters.", n=maximum)
        elif value and field in ("phone", "mobile") and (message := _phone(value)):
            errors[field] = message
        elif value and field == "email" and not _EMAIL.match(value):
            errors[field] = _("Enter a valid email address.")
        elif value and field == "wechat_id" and not _WECHAT.match(value):
            errors[field] = _("Enter a WeChat ID: letters, digits, _ and - only.")
        clean[field] = value
    return clean
