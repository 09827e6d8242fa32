"""Stakeholder pages: show, create, edit, archive / restore."""
from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from kb.db import session
from kb.form_errors import on_service_error
from kb.policy import may_edit_account, may_manage, require, require_edit_page, sees_team_content
from kb.services import interactions as interaction_service
from kb.services import stakeholders as service
from kb.services import bounded
from kb.services.bounded import picker_stakeholders
from kb.services.counted import page_and_total
from kb.services.errors import Conflict
from kb.services.personal_data import stakeholder_with_erasure
from kb.services.stakeholder_contacts import CONTACT_FIELDS
from kb.services.stakeholder_history import stakeholder_history
from models import Account, Stakeholder, StakeholderOwner
from views import once
from views.conflicts import conflict_page_rows, render_form_page
from views.forms import ArchiveForm
from views.risk import page_gone_owners, page_risks

from . import bp
from .forms import StakeholderForm
from .util import audit_users, options, user_choices

#: Interactions with the person shown a page at a time, newest first: the page does the same work for a
#: person met twice or a thousand times (issue 9).
INTERACTIONS_PER_PAGE = 10

def _load(stakeholder_id: int) -> Stakeholder:
    """The stakeholder with owners, reports-to and account (a many-to-one join: no statement of its own)."""
    return session.get(Stakeholder, stakeholder_id,
                       options=[*service.chain_options(), joinedload(Stakeholder.account)]) or abort(404)


def _prepare(form: StakeholderForm, account: Account, stakeholder: Stakeholder | None, private: bool) -> None:
    """Fill select choices; drop the private-notes field for people outside the account team."""
    keep = [stakeholder.reports_to_id] if stakeholder is not None and stakeholder.reports_to_id else []
    if isinstance(form.reports_to_id.data, int):  # submitted: kept on a re-render
        keep.append(form.reports_to_id.data)
    others = picker_stakeholders(account_id=account.id, keep=keep,
                                 limit=current_app.config["ACCOUNT_PAGE_LIMIT"],
                                 exclude_id=stakeholder.id if stakeholder is not None else None)
    form.reports_to_id.choices = options([(0, _("— nobody (top of the chain) —"))] + [
        (s.id, f"{s.name} · {s.title}" if s.title else s.name) for s in others])
    owners = [o.user_id for o in stakeholder.owners] if stakeholder is not None else []
    form.primary_owner_id.choices = user_choices(owners, blank=_("— no owner yet —"))
    form.backup_owner_ids.choices = user_choices(owners)
    if not private:
        del form.private_notes
        for name in CONTACT_FIELDS:
            delattr(form, name)


def _fields(form: StakeholderForm) -> dict[str, Any]:
    data = {name: form[name].data for name in (
        "name", "name_en", "title", "department", "decision_role", "attitude", "influence", "layer",
        "relationship_level", "notes")}
    data["reports_to_id"] = form.reports_to_id.data or None
    data["primary_owner_id"] = form.primary_owner_id.data or None
    data["backup_owner_ids"] = [b for b in form.backup_owner_ids.data or [] if b]
    data["private_notes"] = form.private_notes.data if "private_notes" in form else None
    data.update({name: form[name].data if name in form else None for name in CONTACT_FIELDS})
    return data


def _edit_data(stakeholder: Stakeholder) -> dict[str, Any]:
    """The stored values as form data (enums by value: WTForms would stringify members wrongly)."""
    data = {name: getattr(stakeholder, name) for name in (
        "name", "name_en", "title", "department", "relationship_level", "notes", "private_notes",
        *CONTACT_FIELDS)}
    data.update({name: getattr(stakeholder, name).value for name in (
        "decision_role", "attitude", "influence", "layer")})
    data["reports_to_id"] = stakeholder.reports_to_id or 0
    data["primary_owner_id"] = next((o.user_id for o in stakeholder.owners if o.is_primary), 0)
    data["backup_owner_ids"] = [o.user_id for o in stakeholder.owners if not o.is_primary]
    data["version"] = stakeholder.version
    return data


def _render_form(form: StakeholderForm, account: Account, stakeholder: Stakeholder | None,
                 conflict: list | None = None) -> Any:
    discard = url_for(".edit", stakeholder_id=stakeholder.id) if stakeholder is not None else None
    return render_form_page("stakeholders/form.html", form, conflict=conflict, discard_url=discard, account=account,
                            stakeholder=stakeholder)


def _conflict(form: StakeholderForm, account: Account, stakeholder: Stakeholder) -> list:
    """The conflict rows against the stored stakeholder (private notes only for those who see them)."""
    private = "private_notes" in form
    stored = StakeholderForm(formdata=None, data=_edit_data(stakeholder))
    _prepare(stored, account, stakeholder, private)
    return conflict_page_rows(form, stored, stakeholder.version)


