"""Managed lists (admins): industry and region values with their English labels."""
from __future__ import annotations

import logging

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import AnyOf, DataRequired, Length

from kb.db import session
from kb.form_errors import on_service_error
from kb.inputs import FlaskForm
from kb.services import reference_lists as service
from kb.services.errors import Conflict
from models import REFERENCE_KINDS, ReferenceValue
from views import once
from views.conflicts import VersionField, conflict_page_rows
from views.once import SubmitOnce

from . import bp

logger = logging.getLogger(__name__)
_MAX = _l("At most %(max)d characters.")
#: Headings of the lists, in the order the page shows them.
KIND_LABELS = {"industry": _l("Industries"), "region": _l("Regions")}


class ValueForm(FlaskForm):
    value = StringField(_l("Name (Chinese, stored on accounts)"), filters=[lambda v: v.strip() if v else v],
                        validators=[DataRequired(_l("Enter the name in Chinese.")),
                                    Length(max=service.MAX_LENGTH, message=_MAX)])
    label_en = StringField(_l("English label"), filters=[lambda v: v.strip() if v else v],
                           validators=[Length(max=service.MAX_LENGTH, message=_MAX)])


class NewValueForm(SubmitOnce, ValueForm):
    kind = HiddenField(validators=[AnyOf(REFERENCE_KINDS, message=_l("Choose one of the listed values."))])


class EditValueForm(ValueForm):
    active = BooleanField(_l("Offered on account forms"))
    version = VersionField()


def _page(forms: dict[str, NewValueForm], status: int = 200):  # type: ignore[no-untyped-def]
    lists = {kind: service.entries(kind, include_inactive=True) for kind in REFERENCE_KINDS}
    return render_template("admin/lists.html", lists=lists, forms=forms, kind_labels=KIND_LABELS), status


def _new_forms(**given: NewValueForm) -> dict[str, NewValueForm]:
    return {kind: given.get(kind) or NewValueForm(formdata=None, kind=kind, prefix=kind) for kind in REFERENCE_KINDS}


@bp.route("/admin/lists")
def lists():
    return _page(_new_forms())


@bp.route("/admin/lists/<kind>", methods=["POST"])
def add_value(kind: str):
    if kind not in REFERENCE_KINDS:
        abort(404)
    form = NewValueForm(prefix=kind)
    if form.validate_on_submit() and form.kind.data == kind:
        if (done := once.already_submitted(form)) is not None:
            return done
        on_service_error(form, lambda: _page(_new_forms(**{kind: form}), 422))
        record = service.create_value(author=current_user, kind=kind, value=form.value.data,
                                      label_en=form.label_en.data or "")
        logger.info("list value %s (%s) added by admin %s", record.id, kind, current_user.id)
        flash(_("%(value)s added.", value=record.value), "success")
        return redirect(once.remember(form, url_for("admin.lists") + f"#list-{kind}"))
    return _page(_new_forms(**{kind: form}), 422)


@bp.route("/admin/lists/values/<int:value_id>", methods=["GET", "POST"])
def edit_value(value_id: int):
    record = session.get(ReferenceValue, value_id)
    if record is None:
        abort(404)
    form = EditValueForm(obj=record)
    if form.validate_on_submit():
        on_service_error(form, lambda: _edit_page(form, record, 422))
        try:
            service.update_value(author=current_user, record=record, value=form.value.data,
                                 label_en=form.label_en.data or "", active=form.active.data,
                                 base_version=form.version.version())
        except Conflict:
            stored = EditValueForm(formdata=None, obj=record)
            return _edit_page(form, record, 409, conflict=conflict_page_rows(form, stored, record.version),
                              discard_url=url_for("admin.edit_value", value_id=record.id))
        logger.info("list value %s changed by admin %s", record.id, current_user.id)
        flash(_("%(value)s saved.", value=record.value), "success")
        return redirect(url_for("admin.lists") + f"#list-{record.kind}")
    return _edit_page(form, record, 422 if form.errors else 200)


def _edit_page(form: EditValueForm, record: ReferenceValue, status: int,
               **extra: object):  # type: ignore[no-untyped-def]
    return render_template("admin/list_value.html", form=form, record=record,
                           kind_label=KIND_LABELS[record.kind], **extra), status
