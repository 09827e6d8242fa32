"""Accounts: list with filters and pages, create, read, change, archive and restore."""
from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kb import policy
from kb.idempotency import idempotent
from kb.db import session
from kb.pagination import paginate
from kb.services import accounts as service
from models import Account, Coverage, Tier

from . import bp
from .common import created, load_or_404, page_body, paging, query_int, query_text, require
from .serializers import serialize_account
from .validation import InvalidInput, Schema, Field, boolean, choice, integer, load_body, string, string_list

ACCOUNT_FIELDS: dict[str, Field] = {
    "name": string(service.MAX_NAME, min_length=1, required=True),
    "name_en": string(service.MAX_NAME),
    "aliases": string_list(max_items=service.MAX_ALIASES, max_length=service.MAX_ALIAS),
    "industry": string(service.MAX_SHORT_TEXT),
    "region": string(service.MAX_SHORT_TEXT),
    "tier": choice(Tier),
    "coverage": choice(Coverage),
    "customer_group_id": integer(minimum=1, nullable=True),
    "parent_id": integer(minimum=1, nullable=True),
    "description": string(service.MAX_DESCRIPTION, strip=False),
}
NEW_ACCOUNT = Schema({**ACCOUNT_FIELDS, "confirm_duplicate": boolean()})
ACCOUNT_CHANGES = Schema({**ACCOUNT_FIELDS, "archived": boolean(),
                          "version": integer(minimum=0, nullable=True)})


def _query_choice(name: str, enum_cls: type) -> object | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        return enum_cls(raw)
    except ValueError:
        raise InvalidInput({name: _("Must be one of: %(values)s.",
                                    values=", ".join(m.value for m in enum_cls))}) from None


def _query_flag(name: str) -> bool:
    raw = request.args.get(name, "").strip().lower()
    if raw not in ("", "true", "false", "1", "0"):
        raise InvalidInput({name: _("Must be true or false.")})
    return raw in ("true", "1")


@bp.get("/accounts")
def list_accounts():
    page, per_page = paging()
    stmt = service.account_filters_stmt(
        q=query_text("q"), group_id=query_int("group", None),
        industry=query_text("industry", 50), region=query_text("region", 50),
        tier=_query_choice("tier", Tier), coverage=_query_choice("coverage", Coverage),
        include_archived=_query_flag("include_archived"),
    )
    return page_body(paginate(session, stmt, page, per_page), serialize_account)


@bp.post("/accounts")
@idempotent
def create_account():
    require(policy.may_create_account(current_user))  # in which group: the service checks
    data = load_body(NEW_ACCOUNT)
    account = service.create_account(author=current_user, **data)
    return created(serialize_account(account), url_for("api.show_account", account_id=account.id))


@bp.get("/accounts/<int:account_id>")
def show_account(account_id: int):
    return serialize_account(load_or_404(Account, account_id))


@bp.patch("/accounts/<int:account_id>")
def update_account(account_id: int):
    account = load_or_404(Account, account_id)
    require(policy.may_archive_account(current_user, account))
    data = load_body(ACCOUNT_CHANGES, partial=True)
    archived, version = data.pop("archived", None), data.pop("version", None)
    if archived is False:
        service.restore_account(account=account, author=current_user)
    if data:  # an archived account is read-only: the service answers 409 "archived"
        service.update_account(account=account, author=current_user, base_version=version, **data)
    if archived is True:
        service.archive_account(account=account, author=current_user)
    return serialize_account(account)