@bp.route("/stakeholders/<int:stakeholder_id>")
def show(stakeholder_id: int):
    # One statement for the person, their account, owners (with users) and latest erasure; the bosses
    # above them in one more (service.chain_upward), whatever the depth (issue 9).
    stakeholder, erasure = stakeholder_with_erasure(stakeholder_id=stakeholder_id, options=[
        joinedload(Stakeholder.owners).joinedload(StakeholderOwner.user),
        joinedload(Stakeholder.account)]) or abort(404)
    account = stakeholder.account
    # The risks first: their read of the account's team answers may_edit_account / sees_team_content too.
    risks = page_risks([stakeholder]).get(stakeholder.id, [])
    reports, report_count = bounded.direct_reports(stakeholder_id=stakeholder.id,
                                                   limit=current_app.config["ACCOUNT_PAGE_LIMIT"])
    met = interaction_service.stakeholder_interactions_stmt(stakeholder=stakeholder, viewer=current_user)
    return render_template(
        "stakeholders/show.html", stakeholder=stakeholder, account=account,
        chain=list(reversed(service.chain_upward(stakeholder))), reports=reports,
        more_reports=max(0, report_count - len(reports)),
        interactions_page=page_and_total(met, raw_page=request.args.get("page"),
                                         per_page=INTERACTIONS_PER_PAGE),
        can_edit=may_edit_account(current_user, account),
        can_see_private=sees_team_content(current_user, account),
        risks=risks,
        gone_owner_ids=page_gone_owners([stakeholder]).get(stakeholder.id, set()),
        history=stakeholder_history(stakeholder_id=stakeholder.id),
        can_manage_personal_data=may_manage(current_user), erasure=erasure,
        archive_form=ArchiveForm(), **audit_users(stakeholder),
    )


@bp.route("/accounts/<int:account_id>/stakeholders/new", methods=["GET", "POST"])
def new(account_id: int):
    account = session.get(Account, account_id) or abort(404)
    require_edit_page(current_user, account, request.method)
    form = StakeholderForm(primary_owner_id=current_user.id)
    _prepare(form, account, None, sees_team_content(current_user, account))
    if form.validate_on_submit():
        if (done := once.already_submitted(form)) is not None:
            return done
        on_service_error(form, lambda: _render_form(form, account, None))
        stakeholder = service.create_stakeholder(account=account, author=current_user, **_fields(form))
        flash(_("Stakeholder %(name)s added.", name=stakeholder.name), "success")
        return redirect(once.remember(form, url_for(".show", stakeholder_id=stakeholder.id)))
    return _render_form(form, account, None)


@bp.route("/stakeholders/<int:stakeholder_id>/edit", methods=["GET", "POST"])
def edit(stakeholder_id: int):
    stakeholder = _load(stakeholder_id)
    account = stakeholder.account
    require_edit_page(current_user, account, request.method)
    form = StakeholderForm(data=_edit_data(stakeholder))
    _prepare(form, account, stakeholder, sees_team_content(current_user, account))
    if form.validate_on_submit():
        on_service_error(form, lambda: _render_form(form, account, stakeholder))
        try:
            service.update_stakeholder(stakeholder=stakeholder, author=current_user,
                                       base_version=form.version.version(), **_fields(form))
        except Conflict:
            return _render_form(form, account, stakeholder, _conflict(form, account, stakeholder))
        flash(_("Changes to %(name)s saved.", name=stakeholder.name), "success")
        return redirect(url_for(".show", stakeholder_id=stakeholder.id))
    return _render_form(form, account, stakeholder)


@bp.route("/stakeholders/<int:stakeholder_id>/archive", methods=["POST"])
def archive(stakeholder_id: int):
    stakeholder = _load(stakeholder_id)
    require(may_edit_account(current_user, stakeholder.account_id))
    if ArchiveForm().validate_on_submit():
        service.archive_stakeholder(stakeholder=stakeholder, author=current_user)
        flash(_("%(name)s archived: no longer in the decision chain.", name=stakeholder.name), "success")
    return redirect(url_for(".show", stakeholder_id=stakeholder.id))


@bp.route("/stakeholders/<int:stakeholder_id>/restore", methods=["POST"])
def restore(stakeholder_id: int):
    stakeholder = _load(stakeholder_id)
    require(may_edit_account(current_user, stakeholder.account_id))
    if ArchiveForm().validate_on_submit():
        service.restore_stakeholder(stakeholder=stakeholder, author=current_user)
        flash(_("%(name)s restored to the decision chain.", name=stakeholder.name), "success")
    return redirect(url_for(".show", stakeholder_id=stakeholder.id))
