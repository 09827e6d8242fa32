"""Forms of user administration: shape and length checks; kb.services.users checks the meaning."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, Optional

from kb.inputs import FlaskForm
from kb.labels import choices
from models import UserRole
from views.conflicts import VersionField
from views.once import SubmitOnce

_MAX = _l("At most %(max)d characters.")


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _role_choices() -> list[SelectChoice]:
    return [SelectChoice(value, text) for value, text in choices(UserRole)]


class UserForm(FlaskForm):
    name = StringField(_l("Name"), filters=[_strip], validators=[DataRequired(_l("Enter the person's name.")),
                                               Length(max=100, message=_MAX)])
    email = EmailField(_l("Email"), filters=[_strip], validators=[DataRequired(_l("Enter an email address.")),
                                                Email(_l("Enter a valid email address.")),
                                                Length(max=254, message=_MAX)])
    role = SelectField(_l("Role"), choices=_role_choices(), default=UserRole.MEMBER.value,
                       validators=[InputRequired(_l("Choose a role."))])


class NewUserForm(SubmitOnce, UserForm):
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter a password.")),
                                                         Length(max=200, message=_MAX)])
    confirm = PasswordField(_l("Repeat the password"), validators=[
        EqualTo("password", _l("The two passwords do not match."))])


class EditUserForm(UserForm):
    active = BooleanField(_l("Active (may sign in)"))
    version = VersionField()
    password = PasswordField(_l("New password"), validators=[Optional(), Length(max=200, message=_MAX)])
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        EqualTo("password", _l("The two passwords do not match."))])
