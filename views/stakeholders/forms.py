"""Stakeholder forms. Enum selects come from kb.labels; ids are checked for meaning by the service."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from kb.inputs import FlaskForm
from kb.labels import RELATIONSHIP_LEVELS, choices
from kb.services.stakeholders import DEFAULT_LAYER
from models import Attitude, DecisionRole, Influence, RelationshipLayer
from views.accounts.forms import MultiCheckboxField
from views.once import SubmitOnce

from views.conflicts import VersionField

from .util import options

TOO_LONG = _l("Enter at most %(max)d characters.")
TOO_MANY = _l("Choose at most %(max)d.")


class StakeholderForm(SubmitOnce, FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the person's name.")),
                                               Length(max=100, message=TOO_LONG)])
    name_en = StringField(_l("Name in English"), validators=[Length(max=100, message=TOO_LONG)])
    title = StringField(_l("Title"), validators=[Length(max=150, message=TOO_LONG)])
    department = StringField(_l("Department"), validators=[Length(max=150, message=TOO_LONG)])
    # Choices are filled by the view; the service checks the id belongs to the account and makes no loop.
    reports_to_id = SelectField(_l("Reports to"), coerce=int, validate_choice=False)
    # A new person starts as "unknown": never counted as a decision-maker or high influence by guessing.
    decision_role = SelectField(_l("Decision role"), choices=options(choices(DecisionRole)),
                                default=DecisionRole.UNKNOWN.value)
    attitude = SelectField(_l("Attitude to us"), choices=options(choices(Attitude)),
                           default=Attitude.UNKNOWN.value)
    influence = SelectField(_l("Influence"), choices=options(choices(Influence)),
                            default=Influence.UNKNOWN.value)
    layer = SelectField(_l("Relationship layer"), choices=options(choices(RelationshipLayer)),
                        default=DEFAULT_LAYER.value)  # the service's default, as the API gets
    relationship_level = SelectField(_l("Relationship level"), coerce=int,
                                     choices=options(RELATIONSHIP_LEVELS.items()), default=1)
    primary_owner_id = SelectField(_l("Primary owner"), coerce=int, validate_choice=False)
    backup_owner_ids = MultiCheckboxField(_l("Backup owners"), coerce=int, validate_choice=False,
                                           validators=[Length(max=50, message=TOO_MANY)])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=10_000, message=TOO_LONG)])
    #: Removed by the view for people outside the account team: they never see nor send private notes.
    private_notes = TextAreaField(_l("Private notes (account team only)"),
                                  validators=[Length(max=10_000, message=TOO_LONG)])
    #: Contact details: removed by the view, like private notes, for people outside the account team.
    phone = StringField(_l("Phone"), validators=[Length(max=40, message=TOO_LONG)])
    mobile = StringField(_l("Mobile"), validators=[Length(max=40, message=TOO_LONG)])
    email = StringField(_l("Email"), validators=[Length(max=254, message=TOO_LONG)])
    wechat_id = StringField(_l("WeChat ID"), validators=[Length(max=64, message=TOO_LONG)])
    assistant_name = StringField(_l("Assistant's name"), validators=[Length(max=100, message=TOO_LONG)])
    assistant_contact = StringField(_l("Assistant's contact"), validators=[Length(max=200, message=TOO_LONG)])
    version = VersionField()
