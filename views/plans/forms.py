from flask_babel import lazy_gettext as _l
from wtforms import FieldList, FormField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import HiddenInput

from kb.inputs import FlaskForm, Form
from kb.labels import ANSWER_LABELS, SECTION_LABELS, choices
from kb.services.plans import MAX_COMMENT, MAX_PERIOD, MAX_TEXT, valid_period
from kb.services.plan_targets import MAX_CUSTOM_NAME, MAX_TARGETS, MAX_UNIT
from models import ANSWER_FIELDS, SECTION_KEYS, GapKind, PlanStatus, TargetMetric
from views.accounts.forms import MultiCheckboxField

TEXT_TOO_LONG = _l("Keep this under %(max)d characters.")
#: Blank target rows the edit form offers (the "add rows" button adds as many again, no JavaScript needed).
BLANK_TARGET_ROWS = 3
AMOUNT_TEXT = 40


def _text(label):  # noqa: ANN001, ANN202
    return TextAreaField(label, validators=[Optional(), Length(max=MAX_TEXT, message=TEXT_TOO_LONG)])


class PeriodForm(FlaskForm):
    period = StringField(_l("Period"), validators=[
        DataRequired(_l("Enter the period the plan covers.")), Length(max=MAX_PERIOD)])

    def validate_period(self, field):  # noqa: ANN001, ANN201
        if not valid_period(field.data):
            raise ValidationError(_l("Write the period like FY2027, 2027, 2027H1 or 2027Q3."))


class TargetForm(Form):
    """One target row (a sub-form: the CSRF token lives on the outer form). Amounts are checked by the service
    (kb.services.plan_targets.check_target), which also ignores rows left blank."""

    metric = SelectField(_l("Metric"), choices=lambda: [("", "—"), *choices(TargetMetric)],
                         validate_choice=False)
    custom_name = StringField(_l("Custom metric name"),
                              validators=[Length(max=MAX_CUSTOM_NAME, message=TEXT_TOO_LONG)])
    unit = StringField(_l("Unit"), validators=[Length(max=MAX_UNIT, message=TEXT_TOO_LONG)])
    baseline = StringField(_l("Baseline"), validators=[Length(max=AMOUNT_TEXT, message=TEXT_TOO_LONG)])
    target = StringField(_l("Target"), validators=[Length(max=AMOUNT_TEXT, message=TEXT_TOO_LONG)])
    actual = StringField(_l("Actual"), validators=[Length(max=AMOUNT_TEXT, message=TEXT_TOO_LONG)])
    gap_kind = SelectField(_l("Kind of gap"), choices=lambda: [("", "—"), *choices(GapKind)],
                           validate_choice=False)

    def row(self) -> dict[str, str]:
        return {name: (self[name].data or "") for name in
                ("metric", "custom_name", "unit", "baseline", "target", "actual", "gap_kind")}


class PlanForm(FlaskForm):
    strategy = _text(ANSWER_LABELS["strategy"])
    customers_customer = _text(ANSWER_LABELS["customers_customer"])
    profit_model = _text(ANSWER_LABELS["profit_model"])
    weakest_product = _text(ANSWER_LABELS["weakest_product"])
    decision_makers = _text(ANSWER_LABELS["decision_makers"])
    strategic_intent = _text(SECTION_LABELS["strategic_intent"])
    performance_gap = _text(SECTION_LABELS["performance_gap"])
    opportunity_gap = _text(SECTION_LABELS["opportunity_gap"])
    competitors = _text(SECTION_LABELS["competitors"])
    objectives = _text(SECTION_LABELS["objectives"])
    customer_selection = _text(SECTION_LABELS["customer_selection"])
    value_proposition = _text(SECTION_LABELS["value_proposition"])
    value_capture = _text(SECTION_LABELS["value_capture"])
    activity_scope = _text(SECTION_LABELS["activity_scope"])
    strategic_control = _text(SECTION_LABELS["strategic_control"])
    risk_management = _text(SECTION_LABELS["risk_management"])
    targets = FieldList(FormField(TargetForm), _l("Targets"), min_entries=0,
                        max_entries=MAX_TARGETS + BLANK_TARGET_ROWS * 4)
    decision_maker_ids = MultiCheckboxField(_l("Decision-makers (stakeholders)"), coerce=int, choices=[])
    status = SelectField(_l("Status"), choices=lambda: choices(PlanStatus), default=PlanStatus.DRAFT.value)
    comment = StringField(_l("What changed, and why (optional)"), validators=[
        Optional(), Length(max=MAX_COMMENT, message=TEXT_TOO_LONG)])
    version = IntegerField(widget=HiddenInput(), validators=[Optional(), NumberRange(min=0)], default=0)

    def answers(self) -> dict[str, str]:
        return {key: self[key].data or "" for key in ANSWER_FIELDS}

    def sections(self) -> dict[str, str]:
        return {key: self[key].data or "" for key in SECTION_KEYS}

    def target_rows(self) -> list[dict[str, str]]:
        return [entry.form.row() for entry in self.targets]


class RestoreForm(FlaskForm):
    version = IntegerField(widget=HiddenInput(), validators=[Optional(), NumberRange(min=0)])
    comment = HiddenField(validators=[Optional(), Length(max=MAX_COMMENT)])
