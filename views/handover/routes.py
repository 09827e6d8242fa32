"""Handover pages: choose the leaver, see what they hold, choose successors, preview, apply; the records.

Access comes from kb.policy (may_hand_over, may_read_handover) and the service's gate
(check_may_hand_over): admins hand over anyone's work; a customer group's current AR that group's.
"""
from __future__ import annotations

import logging
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from kb import policy
from kb.clock import today
from kb.db import session
from kb.form_errors import on_service_error
from kb.inputs import MAX_ID
from kb.services import handover as service
from kb.services import handover_read as reading
from kb.services.groups import eligible_holders
from kb.services.handover import HandoverError
from models import Handover, User
from views import once

from . import bp
from .forms import HandoverForm, read_overrides

logger = logging.getLogger(__name__)


def _load(handover_id: int) -> Handover:
    handover = session.get(Handover, handover_id, options=[selectinload(Handover.changes)])
    if handover is None or not policy.may_read_handover(current_user, handover):
        abort(404)  # a record the reader may not see is not confirmed to exist
    return handover


@bp.route("/handovers")
def index():
    return render_template("handover/index.html", handovers=reading.list_handovers(viewer=current_user),
                           can_hand_over=policy.may_hand_over(current_user))


def _people() -> list[User]:
    return list(session.scalars(select(User).order_by(User.active.desc(), User.name, User.id)))


def _form() -> HandoverForm:
    form = HandoverForm(people=_people(), successors=eligible_holders())
    raw = request.args.get("from_user_id", "")
    if request.method == "GET" and raw.isascii() and raw.isdigit() and len(raw) <= 10 and int(raw) <= MAX_ID:
        form.from_user_id.data = int(raw)
    return form


def _render(form: HandoverForm, *, preview: list[Any] | None = None,
            status: int = 200):  # type: ignore[no-untyped-def]
    from_user = session.get(User, form.from_user_id.data) if form.from_user_id.data else None
    holdings = (service.list_holdings(actor=current_user, from_user=from_user, today=today())
                if from_user is not None else [])
    names = reading.names_for([*holdings, *(preview or [])], viewer=current_user)
    successors = [u for u in eligible_holders() if from_user is None or u.id != from_user.id]
    if from_user is not None:
        form.leave_out(from_user.id)  # never offered as their own successor
    return render_template(
        "handover/new.html", form=form, from_user=from_user, holdings=reading.grouped(holdings, names),
        held=len(holdings), preview=reading.grouped(preview, names) if preview is not None else None,
        preview_count=len(preview or []), names=names, successors=successors,
        chosen=request.form, is_admin=policy.is_admin(current_user),
    ), status


@bp.route("/handovers/new", methods=["GET", "POST"])
def new():
    policy.require(policy.may_hand_over(current_user))
    form = _form()
    if request.method == "GET" or not form.validate_on_submit():
        return _render(form, status=422 if form.errors else 200)
    from_user = session.get(User, form.from_user_id.data)
    if from_user is None:
        form.from_user_id.errors = [_("Choose who hands over.")]
        return _render(form, status=422)
    on_service_error(form, lambda: _render(form))
    args = _arguments(form, from_user)
    if request.form.get("action") != "apply":
        return _render(form, preview=service.plan_handover(**args))
    if (done := once.already_submitted(form)) is not None:
        return done
    handover = service.apply_handover(**args, note=form.note.data or "",
                                      deactivate_from=bool(form.deactivate_from.data))
    flash(_("Handed over: %(n)d changes.", n=len(handover.changes)), "success")
    return redirect(once.remember(form, url_for("handover.show", handover_id=handover.id)))


def _arguments(form: HandoverForm, from_user: User) -> dict[str, Any]:
    """The service's arguments from the form; bad per-group/per-account choices raise HandoverError."""
    holdings = service.list_holdings(actor=current_user, from_user=from_user, today=today())
    by_group, by_account, errors = read_overrides(
        request.form, group_ids={c.customer_group_id for c in holdings if c.customer_group_id},
        account_ids={c.account_id for c in holdings if c.account_id})
    if errors:
        raise HandoverError(next(iter(errors.values())), errors)
    pairs = [("customer_group", g, u) for g, u in by_group.items()] + [
        ("account", a, u) for a, u in by_account.items()]
    groups, accounts = service.successors_from(pairs)
    return dict(actor=current_user, from_user=from_user, to_user=session.get(User, form.to_user_id.data),
                today=today(), by_group=groups, by_account=accounts)


@bp.route("/handovers/<int:handover_id>")
def show(handover_id: int):
    handover = _load(handover_id)
    names = reading.names_for(handover.changes, viewer=current_user)
    return render_template("handover/show.html", handover=handover, names=names,
                           lines=reading.grouped(handover.changes, names))


@bp.route("/handovers/<int:handover_id>/brief")
def brief(handover_id: int):
    handover = _load(handover_id)
    lines = reading.brief_lines(handover, viewer=current_user)
    accounts, left_out = reading.brief_accounts(
        lines, viewer=current_user, today=today(), stale_after_days=current_app.config["STALE_AFTER_DAYS"])
    return render_template("handover/brief.html", handover=handover, accounts=accounts, left_out=left_out,
                           names=reading.names_for(lines, viewer=current_user))
