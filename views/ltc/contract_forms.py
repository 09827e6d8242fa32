"""Contract and milestone forms: shapes only (kb.services.contracts checks won status, dates, amounts)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from kb.inputs import FlaskForm
from kb.labels import choices
from kb.services.ltc_checks import CURRENCIES
from models import MilestoneKind
from views.conflicts import VersionField
from views.once import SubmitOnce
from views.stakeholders.util import options

from .forms import AMOUNT_HINT, TOO_LONG  # noqa: F401  (AMOUNT_HINT: the templates' hint)


def _date(label: str, required: bool = False) -> DateField:
    first = InputRequired(_l("Enter a date.")) if required else Optional()
    return DateField(label, format="%Y-%m-%d", validators=[first])


class ContractForm(SubmitOnce, FlaskForm):
    number = StringField(_l("Contract number"), validators=[
        InputRequired(_l("Enter the contract number.")), Length(max=50, message=TOO_LONG)])
    signed_on = _date(_l("Signed on"), required=True)
    amount = StringField(_l("Amount"), validators=[InputRequired(_l("Enter an amount.")),
                                                   Length(max=40, message=TOO_LONG)])
    currency = SelectField(_l("Currency"), choices=options((c, c) for c in CURRENCIES), default="CNY")
    notes = TextAreaField(_l("Notes"), validators=[Length(max=1000, message=TOO_LONG)])
    version = VersionField()


class MilestoneForm(SubmitOnce, FlaskForm):
    kind = SelectField(_l("Milestone"), choices=options(choices(MilestoneKind)),
                       default=MilestoneKind.PAYMENT.value)
    title = StringField(_l("Milestone title"), validators=[Length(max=200, message=TOO_LONG)])
    planned_on = _date(_l("Planned date"), required=True)
    planned_amount = StringField(_l("Planned amount"), validators=[Length(max=40, message=TOO_LONG)])
    actual_on = _date(_l("Actual date"))
    actual_amount = StringField(_l("Actual amount"), validators=[Length(max=40, message=TOO_LONG)])
    version = VersionField()


class MarkDoneForm(FlaskForm):
    """Mark a milestone done today (with its planned amount)."""

    version = VersionField()
