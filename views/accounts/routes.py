"""Account list, create/edit forms, archive and restore. The account's own pages are in pages.py."""
from __future__ import annotations

import logging

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from kb import policy
from kb.account_keys import query_notice
from kb.db import session
from kb.form_errors import on_service_error
from kb.group_names import ui_is_english
from kb.pagination import paginate_page
from kb.services import accounts as service
from kb.services.activity import last_activity
from kb.services.errors import Conflict, PossibleDuplicate
from kb.services.reference_lists import label_for
from models import Account, Coverage, Tier
from views import once
from views.conflicts import conflict_page_rows
from views.forms import ArchiveForm

from . import bp
from .forms import AccountForm, FilterForm, options

logger = logging.getLogger(__name__)


def load_account(account_id: int) -> Account:
    """The account (group, parent, children and members loaded), or 404."""
    account = service.get_account(account_id)
    if account is None:
        abort(404)
    return account


def industries(*, offered_only: bool = False) -> list[tuple[str, str]]:
    """(value, label) of the managed industries, then others in use (filter choices, form suggestions)."""
    return service.distinct_values("industry", english=ui_is_english(), offered_only=offered_only)


def regions(*, offered_only: bool = False) -> list[tuple[str, str]]:
    """(value, label) of the managed regions, then others in use (filter choices, form suggestions)."""
    return service.distinct_values("region", english=ui_is_english(), offered_only=offered_only)


def _filter_form() -> FilterForm:
    form = FilterForm(formdata=request.args)
    groups = service.group_choices(english=ui_is_english())
    form.group.choices = options([("", _("All groups"))] + [(str(i), name) for i, name in groups])
    form.industry.choices = options([("", _("All industries"))] + industries())
    form.region.choices = options([("", _("All regions"))] + regions())
    form.validate()
    return form


@bp.route("/accounts")
def index():
    form = _filter_form()
    tier, coverage = form.clean_value("tier"), form.clean_value("coverage")
    stmt = service.account_filters_stmt(
        q=form.clean_value("q") or "", group_id=form.clean_value("group"),
        industry=form.clean_value("industry") or "", region=form.clean_value("region") or "",
        tier=Tier(tier) if tier else None, coverage=Coverage(coverage) if coverage else None,
        include_archived=bool(form.clean_value("archived")),
    ).options(*service.list_page_options())
    page = paginate_page(session, stmt, request.args.get("page"), current_app.config["PER_PAGE"])
    completeness, stale = service.plan_meters((a.id for a in page.items),
                                              stale_after_days=current_app.config["STALE_AFTER_DAYS"])
    activity = last_activity(account_ids=[a.id for a in page.items], reader=current_user)
    return render_template("accounts/index.html", form=form, page=page, completeness=completeness,
                           activity=activity, stale=stale, q_notice=query_notice(form.clean_value("q")),
                           can_create=policy.may_create_account(current_user))


def _prepare(form: AccountForm, account: Account | None) -> None:
    """Fill the select choices: groups the user may use, parent accounts, possible team members."""
    groups = service.group_choices(english=ui_is_english())
    current = account.customer_group_id if account is not None else None
    usable = policy.account_group_choices(current_user)  # None: any group, or none (admins)
    allowed = [(i, name) for i, name in groups if usable is None or i in usable or i == current]
    none_allowed = usable is None or (account is not None and current is None)
    none = [("", _("— no customer group —"))] if none_allowed else []
    form.customer_group_id.choices = options(none + [(str(i), name) for i, name in allowed])
    parents = service.account_choices(exclude_id=account.id if account else None)
    if usable is not None:  # members: only accounts they edit (and the current parent) — see check_may_set_parent
        mine = set(session.scalars(policy.team_account_ids(current_user)))
        keep = account.parent_id if account is not None else None
        parents = [(i, name) for i, name in parents if i in mine or i == keep]
    form.parent_id.choices = options([("", _("— none —"))] + [(str(i), name) for i, name in parents])
    form.member_ids.choices = options((u.id, f"{u.name} · {u.email}") for u in service.member_candidates())


