"""The brief's "whom are we meeting, and why" form (a GET form: it changes nothing, so no CSRF token)."""
from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Length

from kb.inputs import Form
from kb.services import meeting
from kb.services.errors import ValidationFailed
from models import Stakeholder

from .forms import MultiCheckboxField


class MeetingForm(Form):
    meeting = MultiCheckboxField(_l("Whom are you meeting?"), coerce=int, validate_choice=False)
    purpose = StringField(_l("Purpose of the visit"),
                          validators=[Length(max=200, message=_l("Enter at most %(max)d characters."))])


def meeting_context(account_id: int, chain: list[Stakeholder], viewer: Any) -> tuple[dict[str, Any], int]:
    """The form (choices: the account's key people), the people met with their history, and the status:
    422 when the query string is invalid (the message on its field), else 200."""
    form = MeetingForm(request.args)
    form.meeting.choices = [(s.id, f"{s.name} · {s.title}" if s.title else s.name) for s in chain]
    people: list[meeting.MeetingPerson] = []
    status = 200
    if request.args and not form.validate():
        status = 422
    elif request.args:
        try:
            people = meeting.meeting_people(account_id=account_id, stakeholder_ids=form.meeting.data or [],
                                            viewer=viewer)
        except ValidationFailed as error:
            form.meeting.errors = [error.fields.get("meeting", str(error))]
            status = 422
    return dict(meeting_form=form, meeting_people=people,
                purpose=(form.purpose.data or "").strip() if status == 200 else ""), status
