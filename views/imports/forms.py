"""Forms of the import page: shape checks only (kb.services.imports checks the file and every row)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, IntegerField, SelectField
from wtforms.validators import AnyOf, DataRequired, NumberRange, Optional, Regexp
from wtforms.widgets import HiddenInput

from kb.exchange.columns import IMPORT_KINDS
from kb.exchange.reading import ENCODINGS
from kb.inputs import FlaskForm
from views.once import SubmitOnce

KIND_LABELS = {"accounts": _l("Accounts"), "stakeholders": _l("Stakeholders"),
               "interactions": _l("Interactions")}


def kind_choices() -> list[tuple[str, str]]:
    return [(k, KIND_LABELS[k]) for k in IMPORT_KINDS]


class UploadForm(FlaskForm):
    kind = SelectField(_l("What the file holds"), choices=kind_choices, validators=[DataRequired()])
    file = FileField(_l("File (.xlsx or .csv)"), validators=[FileRequired(_l("Choose a file to import."))])
    encoding = SelectField(_l("Encoding of a CSV file"), default="",
                           choices=lambda: [("", _l("Detect automatically"))] + [(e, e) for e in ENCODINGS])


class ConfirmForm(SubmitOnce, FlaskForm):
    token = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9a-f]{32}$")])
    kind = HiddenField(validators=[AnyOf(IMPORT_KINDS)])
    encoding = HiddenField(validators=[AnyOf(("", *ENCODINGS))])
    #: Rows the dry run counted (for the progress page only).
    rows = IntegerField(widget=HiddenInput(), validators=[Optional(), NumberRange(min=0, max=1_000_000)])