def _save(form: AccountForm, account: Account | None) -> Account:
    """Call the service with the form's fields (a ServiceError re-renders the form: see kb.form_errors).

    A stale version raises Conflict to the caller, which shows the conflict page.
    """
    fields = dict(
        name=form.name.data, name_en=form.name_en.data or "", aliases=form.alias_list(),
        industry=form.industry.data or "", region=form.region.data or "", tier=Tier(form.tier.data),
        coverage=Coverage(form.coverage.data), customer_group_id=form.customer_group_id.data,
        parent_id=form.parent_id.data, description=form.description.data or "",
    )
    on_service_error(form, lambda: _render_form(form, account))
    if account is None:
        try:
            account = service.create_account(author=current_user, confirm_duplicate=form.confirm_duplicate.data,
                                             **fields)
        except PossibleDuplicate as exc:  # the page lists the matches and asks to confirm
            matches = exc.matches  # (`exc` itself is unbound once this block ends)
            on_service_error(form, lambda: _render_form(form, None, duplicates=matches))
            raise
    else:
        service.update_account(account=account, author=current_user,
                               base_version=form.version.version(), **fields)
    service.set_members(account=account, user_ids=form.member_ids.data or [], author=current_user)
    return account


def _render_form(form: AccountForm, account: Account | None,  # type: ignore[no-untyped-def]
                 duplicates: list[tuple[int, str]] = ()):
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/form.html", form=form, account=account, duplicates=duplicates,
                           industries=industries(offered_only=True), regions=regions(offered_only=True)), status


@bp.route("/accounts/new", methods=["GET", "POST"])
def new():
    policy.require(policy.may_create_account(current_user))
    form = AccountForm()
    _prepare(form, None)
    if form.validate_on_submit():
        if (done := once.already_submitted(form)) is not None:
            return done
        account = _save(form, None)
        flash(_("Account %(name)s created.", name=account.name), "success")
        return redirect(once.remember(form, url_for("accounts.show", account_id=account.id)))
    return _render_form(form, None)


def _initial(account: Account) -> dict[str, object]:
    """The edit form's starting values: the account as stored."""
    return dict(
        name=account.name, name_en=account.name_en, aliases="\n".join(account.aliases or []),
        industry=label_for("industry", account.industry, english=ui_is_english()),
        region=label_for("region", account.region, english=ui_is_english()), tier=account.tier.value,
        coverage=account.coverage.value, customer_group_id=account.customer_group_id,
        parent_id=account.parent_id, description=account.description,
        member_ids=[u.id for u in account.members], version=account.version,
    )


@bp.route("/accounts/<int:account_id>/edit", methods=["GET", "POST"])
def edit(account_id: int):
    account = load_account(account_id)
    policy.require_edit_page(current_user, account, request.method)
    form = AccountForm() if request.method == "POST" else AccountForm(data=_initial(account))
    _prepare(form, account)
    try:
        if form.validate_on_submit():
            _save(form, account)
            flash(_("Changes to %(name)s saved.", name=account.name), "success")
            return redirect(url_for("accounts.show", account_id=account.id))
    except Conflict:
        stored = AccountForm(formdata=None, data=_initial(account))
        _prepare(stored, account)
        conflict = conflict_page_rows(form, stored, account.version)
        return render_template("accounts/form.html", form=form, account=account, conflict=conflict,
                               discard_url=url_for("accounts.edit", account_id=account.id),
                               industries=industries(offered_only=True), regions=regions(offered_only=True)), 409
    return _render_form(form, account)


@bp.route("/accounts/<int:account_id>/archive", methods=["POST"])
def archive(account_id: int):
    account = load_account(account_id)
    policy.require(policy.may_archive_account(current_user, account))
    if ArchiveForm().validate_on_submit():
        service.archive_account(account=account, author=current_user)
        flash(_("%(name)s is archived. Nothing was deleted; you can restore it.", name=account.name),
              "success")
    return redirect(url_for("accounts.show", account_id=account.id))


@bp.route("/accounts/<int:account_id>/restore", methods=["POST"])
def restore(account_id: int):
    account = load_account(account_id)
    policy.require(policy.may_archive_account(current_user, account))
    if ArchiveForm().validate_on_submit():
        service.restore_account(account=account, author=current_user)
        flash(_("%(name)s is restored.", name=account.name), "success")
    return redirect(url_for("accounts.show", account_id=account.id))
