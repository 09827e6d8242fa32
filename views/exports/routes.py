"""Downloads: `/accounts/<id>/export.xlsx`, `/accounts/export.xlsx|csv`, `/search/export.xlsx|csv`.

Each view: load (404) → read what the reader may see through the pages' own helpers → write the file →
record the export (kb.services.exports) → send. Recording on a GET is deliberate: it is an audit entry
about the download itself, like an access log, and changes nothing a reader sees elsewhere.
"""
from __future__ import annotations

from io import BytesIO
from typing import Any

from flask import Response, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from kb import clock
from kb.db_reads import writes_on_get
from kb.exports.account_book import account_workbook
from kb.exports.lists import Table, account_table, search_table
from kb.exports.writers import Sheet, csv_chunks, xlsx_bytes
from kb.services import accounts as account_service
from kb.services.exports import record_export
from models import Account, Coverage, Tier
from views.accounts.routes import _filter_form, load_account
from views.search.forms import TYPE_LABELS, read_params
from views.search.presenting import hit_url

from . import bp

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = "any(xlsx, csv)"


def _locale() -> str:
    return str(get_locale() or "zh")


def _stamp() -> str:
    return clock.now().strftime("%Y%m%d-%H%M")


def _send_xlsx(content: bytes, name: str) -> Response:
    response = send_file(BytesIO(content), mimetype=XLSX, as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _send_table(table: Table, fmt: str, name: str, sheet_title: str) -> Response:
    if fmt == "xlsx":
        content, _counts = xlsx_bytes([Sheet(sheet_title, table.headers, table.rows)])
        return _send_xlsx(content, f"{name}.xlsx")
    response = Response(csv_chunks(table.headers, table.rows), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def send_account_workbook(record: Account) -> Response:
    """The workbook of `record` as the current user may see it, recorded; used by the page and the API."""
    book = account_workbook(account=record, reader=current_user, locale=_locale())
    record_export(reader=current_user, kind="account", row_format="xlsx", row_count=book.row_count,
                  account_id=record.id)
    return _send_xlsx(book.content, f"account-{record.id}-{_stamp()}.xlsx")


@bp.route("/accounts/<int:account_id>/export.xlsx")
@writes_on_get
def account(account_id: int):
    """The account's workbook: account, plan, stakeholders, interactions, next steps (what the reader sees)."""
    return send_account_workbook(load_account(account_id))


def _list_filters() -> tuple[dict[str, Any], Any]:
    """The account list page's filters (same form, same cleaning) and its SELECT."""
    form = _filter_form()
    tier, coverage = form.clean_value("tier"), form.clean_value("coverage")
    filters = dict(q=form.clean_value("q") or "", group_id=form.clean_value("group"),
                   industry=form.clean_value("industry") or "", region=form.clean_value("region") or "",
                   tier=Tier(tier) if tier else None, coverage=Coverage(coverage) if coverage else None,
                   include_archived=bool(form.clean_value("archived")))
    stmt = account_service.account_filters_stmt(**filters)
    shown = {k: (v.value if hasattr(v, "value") else v) for k, v in filters.items() if v}
    return shown, stmt


@bp.route(f"/accounts/export.<{FORMATS}:fmt>")
@writes_on_get
def accounts(fmt: str):
    """The account list with the list page's filters, up to LIST_MAX_ROWS accounts; a filter query the list
    refuses (kb.account_keys.query_problem) is refused here too (422 page with its message), not ignored:
    the file would hold every account without saying so."""
    refused = _filter_form().q.errors
    if refused:
        return render_template("errors/error.html", status=422, message=str(refused[0])), 422
    filters, stmt = _list_filters()
    table = account_table(stmt=stmt, locale=_locale())
    record_export(reader=current_user, kind="accounts", row_format=fmt, row_count=len(table.rows),
                  filters=filters)
    return _send_table(table, fmt, f"accounts-{_stamp()}", _("Accounts"))


@bp.route(f"/search/export.<{FORMATS}:fmt>")
@writes_on_get
def search(fmt: str):
    """The reader's search results (same query and filters as the search page), up to LIST_MAX_ROWS."""
    _form, params, _bad = read_params(request.args)
    if not params.q.strip():
        flash(_("Search for something first, then export the results."), "warning")
        return redirect(url_for("search.index"))
    table, outcome = search_table(params=params, reader=current_user,
                                  type_label=lambda t: str(TYPE_LABELS.get(t, t)), url_for_hit=_absolute(hit_url))
    if outcome.unavailable:
        flash(outcome.message or "", "warning")
        return redirect(url_for("search.index", **request.args))
    filters = {"q": params.q, "type": ",".join(params.types), "group": params.group, "industry": params.industry,
               "region": params.region, "date_from": params.date_from, "date_to": params.date_to,
               "archived": params.include_archived or None}
    record_export(reader=current_user, kind="search", row_format=fmt, row_count=len(table.rows), filters=filters)
    return _send_table(table, fmt, f"search-{_stamp()}", _("Search results"))


def _absolute(page_url: Any) -> Any:
    """A hit's page as a full address (a spreadsheet has no base URL to resolve a path against)."""
    return lambda hit: request.host_url.rstrip("/") + page_url(hit)
