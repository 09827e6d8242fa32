"""Interaction pages: show, create, edit, archive / restore, and ticking next steps done."""
from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kb import clock
from kb.db import session
from kb.form_errors import on_service_error
from kb.policy import may_edit_account, may_see_interaction, require, require_edit_page
from kb.services import interactions as service
from kb.services.errors import Conflict
from kb.services.bounded import picker_stakeholders
from kb.services.versioning import parse_version
from kb.urls import safe_redirect
from models import Account, Interaction, NextStep
from views import once
from views.conflicts import conflict_page_rows, render_form_page
from views.forms import ArchiveForm
from views.stakeholders.util import audit_users, options, user_choices

from . import bp
from .forms import BLANK_ROWS, MAX_ROWS, InteractionForm


def _load(interaction_id: int) -> Interaction:
    """The interaction, or 404 — also when the viewer may not see it (its existence is not revealed)."""
    interaction = session.get(Interaction, interaction_id, options=service.interaction_options())
    if interaction is None or not may_see_interaction(current_user, interaction):
        abort(404)
    return interaction


def _prepare(form: InteractionForm, account: Account, interaction: Interaction | None) -> None:
    keep = [s.id for s in interaction.stakeholders] if interaction is not None else []
    keep += [i for i in (form.stakeholder_ids.data or []) if isinstance(i, int)]  # submitted: kept on a re-render
    people = picker_stakeholders(account_id=account.id, keep=keep,
                                 limit=current_app.config["ACCOUNT_PAGE_LIMIT"])
    form.stakeholder_ids.choices = options(
        (s.id, f"{s.name} · {s.title}" if s.title else s.name) for s in people)
    had = [u.id for u in interaction.attendees] if interaction is not None else []
    form.attendee_ids.choices = user_choices(had)
    owners = [s.owner_id for s in interaction.next_steps if s.owner_id] if interaction is not None else []
    owner_choices = user_choices(owners, blank=_("— no owner —"))
    for entry in form.next_steps:
        entry.form.owner_id.choices = owner_choices


def _fields(form: InteractionForm) -> dict[str, Any]:
    steps = []
    for entry in form.next_steps:
        row = entry.form
        raw_id = (row.id.data or "").strip()
        steps.append({"id": int(raw_id) if raw_id.isdigit() else None, "text": row.text.data or "",
                      "owner_id": row.owner_id.data or None, "due_on": row.due_on.data,
                      "done": row.done.data})
    return {
        "occurred_on": form.occurred_on.data, "kind": form.kind.data, "title": form.title.data or "",
        "summary": form.summary.data or "", "visibility": form.visibility.data,
        "stakeholder_ids": form.stakeholder_ids.data or [], "attendee_ids": form.attendee_ids.data or [],
        "next_steps": steps,
    }


def _render_form(form: InteractionForm, account: Account, interaction: Interaction | None,
                 conflict: list | None = None) -> Any:
    discard = url_for(".edit", interaction_id=interaction.id) if interaction is not None else None
    return render_form_page("interactions/form.html", form, conflict=conflict, discard_url=discard, account=account,
                            interaction=interaction)


def _conflict(form: InteractionForm, account: Account, interaction: Interaction) -> list:
    """The conflict rows against the stored interaction, next steps included."""
    stored = InteractionForm(formdata=None, data=_edit_data(interaction))
    _prepare(stored, account, interaction)
    return conflict_page_rows(form, stored, interaction.version)


@bp.route("/interactions/<int:interaction_id>")
def show(interaction_id: int):
    interaction = _load(interaction_id)
    return render_template(
        "interactions/show.html", interaction=interaction, account=interaction.account,
        can_edit=may_edit_account(current_user, interaction.account_id), archive_form=ArchiveForm(),
        **audit_users(interaction),
    )


@bp.route("/accounts/<int:account_id>/interactions/new", methods=["GET", "POST"])
def new(account_id: int):
    account = session.get(Account, account_id) or abort(404)
    require_edit_page(current_user, account, request.method)
    met = request.args.get("stakeholder", type=int)
    form = InteractionForm(occurred_on=clock.today(), attendee_ids=[current_user.id],
                           stakeholder_ids=[met] if met else [])
    if _wants_more_rows(form):
        _prepare(form, account, None)
        return _render_form(form, account, None)[0], 200  # not a refused submit: nothing was sent to save
    _prepare(form, account, None)
    if form.validate_on_submit():
        if (done := once.already_submitted(form)) is not None:
            return done
        on_service_error(form, lambda: _render_form(form, account, None))
        interaction = service.create_interaction(account=account, author=current_user, **_fields(form))
        flash(_("Interaction recorded."), "success")
        return redirect(once.remember(form, url_for(".show", interaction_id=interaction.id)))
    return _render_form(form, account, None)


