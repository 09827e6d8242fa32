"""Lead to Cash forms: shapes only (services check the rules: budget, reasons, amounts, lights)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField, DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from kb.inputs import FlaskForm, Form
from kb.labels import choices
from kb.services.ltc_checks import CURRENCIES
from models import (
    LeadSource, LeadStatus, Light, OpportunityStage, OpportunityStatus, RiskStatus, SeatRole, Visibility,
)
from views.accounts.forms import MultiCheckboxField
from views.conflicts import VersionField
from views.once import SubmitOnce
from views.stakeholders.util import options

TOO_LONG = _l("Enter at most %(max)d characters.")
AMOUNT_HINT = _l("e.g. 1250000.00")


def _date(label: str, required: bool = False) -> DateField:
    first = InputRequired(_l("Enter a date.")) if required else Optional()
    return DateField(label, format="%Y-%m-%d", validators=[first])


class LeadForm(SubmitOnce, FlaskForm):
    title = StringField(_l("Lead title"), validators=[InputRequired(_l("Give the lead a title.")),
                                                 Length(max=200, message=TOO_LONG)])
    prospect_name = StringField(_l("Prospect (not yet an account)"),
                                validators=[Length(max=200, message=TOO_LONG)])
    description = TextAreaField(_l("Description"), validators=[Length(max=20_000, message=TOO_LONG)])
    source = SelectField(_l("Source"), choices=options(choices(LeadSource)), default=LeadSource.OTHER.value)
    estimated_amount = StringField(_l("Estimated amount"), validators=[Length(max=40, message=TOO_LONG)])
    currency = SelectField(_l("Currency"), choices=options((c, c) for c in CURRENCIES), default="CNY")
    owner_id = SelectField(_l("Owner"), coerce=int, validate_choice=False, default=0)
    status = SelectField(_l("Status"), choices=options(choices(LeadStatus)), default=LeadStatus.NEW.value)
    drop_reason = StringField(_l("Why dropped"), validators=[Length(max=500, message=TOO_LONG)])
    budget_confirmed = BooleanField(_l("The customer has confirmed an investment budget"))
    budget_amount = StringField(_l("Confirmed budget"), validators=[Length(max=40, message=TOO_LONG)])
    budget_confirmed_on = _date(_l("Budget confirmed on"))
    visibility = SelectField(_l("Visible to"), choices=options(choices(Visibility)),
                             default=Visibility.ORG.value)
    account_id = SelectField(_l("Account"), coerce=int, validate_choice=False, default=0)  # prospect leads
    version = VersionField()


class OpeningSeatsMixin:
    """The project iron triangle chosen when an opportunity opens (0 = no seat for that role)."""

    seat_AR = SelectField(_l("AR · Account responsible"), coerce=int, validate_choice=False, default=0)
    seat_SR = SelectField(_l("SR · Solution responsible"), coerce=int, validate_choice=False, default=0)
    seat_FR = SelectField(_l("FR · Fulfilment responsible"), coerce=int, validate_choice=False, default=0)


class ConvertForm(OpeningSeatsMixin, FlaskForm):
    name = StringField(_l("Opportunity name"), validators=[Length(max=200, message=TOO_LONG)])
    version = VersionField()


class OpportunityForm(SubmitOnce, FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(_l("Name the opportunity.")),
                                               Length(max=200, message=TOO_LONG)])
    stage = SelectField(_l("Stage"), choices=options(choices(OpportunityStage)),
                        default=OpportunityStage.VALIDATE.value)
    status = SelectField(_l("Status"), choices=options(choices(OpportunityStatus)),
                         default=OpportunityStatus.OPEN.value)
    close_reason = StringField(_l("Why won, lost or abandoned"),
                               validators=[Length(max=500, message=TOO_LONG)])
    amount = StringField(_l("Amount"), validators=[Length(max=40, message=TOO_LONG)])
    currency = SelectField(_l("Currency"), choices=options((c, c) for c in CURRENCIES), default="CNY")
    expected_close_on = _date(_l("Expected close"))
    win_probability = IntegerField(_l("Win probability"), validators=[Optional()])
    competitors = StringField(_l("Competitors"), validators=[Length(max=500, message=TOO_LONG)])
    solution = TextAreaField(_l("Our solution"), validators=[Length(max=20_000, message=TOO_LONG)])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=20_000, message=TOO_LONG)])
    stakeholder_ids = MultiCheckboxField(_l("Stakeholders involved"), coerce=int, validate_choice=False,
                                          validators=[Length(max=100, message=_l("Choose at most %(max)d."))])
    visibility = SelectField(_l("Visible to"), choices=options(choices(Visibility)),
                             default=Visibility.ORG.value)
    key_project = BooleanField(_l("Must-win key project"))
    light = SelectField(_l("Traffic light"), choices=options([("", "—"), *choices(Light)]), default="")
    light_reason = StringField(_l("Reason for the light"), validators=[Length(max=500, message=TOO_LONG)])
    key_owner_id = SelectField(_l("Key project owner"), coerce=int, validate_choice=False, default=0)
    next_review_on = _date(_l("Next review"))
    version = VersionField()


class NewOpportunityForm(OpeningSeatsMixin, OpportunityForm):
    """Opening an opportunity: its fields and its project iron triangle."""


class SeatForm(FlaskForm):
    user_id = SelectField(_l("Person"), coerce=int, validate_choice=False, default=0)
    role = SelectField(_l("Role"), choices=options(choices(SeatRole)), default=SeatRole.AR.value)
    started_on = _date(_l("From"), required=True)
    note = StringField(_l("Note"), validators=[Length(max=500, message=TOO_LONG)])


class EndSeatForm(FlaskForm):
    ended_on = _date(_l("Until"))


class RiskForm(SubmitOnce, FlaskForm):
    description = TextAreaField(_l("Risk or open issue"), validators=[
        InputRequired(_l("Describe the risk or open issue.")), Length(max=1000, message=TOO_LONG)])
    owner_id = SelectField(_l("Owner"), coerce=int, validate_choice=False, default=0)
    due_on = _date(_l("Due"))
    status = SelectField(_l("Status"), choices=options(choices(RiskStatus)), default=RiskStatus.OPEN.value)
    resolution = TextAreaField(_l("Resolution"), validators=[Length(max=5000, message=TOO_LONG)])
    opportunity_id = HiddenField()
    version = VersionField()


class PipelineFilter(Form):
    """The pipeline list's filter form (shows the query string; views.list_filters checks the values)."""

    stage = SelectField(_l("Stage"), choices=options([("", _l("Any stage")), *choices(OpportunityStage)]),
                        default="")
    status = SelectField(_l("Status"), choices=options([("", _l("Any status")), *choices(OpportunityStatus)]),
                         default="")
    key_project = BooleanField(_l("Key projects only"))
