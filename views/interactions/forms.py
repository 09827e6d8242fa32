"""Interaction forms: the visit itself and a fixed number of next-step rows (blank rows are ignored)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField, DateField, FieldList, FormField, HiddenField, SelectField,
    StringField, TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from kb.inputs import FlaskForm, Form
from kb.labels import choices
from models import InteractionKind, Visibility
from views.accounts.forms import MultiCheckboxField
from views.conflicts import VersionField
from views.stakeholders.util import options
from views.once import SubmitOnce

TOO_LONG = _l("Enter at most %(max)d characters.")
TOO_MANY = _l("Choose at most %(max)d.")
BLANK_ROWS = 3
MAX_ROWS = 60


class NextStepForm(Form):
    """One next-step row (a sub-form: the CSRF token lives on the outer form)."""

    id = HiddenField(validators=[Length(max=12)])
    text = StringField(_l("Next step"), validators=[Length(max=500, message=TOO_LONG)])
    owner_id = SelectField(_l("Owner"), coerce=int, validate_choice=False, default=0)
    due_on = DateField(_l("Due"), validators=[Optional()], format="%Y-%m-%d")
    done = BooleanField(_l("Done"))


class InteractionForm(SubmitOnce, FlaskForm):
    occurred_on = DateField(_l("Date"), format="%Y-%m-%d",
                            validators=[InputRequired(_l("Enter the date of the interaction."))])
    kind = SelectField(_l("Kind"), choices=options(choices(InteractionKind)), validators=[DataRequired()])
    title = StringField(_l("Subject"), validators=[Length(max=200, message=TOO_LONG)])
    summary = TextAreaField(_l("Summary"), validators=[Length(max=20_000, message=TOO_LONG)])
    stakeholder_ids = MultiCheckboxField(_l("Stakeholders met"), coerce=int, validate_choice=False,
                                          validators=[Length(max=100, message=TOO_MANY)])
    attendee_ids = MultiCheckboxField(_l("Our attendees"), coerce=int, validate_choice=False,
                                       validators=[Length(max=100, message=TOO_MANY)])
    visibility = SelectField(_l("Visible to"), choices=options(choices(Visibility)),
                             default=Visibility.ORG.value)
    next_steps = FieldList(FormField(NextStepForm), _l("Next steps"), min_entries=BLANK_ROWS,
                           max_entries=MAX_ROWS)
    version = VersionField()
