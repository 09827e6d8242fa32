"""Forms of the tokens page: shape and length; kb.services.tokens checks the meaning (who may choose what)."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from kb import policy
from kb.inputs import FlaskForm
from kb.services.tokens import EXPIRY_CHOICES, MAX_LABEL
from views.once import SubmitOnce

#: The expiry select's value for "never expires" (admins only).
NEVER = "never"


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def expiry_choices(user: Any) -> list[SelectChoice]:
    """30/90/365 days, and "never" for those who may have tokens without an expiry (kb.policy)."""
    options = [SelectChoice(str(days), _l("%(n)d days", n=days)) for days in EXPIRY_CHOICES]
    if policy.may_have_token_without_expiry(user):
        options.append(SelectChoice(NEVER, _l("Never expires")))
    return options


class NewTokenForm(SubmitOnce, FlaskForm):
    label = StringField(_l("Label"), filters=[_strip], validators=[
        DataRequired(_l("Give the token a label, e.g. the tool that will use it.")),
        Length(max=MAX_LABEL, message=_l("At most %(max)d characters."))])
    expires = SelectField(_l("Expires after"), default="90",
                          validators=[InputRequired(_l("Choose when the token expires."))])
    read_only = BooleanField(_l("Read-only (for reports and BI tools: every write is refused)"))

    def expires_days(self) -> int | None:
        """The chosen expiry in days, None for "never"."""
        return None if self.expires.data == NEVER else int(self.expires.data)
