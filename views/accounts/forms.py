"""Forms of the accounts pages: they check the shape of input; kb.services.accounts checks its meaning."""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SearchField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from kb.account_keys import query_problem
from kb.inputs import FlaskForm, checkbox_value, record_id
from kb.labels import choices
from views.conflicts import VersionField
from models import Coverage, Tier
from views.once import SubmitOnce

ALIAS_SPLIT = re.compile(r"[\n,，;；、]+")


def options(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """(value, label) pairs as select options."""
    return [SelectChoice(value, text) for value, text in pairs]


def optional_int(value: Any) -> int | None:
    """'' or None → None; digits → int; anything else is a coercion error (a form error, not a 500)."""
    if value is None or value == "":
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if not text.isdigit():
        raise ValueError("not an id")
    return record_id(text)


def split_aliases(text: str | None) -> list[str]:
    """Aliases typed one per line or separated by commas (also Chinese commas and 、)."""
    return [part.strip() for part in ALIAS_SPLIT.split(text or "") if part.strip()]


class MultiCheckboxField(SelectMultipleField):
    """A multi-select shown as a list of checkboxes (easier than Ctrl-click, works on phones)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AccountForm(SubmitOnce, FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the name of the account.")),
                                               Length(max=200, message=_l("At most 200 characters."))])
    name_en = StringField(_l("English name"),
                          validators=[Length(max=200, message=_l("At most 200 characters."))])
    aliases = TextAreaField(
        _l("Aliases"), validators=[Length(max=2500, message=_l("At most 2500 characters."))],
        description=_l("Short names, abbreviations, former names: one per line or separated by commas."),
    )
    industry = StringField(_l("Industry"), validators=[Length(max=50, message=_l("At most 50 characters."))])
    region = StringField(_l("Region"), validators=[Length(max=50, message=_l("At most 50 characters."))])
    tier = SelectField(_l("Tier"), choices=options(choices(Tier)), default=Tier.STANDARD.value)
    coverage = SelectField(_l("Coverage"), choices=options(choices(Coverage)), default=Coverage.DIRECT.value)
    customer_group_id = SelectField(_l("Customer group"), coerce=optional_int, validate_choice=True)
    parent_id = SelectField(_l("Parent account"), coerce=optional_int, validate_choice=True)
    member_ids = MultiCheckboxField(
        _l("Named team members"), coerce=int, validators=[Optional()],
        description=_l("Besides the customer group's iron triangle: "
                       "they may edit the account and see team-only visits."),
    )
    description = TextAreaField(_l("Description"),
                                validators=[Length(max=20000, message=_l("At most 20000 characters."))])
    version = VersionField()
    #: Shown only after a possible-duplicate warning (templates/accounts/_duplicates.html).
    confirm_duplicate = BooleanField(_l("This is a different customer: create it anyway"))

    def alias_list(self) -> list[str]:
        return split_aliases(self.aliases.data)


def _query_ok(_form: Any, field: Any) -> None:
    reason = query_problem(field.data or "")
    if reason:
        raise ValidationError(reason)


class FilterForm(FlaskForm):
    """The account list's filters, read from the query string; a bad value is shown and ignored."""

    class Meta:
        csrf = False

    q = SearchField(_l("Name or alias"), validators=[Length(max=200, message=_l("At most 200 characters."))])
    group = SelectField(_l("Customer group"), coerce=optional_int)
    industry = SelectField(_l("Industry"), default="")
    region = SelectField(_l("Region"), default="")
    tier = SelectField(_l("Tier"), choices=options([("", _l("All tiers"))] + choices(Tier)), default="")
    coverage = SelectField(_l("Coverage"), choices=options([("", _l("Any coverage"))] + choices(Coverage)),
                           default="")
    archived = BooleanField(_l("Show archived"), validators=[checkbox_value])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The list filter's own rule for `q` (length, control characters, words), with a message that
        # speaks of a search, not of saving (kb.account_keys.query_problem); the API refuses the same.
        self.q.validators = [_query_ok]

    def clean_value(self, name: str) -> Any:
        """The field's value if it passed validation, else None (the filter is ignored)."""
        field = self[name]
        return None if field.errors else (field.data or None)
