"""One importer per kind: find the record a row stands for, work out what would change, and make the change
through the existing services (kb/services/accounts.py, stakeholders.py, interactions.py), so validation,
access checks, versions and the search outbox apply as for any other edit.

A row is matched on its external key when the file has one, else on the normalised name (accounts:
instance-wide; stakeholders: within the account; interactions: date, kind and title within the account).
A row whose values equal the record's is `unchanged` and not written, so re-importing a file changes
nothing.
"""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from models import Account, CustomerGroup

from ..db import session
from ..services import accounts as account_service
from ..services.errors import ServiceError
from ..textnorm import normalize
from .context import ImportContext
from .importer_base import Importer, changed_fields, record_provenance
from .importers_in_account import InteractionImporter, StakeholderImporter

ACCOUNT_TEXT = ("name", "name_en", "industry", "region", "description", "aliases", "tier", "coverage")


class AccountImporter(Importer):
    def __init__(self, ctx: ImportContext) -> None:
        super().__init__(ctx)
        self.by_key = dict(session.execute(select(Account.external_key, Account.id)
                                           .where(Account.external_key.is_not(None))).all())
        self.groups: dict[str, int] = {}
        self.parents: list[tuple[int, str]] = []  # (row, parent name) resolved in finish()
        self.row_accounts: dict[int, int] = {}  # row → account id
        groups = select(CustomerGroup.id, CustomerGroup.name, CustomerGroup.name_en)
        for gid, zh, en in session.execute(groups):
            for text in {normalize(zh), normalize(en or "")} - {""}:
                self.groups[text] = gid

    def finish(self) -> None:
        """Parents named by a later row of the file, once every row's account exists."""
        for number, name in self.parents:
            parent = self.ctx.find_account(number, name, "parent")
            account_id = self.row_accounts.get(number)
            if parent is None or account_id is None:
                continue
            account = session.get(Account, account_id)
            if account is None or account.parent_id == parent.id:
                continue
            try:
                account_service.update_account(account=account, author=self.ctx.author, parent_id=parent.id)
            except ServiceError as exc:
                self.ctx.service_error(number, exc, "parent")
                continue
            if self.ctx.actions.get(number) == "unchanged":
                self.ctx.actions[number] = "update"

    def _existing(self, number: int, values: dict[str, Any]) -> Account | None | bool:
        key = values.get("external_key")
        if key and key in self.by_key:
            return session.get(Account, self.by_key[key])
        ids = [i for i in self.ctx.account_ids(values["name"])
               if not key or session.get(Account, i).external_key in (None, key)]  # type: ignore[union-attr]
        if len(ids) > 1:
            self.ctx.problem(number, "name",
                             _("Several accounts are named “%(name)s”.", name=values["name"][:100]))
            return False
        return session.get(Account, ids[0]) if ids else None

    def _links(self, number: int, values: dict[str, Any], wanted: dict[str, Any]) -> None:
        if self.ctx.has("group"):
            name = values.get("group") or ""
            wanted["customer_group_id"] = self.groups.get(normalize(name)) if name else None
            if name and wanted["customer_group_id"] is None:
                self.ctx.problem(number, "group", _("Unknown customer group “%(name)s”.", name=name[:100]))
        if self.ctx.has("parent"):
            name = values.get("parent") or ""
            if name and not self.ctx.account_ids(name):
                self.parents.append((number, name))  # perhaps a later row: see finish()
            else:
                parent = self.ctx.find_account(number, name, "parent") if name else None
                wanted["parent_id"] = parent.id if parent is not None else None

    def row(self, number: int, values: dict[str, Any]) -> None:
        ctx = self.ctx
        if not values.get("name"):
            if "name" in values:  # (a cell that could not be read has its own problem already)
                ctx.required(number, "name")
            return
        ctx.labels[number] = values["name"]
        existing = self._existing(number, values)
        if existing is False or not self.once(number, ("id", existing.id) if existing else
                                              ("name", normalize(values["name"])), "name"):
            return
        wanted = {k: values[k] for k in ACCOUNT_TEXT if ctx.has(k) and values.get(k) is not None}
        self._links(number, values, wanted)
        if number in ctx.problem_rows:
            return
        key = values.get("external_key") or None
        try:
            if existing is None:
                account = account_service.create_account(author=ctx.author, **wanted)
                record_provenance(ctx, account, key)
                self.row_accounts[number] = account.id
                ctx.remember_account(account)
                if key:
                    self.by_key[key] = account.id
                ctx.actions[number] = "create"
                return
            self.row_accounts[number] = existing.id
            changed = changed_fields(existing, wanted)
            if changed:
                account_service.update_account(account=existing, author=ctx.author, **changed)
            if key and existing.external_key != key:
                existing.external_key = key
                changed["external_key"] = key
            ctx.actions[number] = "update" if changed else "unchanged"
        except ServiceError as exc:
            ctx.service_error(number, exc, "name")


IMPORTERS: dict[str, type[Importer]] = {
    "accounts": AccountImporter, "stakeholders": StakeholderImporter, "interactions": InteractionImporter,
}
