import logging

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from kb import policy
from kb.db import session
from kb.labels import ANSWER_QUESTIONS
from kb.markdown import render_markdown
from kb.services import plans as plan_service
from kb.form_errors import on_service_error
from kb.services.bounded import picker_stakeholders
from kb.services.errors import Conflict
from kb.services.plan_diff import FIELD_LABELS, changed_keys, conflict_fields, merged_choices, merged_targets
from kb.services.plan_targets import MAX_TARGETS, plan_target_lines
from kb.labels_targets import GAP_KIND_HINTS
from models import ANSWER_FIELDS, BUSINESS_DESIGN_KEYS, SECTION_KEYS, Account, AccountPlan, PlanStatus

from . import bp
from .forms import BLANK_TARGET_ROWS, PeriodForm, PlanForm, RestoreForm

logger = logging.getLogger(__name__)

#: Longest text the preview renders (answers are limited to 20,000 characters anyway).
MAX_PREVIEW = 50_000


def _account(account_id: int) -> Account:
    return session.get(Account, account_id) or abort(404)


def _plan(account: Account, period: str) -> AccountPlan:
    return plan_service.get_plan(account_id=account.id, period=period) or abort(404)


def _can_edit(account: Account) -> bool:
    return policy.may_edit_account(current_user, account)


def _stakeholder_choices(form: PlanForm, account: Account, plan: AccountPlan | None) -> None:
    """Up to ACCOUNT_PAGE_LIMIT stakeholders (who matter most first), plus the linked and submitted ones."""
    keep = [s.id for s in plan.decision_maker_links] if plan else []
    keep += [i for i in (form.decision_maker_ids.data or []) if isinstance(i, int)]
    people = picker_stakeholders(account_id=account.id, keep=keep,
                                 limit=current_app.config["ACCOUNT_PAGE_LIMIT"])
    form.decision_maker_ids.choices = [
        SelectChoice(s.id, f"{s.name} · {s.title}" if s.title else s.name) for s in people]


@bp.route("/accounts/<int:account_id>/plans")
def index(account_id: int):
    account = _account(account_id)
    plans = plan_service.list_plans(account_id=account.id)
    return render_template("plans/index.html", account=account, plans=plans, can_edit=_can_edit(account),
                           completeness=plan_service.completeness)


@bp.route("/accounts/<int:account_id>/plans/new", methods=["GET", "POST"])
def new(account_id: int):
    account = _account(account_id)
    policy.require(_can_edit(account))
    form, existing = PeriodForm(), None
    if form.validate_on_submit():
        period = plan_service.normalise_period(form.period.data)
        existing = plan_service.get_plan(account_id=account.id, period=period)
        if existing is None:
            return redirect(url_for(".edit", account_id=account.id, period=period))
        form.period.errors.append(_("This account already has a plan for %(period)s.", period=period))
    status = 422 if form.errors else 200
    return render_template("plans/new.html", account=account, form=form, existing=existing), status


@bp.route("/accounts/<int:account_id>/plans/<period>")
def show(account_id: int, period: str):
    account = _account(account_id)
    plan = _plan(account, period)
    stale_days = current_app.config["STALE_AFTER_DAYS"]
    users = plan_service.changed_by_users([plan])  # once for the answers and the sections
    return render_template("plans/show.html", account=account, plan=plan,
                           states=plan_service.answer_states(plan, stale_after_days=stale_days, users=users),
                           sections=plan_service.section_states(plan, stale_after_days=stale_days,
                                                                users=users),
                           targets=plan_target_lines(plan, reader=current_user), can_edit=_can_edit(account),
                           business_keys=BUSINESS_DESIGN_KEYS,
                           others=plan_service.plan_periods(account_id=account.id))


def _set_targets(form: PlanForm, rows: list[dict], blank: int = BLANK_TARGET_ROWS) -> None:
    """Fill the target rows with `rows`, then `blank` empty rows (within the form's limit)."""
    while form.targets.entries:
        form.targets.pop_entry()
    for row in rows:
        form.targets.append_entry({k: "" if v is None else v for k, v in row.items()})
    for _row in range(min(blank, form.targets.max_entries - len(form.targets.entries))):
        form.targets.append_entry()


def _fill_form(form: PlanForm, plan: AccountPlan | None) -> None:
    if plan is None:
        _set_targets(form, [])
        return
    content = plan_service.plan_content(plan)
    for key in ANSWER_FIELDS:
        form[key].data = content[key]
    for key in SECTION_KEYS:
        form[key].data = content["sections"][key]
    form.decision_maker_ids.data = content["decision_maker_ids"]
    form.status.data = plan.status.value
    form.version.data = plan.version
    _set_targets(form, content["targets"])


@bp.route("/accounts/<int:account_id>/plans/<period>/edit", methods=["GET", "POST"])
def edit(account_id: int, period: str):
    account = _account(account_id)
    policy.require_edit_page(current_user, account, request.method)
    period = plan_service.normalise_period(period)
    if not plan_service.valid_period(period):
        abort(404)
    plan = plan_service.get_plan(account_id=account.id, period=period)
    form = PlanForm()
    _stakeholder_choices(form, account, plan)
    if request.method == "GET":
        _fill_form(form, plan)
    elif request.form.get("add_target_rows") and form.validate_on_submit():
        _set_targets(form, form.target_rows())  # three more blank rows; nothing is saved
        return _render_edit(account, plan, period, form, None, 200)
    elif form.validate_on_submit():
        on_service_error(form, lambda: _render_edit(account, plan, period, form, None, 422))
        try:
            saved = _save(account, period, form, plan)
        except Conflict as exc:
            return _conflict(account, exc.current, form)
        else:
            return redirect(url_for(".show", account_id=account.id, period=saved.period))
    return _render_edit(account, plan, period, form, None, 422 if form.errors or form.form_errors else 200)


