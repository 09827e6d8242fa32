"""Forms of the customer-group pages: shape and length checks; kb.services.groups checks the meaning."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from kb import clock
from kb.inputs import FlaskForm
from kb.labels import choices
from models import SeatRole
from views.conflicts import VersionField
from views.once import SubmitOnce


class GroupForm(SubmitOnce, FlaskForm):
    name = StringField(_l("Name"), validators=[
        DataRequired(_l("Enter a name for the group.")),
        Length(max=100, message=_l("At most %(max)d characters.")),
    ])
    name_en = StringField(_l("English name"), validators=[
        Length(max=100, message=_l("At most %(max)d characters."))])
    description = TextAreaField(_l("Description"), validators=[
        Length(max=5000, message=_l("At most %(max)d characters."))])
    version = VersionField()


class RotateForm(SubmitOnce, FlaskForm):
    """Give a triangle role to someone; the current holder's seat ends on the start date."""

    role = SelectField(_l("Role"), choices=[SelectChoice(v, text) for v, text in choices(SeatRole)],
                       validators=[InputRequired(_l("Choose AR, SR or FR."))])
    # Not limited to the offered choices: the service explains why someone cannot hold a seat.
    user_id = SelectField(_l("New holder"), coerce=int, validate_choice=False,
                          validators=[InputRequired(_l("Choose who takes the seat.")),
                                      NumberRange(min=1, message=_l("Choose who takes the seat."))])
    started_on = DateField(_l("From"), default=clock.today,
                           validators=[InputRequired(_l("Enter a date (YYYY-MM-DD)."))])
    note = StringField(_l("Note"), validators=[Length(max=500, message=_l("At most %(max)d characters."))])
    hand_over = BooleanField(_l("Hand over the outgoing holder's relationships in this group"))

    def __init__(self, *args, holders=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        # a first, empty choice: nobody is preselected (the first name may hold the role in another group)
        self.user_id.choices = [SelectChoice(0, _l("— Choose a person —"))] + [
            SelectChoice(u.id, f"{u.name} · {u.email}") for u in holders]


class EndSeatForm(FlaskForm):
    """Leave a role vacant from a date (default today)."""

    ended_on = DateField(_l("Until"), default=clock.today, validators=[Optional()])