def _wants_more_rows(form: InteractionForm) -> bool:
    """The "more next-step rows" button (works without JavaScript): add BLANK_ROWS empty rows (up to
    MAX_ROWS) and show the form again with what was typed; nothing is saved."""
    if request.method != "POST" or "add_rows" not in request.form:
        return False
    for _row in range(min(BLANK_ROWS, MAX_ROWS - len(form.next_steps))):
        form.next_steps.append_entry()
    return True


def _edit_data(interaction: Interaction) -> dict[str, Any]:
    return {
        "occurred_on": interaction.occurred_on, "kind": interaction.kind.value, "title": interaction.title,
        "summary": interaction.summary, "visibility": interaction.visibility.value,
        "stakeholder_ids": [s.id for s in interaction.stakeholders],
        "attendee_ids": [u.id for u in interaction.attendees],
        "next_steps": [{"id": str(s.id), "text": s.text, "owner_id": s.owner_id or 0, "due_on": s.due_on,
                        "done": s.done} for s in interaction.next_steps],
        "version": interaction.version,
    }


@bp.route("/interactions/<int:interaction_id>/edit", methods=["GET", "POST"])
def edit(interaction_id: int):
    interaction = _load(interaction_id)
    account = interaction.account
    require_edit_page(current_user, account, request.method)
    if request.method == "POST":
        form = InteractionForm()
    else:
        form = InteractionForm(data=_edit_data(interaction))
        for _row in range(BLANK_ROWS):
            form.next_steps.append_entry()
    if _wants_more_rows(form):
        _prepare(form, account, interaction)
        return _render_form(form, account, interaction)[0], 200
    _prepare(form, account, interaction)
    if form.validate_on_submit():
        on_service_error(form, lambda: _render_form(form, account, interaction))
        try:
            service.update_interaction(interaction=interaction, author=current_user,
                                       base_version=form.version.version(), **_fields(form))
        except Conflict:
            return _render_form(form, account, interaction, _conflict(form, account, interaction))
        flash(_("Changes saved."), "success")
        return redirect(url_for(".show", interaction_id=interaction.id))
    return _render_form(form, account, interaction)


@bp.route("/interactions/<int:interaction_id>/archive", methods=["POST"])
def archive(interaction_id: int):
    interaction = _load(interaction_id)
    require(may_edit_account(current_user, interaction.account_id))
    if ArchiveForm().validate_on_submit():
        service.archive_interaction(interaction=interaction, author=current_user)
        flash(_("Interaction archived."), "success")
    return redirect(url_for(".show", interaction_id=interaction.id))


@bp.route("/interactions/<int:interaction_id>/restore", methods=["POST"])
def restore(interaction_id: int):
    interaction = _load(interaction_id)
    require(may_edit_account(current_user, interaction.account_id))
    if ArchiveForm().validate_on_submit():
        service.restore_interaction(interaction=interaction, author=current_user)
        flash(_("Interaction restored."), "success")
    return redirect(url_for(".show", interaction_id=interaction.id))


@bp.route("/next-steps/<int:step_id>/toggle", methods=["POST"])
def toggle_step(step_id: int):
    step = session.get(NextStep, step_id) or abort(404)
    interaction = step.interaction
    if not may_see_interaction(current_user, interaction):
        abort(404)
    require(may_edit_account(current_user, interaction.account_id))
    wanted = request.form.get("done")
    done = wanted == "1" if wanted in ("0", "1") else not step.done
    target = safe_redirect(request.form.get("next"), url_for(".show", interaction_id=interaction.id))
    try:
        service.set_next_step_done(step=step, done=done, author=current_user,
                                   base_version=parse_version(request.form.get("version")))
    except Conflict:
        flash(_("This next step was changed by someone else after you opened the page; nothing was changed. "
                "It now reads: %(text)s", text=step.text), "error")
        return redirect(target)
    flash(_("Next step marked done.") if done else _("Next step re-opened."), "success")
    return redirect(target)
