"""Accounts: list with filters and pages, create, read, change, archive and restore."""
from __future__ import annotations

from flask import url_for
from flask_login import current_user

from kb import policy
from kb.account_keys import query_notice, query_problem
from kb.idempotency import idempotent
from kb.db import session
from kb.pagination import paginate
from kb.services import accounts as service
from models import Account, Coverage, Tier

from . import bp
from .common import created, load_or_404, page_body, require
from .query import PAGING, Param, Query
from .registry import operation
from .responses import ref
from .serializers import serialize_account
from .bodies import load_body
from .bodies.accounts import AccountChanges, NewAccount

ACCOUNT_FILTERS = PAGING + Query((
    Param("q", "text", "Words of the name, English name or an alias, or pinyin as search finds it (all "
                       "words must match; OR, AND, NOT and -word combine them as in search, and the answer's "
                       "message says how q was read): Chinese as part of a name; other words a whole word or "
                       "pinyin form (ecmc, zgyd, yinhang), from 4 characters the start of one (changsha, "
                       "mobi). At most 200 characters and 8 words, no control characters (else 422).",
          check=query_problem),
    Param("group", "int", "Customer group id."),
    Param("industry", "text", "Industry (exact, normalised).", max_length=50),
    Param("region", "text", "Region (exact, normalised).", max_length=50),
    Param("tier", "enum", enum_cls=Tier), Param("coverage", "enum", enum_cls=Coverage),
    Param("include_archived", "bool", "Also archived accounts.", default=False),
))
ACCOUNT_LINKS = {"GetAccount": ("show_account", {"account_id": "$response.body#/id"}),
                 "UpdateAccount": ("update_account", {"account_id": "$response.body#/id"})}


@bp.get("/accounts")
@operation("List accounts", query=ACCOUNT_FILTERS, response=ref("AccountPage"), tag="accounts")
def list_accounts():
    args = ACCOUNT_FILTERS.load()
    stmt = service.account_filters_stmt(
        q=args["q"], group_id=args["group"], industry=args["industry"], region=args["region"],
        tier=args["tier"], coverage=args["coverage"], include_archived=args["include_archived"],
    )
    body = page_body(paginate(session, stmt, args["page"], args["per_page"]), serialize_account)
    # How q was read (a one-letter prefix left out, `or` read as OR, …), as search's API says it (`message`)
    return {**body, "message": query_notice(args["q"])}


@bp.post("/accounts")
@operation("Create an account", body=NewAccount, status=201, response=ref("Account"), tag="accounts",
           extra={"links": ACCOUNT_LINKS})
@idempotent
def create_account():
    require(policy.may_create_account(current_user))  # in which group: the service checks
    data = load_body(NewAccount)
    account = service.create_account(author=current_user, **data)
    return created(serialize_account(account), url_for("api.show_account", account_id=account.id))


@bp.get("/accounts/<int:account_id>")
@operation("Read an account", response=ref("Account"), tag="accounts")
def show_account(account_id: int):
    return serialize_account(load_or_404(Account, account_id))


@bp.patch("/accounts/<int:account_id>")
@operation("Change, archive or restore an account", body=AccountChanges, partial=True,
           response=ref("Account"), tag="accounts")
def update_account(account_id: int):
    account = load_or_404(Account, account_id)
    require(policy.may_archive_account(current_user, account))
    data = load_body(AccountChanges, partial=True, current=serialize_account(account))
    archived, version = data.pop("archived", None), data.pop("version", None)
    if archived is False:
        service.restore_account(account=account, author=current_user)
    if data:  # an archived account is read-only: the service answers 409 "archived"
        service.update_account(account=account, author=current_user, base_version=version, **data)
    if archived is True:
        service.archive_account(account=account, author=current_user)
    return serialize_account(account)
