"""The handover form: shape checks; kb.services.handover checks the meaning (successors, access).

Per customer group and per account successors are selects named `group-<id>` / `account-<id>` (one per
group or account the leaver holds something in); `read_overrides` reads them.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange

from kb.inputs import MAX_ID, FlaskForm
from kb.services.handover import MAX_NOTE
from views.once import SubmitOnce


class HandoverForm(SubmitOnce, FlaskForm):
    # Not limited to the offered choices: the service explains why someone cannot take over.
    from_user_id = SelectField(_l("Who leaves or rotates out"), coerce=int, validate_choice=False,
                               validators=[InputRequired(_l("Choose who hands over.")),
                                           NumberRange(min=1, message=_l("Choose who hands over."))])
    to_user_id = SelectField(_l("Successor for everything"), coerce=int, validate_choice=False,
                             validators=[InputRequired(_l("Choose a successor.")),
                                         NumberRange(min=1, message=_l("Choose a successor."))])
    note = TextAreaField(_l("Note to the successor"), validators=[
        Length(max=MAX_NOTE, message=_l("At most %(max)d characters."))])
    deactivate_from = BooleanField(_l("Deactivate the leaver (their sessions end)"))

    def __init__(self, *args: Any, people: Iterable[Any] = (), successors: Iterable[Any] = (),
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.from_user_id.choices = [SelectChoice(0, _l("— Choose a person —"))] + [
            SelectChoice(u.id, _person(u)) for u in people]
        self.to_user_id.choices = [SelectChoice(0, _l("— Choose a person —"))] + [
            SelectChoice(u.id, _person(u)) for u in successors]

    def leave_out(self, user_id: int) -> None:
        """Stop offering `user_id` (the leaver) as a successor; the service still refuses them if sent."""
        self.to_user_id.choices = [c for c in self.to_user_id.choices if c.value != user_id]


def _person(user: Any) -> str:
    return f"{user.name} · {user.email}" + ("" if user.active else " · " + _("deactivated"))


def read_overrides(formdata: Mapping[str, str], *, group_ids: Iterable[int], account_ids: Iterable[int]
                   ) -> tuple[dict[int, int], dict[int, int], dict[str, str]]:
    """The per-group and per-account successor ids chosen (empty: the successor for everything), and
    errors by field name for values that are not ids."""
    by_group, by_account, errors = {}, {}, {}
    for prefix, ids, target in (("group", group_ids, by_group), ("account", account_ids, by_account)):
        for record_id in ids:
            raw = (formdata.get(f"{prefix}-{record_id}") or "").strip()
            if not raw or raw == "0":
                continue
            if not (raw.isascii() and raw.isdigit() and len(raw) <= 10 and int(raw) <= MAX_ID):
                errors[f"{prefix}-{record_id}"] = _("Choose a successor.")
                continue
            target[record_id] = int(raw)
    return by_group, by_account, errors
