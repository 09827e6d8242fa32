"""A stakeholder's personal data (admins only): export it as JSON, erase it after a confirm step."""
from __future__ import annotations

import json

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField
from wtforms.validators import DataRequired

from kb.inputs import FlaskForm
from kb.policy import may_manage, require
from kb.services import personal_data as service

from . import bp
from .routes import _load


class EraseForm(FlaskForm):
    confirm = BooleanField(
        _l("I understand: the name, contact details and private notes are erased for good."),
        validators=[DataRequired(_l("Tick the box to confirm the erasure."))])


@bp.route("/stakeholders/<int:stakeholder_id>/personal-data.json")
def export(stakeholder_id: int):
    stakeholder = _load(stakeholder_id)
    require(may_manage(current_user))
    data = service.export_personal_data(stakeholder=stakeholder, actor=current_user)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="stakeholder-{stakeholder.id}-personal-data.json"'})


@bp.route("/stakeholders/<int:stakeholder_id>/erase", methods=["GET", "POST"])
def erase(stakeholder_id: int):
    stakeholder = _load(stakeholder_id)
    require(may_manage(current_user))
    form = EraseForm()
    if form.validate_on_submit():
        service.erase_personal_data(stakeholder=stakeholder, actor=current_user)
        flash(_("Personal data erased: the person is now shown as %(name)s.", name=stakeholder.name),
              "success")
        return redirect(url_for(".show", stakeholder_id=stakeholder.id))
    status = 422 if form.errors else 200
    return render_template("stakeholders/erase.html", stakeholder=stakeholder, account=stakeholder.account,
                           form=form), status