def _render_edit(account: Account, plan: AccountPlan | None, period: str, form: PlanForm,
                 conflicts: dict | None, status: int):
    return render_template("plans/edit.html", account=account, plan=plan, period=period, form=form,
                           conflicts=conflicts, answer_keys=ANSWER_FIELDS, section_keys=SECTION_KEYS,
                           questions=ANSWER_QUESTIONS, gap_hints=GAP_KIND_HINTS,
                           business_keys=BUSINESS_DESIGN_KEYS, max_targets=MAX_TARGETS,
                           stored_targets=plan_target_lines(plan, reader=current_user) if conflicts else []
                           ), status


def _save(account: Account, period: str, form: PlanForm, before: AccountPlan | None) -> AccountPlan:
    old_version = before.version if before else 0
    plan = plan_service.save_plan(
        account=account, period=period, author=current_user, base_version=form.version.data,
        answers=form.answers(), sections=form.sections(), decision_maker_ids=form.decision_maker_ids.data or [],
        status=PlanStatus(form.status.data), comment=form.comment.data or "", targets=form.target_rows(),
    )
    if plan.version == old_version:
        flash(_("Nothing changed, so no new revision was recorded."), "info")
    else:
        flash(_("Plan saved as revision #%(n)s.", n=plan.version), "success")
    return plan


def _conflict(account: Account, plan: AccountPlan, form: PlanForm):
    """409: show what is stored now beside what the user typed; submitting again saves over it."""
    mine = {**form.answers(), **form.sections()}
    rows = conflict_fields(plan, form.version.data, mine)
    for row in rows:
        form[row.key].data = row.prefill
    form.decision_maker_ids.data, form.status.data = merged_choices(
        plan, form.version.data, form.decision_maker_ids.data or [], form.status.data)
    _set_targets(form, merged_targets(plan, form.version.data, form.target_rows()), blank=0)
    form.version.data, form.version.raw_data = plan.version, None  # IntegerField renders raw_data first
    flash(_("Someone saved this plan while you were editing it. Compare the texts below; nothing you typed "
            "is lost. Saving again replaces the stored version."), "error")
    return _render_edit(account, plan, plan.period, form, {row.key: row for row in rows}, 409)


@bp.route("/accounts/<int:account_id>/plans/<period>/history")
def history(account_id: int, period: str):
    account = _account(account_id)
    plan = _plan(account, period)
    revisions = plan_service.list_revisions(plan)
    changes = {rev.number: changed_keys(older.content if older else None, rev.content or {})
               for rev, older in zip(revisions, [*revisions[1:], None])}
    return render_template("plans/history.html", account=account, plan=plan, revisions=revisions,
                           changes=changes, can_edit=_can_edit(account), field_labels=FIELD_LABELS)


def _revision_arg(name: str, default: int) -> int:
    """A revision number from the query string; absent → `default`, not a number → 404."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    return int(raw) if raw.isdigit() and len(raw) < 10 else abort(404)


@bp.route("/accounts/<int:account_id>/plans/<period>/diff")
def diff(account_id: int, period: str):
    account = _account(account_id)
    plan = _plan(account, period)
    b = _revision_arg("b", plan.version)
    a = _revision_arg("a", max(b - 1, 1))
    try:
        revision_a, revision_b = plan_service.get_revision(plan, a), plan_service.get_revision(plan, b)
    except plan_service.RevisionNotFound:
        abort(404)
    diffs = plan_service.diff_revisions(plan, a, b)
    return render_template("plans/diff.html", account=account, plan=plan, a=revision_a, b=revision_b, diffs=diffs,
                           numbers=range(plan.version, 0, -1))


@bp.route("/accounts/<int:account_id>/plans/<period>/revisions/<int:number>/restore", methods=["POST"])
def restore(account_id: int, period: str, number: int):
    account = _account(account_id)
    plan = _plan(account, period)
    policy.require(_can_edit(account))
    form = RestoreForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        plan_service.restore_revision(plan=plan, number=number, author=current_user,
                                      base_version=form.version.data, comment=form.comment.data or "")
    except plan_service.RevisionNotFound:
        abort(404)
    except Conflict:
        flash(_("Someone saved this plan after you opened its history; nothing was restored. Check the "
                "latest revision and try again."), "error")
        return redirect(url_for(".history", account_id=account.id, period=plan.period))
    flash(_("Revision #%(old)s restored as revision #%(new)s.", old=number, new=plan.version), "success")
    return redirect(url_for(".show", account_id=account.id, period=plan.period))


@bp.route("/preview", methods=["POST"])
def preview():
    """Render Markdown as the plan page would (sanitised); stores nothing."""
    text = request.form.get("text", "")[:MAX_PREVIEW]
    return Response(str(render_markdown(text)), mimetype="text/html")
