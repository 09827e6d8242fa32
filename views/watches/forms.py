"""Query-string forms of the watches pages: shapes only (the service reads the period and the date)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from kb.inputs import Form
from kb.services.meeting_pack import Meeting
from views.stakeholders.util import options

MEETINGS = options([(Meeting.PROJECT_REVIEW.value, _l("Sales project review")),
            (Meeting.BUSINESS.value, _l("Sales business meeting"))])


class PeriodForm(Form):
    """`period`: FY2027, 2027, 2027H1, 2027Q3 (blank: this year)."""

    period = StringField(_l("Period"), validators=[Optional(), Length(max=20)])


class MeetingPackForm(Form):
    """`since`: the last meeting's date; `meeting`: which of the two regular meetings."""

    since = DateField(_l("Changes since"), format="%Y-%m-%d", validators=[Optional()])
    meeting = SelectField(_l("Meeting"), choices=MEETINGS, default=Meeting.PROJECT_REVIEW.value)
