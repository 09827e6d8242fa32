"""What every importer shares (kb/exchange/importers.py has one importer per kind): the row bookkeeping
(`Importer`), matching within an account (`InAccount`), provenance and the changed-fields helper."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from models import Account

from ..db import session
from ..textnorm import normalize
from .context import ImportContext


def record_provenance(ctx: ImportContext, record: Any, key: str | None) -> None:
    record.external_key = key or None
    record.import_run_id = ctx.import_run_id


def unknown_or_ambiguous(name: str, ids: list[int]) -> str:
    if not ids:
        return _("No stakeholder of this account is named “%(name)s”.", name=name[:100])
    return _("Several stakeholders of this account are named “%(name)s”.", name=name[:100])


def changed_fields(record: Any, wanted: dict[str, Any]) -> dict[str, Any]:
    """The wanted values that differ from the record's; a name that only differs in spelling (width,
    traditional/simplified, case: kb.textnorm) is the stored one, not a change."""
    if "name" in wanted and normalize(wanted["name"]) == normalize(record.name):
        wanted = {k: v for k, v in wanted.items() if k != "name"}
    return {k: v for k, v in wanted.items() if getattr(record, k) != v}


class Importer:
    """Base: `row(number, values)` per row, then `finish()`; outcomes and problems go to `ctx`."""

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        self.seen: dict[Any, int] = {}

    def once(self, number: int, match_key: Any, column: str) -> bool:
        """False (and a problem) when an earlier row of the file stands for the same record."""
        first = self.seen.setdefault(match_key, number)
        if first != number:
            self.ctx.problem(number, column, _("Row %(n)d already stands for the same record.", n=first))
            return False
        return True

    def finish(self) -> None:
        """Second pass over what needed every row first (e.g. reports-to)."""


class InAccount(Importer):
    """Rows that belong to an account named in the `account` column."""

    model: Any = None

    def __init__(self, ctx: ImportContext) -> None:
        super().__init__(ctx)
        self.loaded: dict[int, tuple[dict[str, int], dict[Any, list[int]]]] = {}

    def match_key(self, values: dict[str, Any]) -> Any:
        raise NotImplementedError

    def index(self, account_id: int) -> tuple[dict[str, int], dict[Any, list[int]]]:
        """(external key → id, match key → ids) of the account's records, loaded once per account."""
        if account_id not in self.loaded:
            by_key: dict[str, int] = {}
            by_match: dict[Any, list[int]] = {}
            for record in session.scalars(select(self.model).where(self.model.account_id == account_id)):
                if record.external_key:
                    by_key[record.external_key] = record.id
                by_match.setdefault(self.record_key(record), []).append(record.id)
            self.loaded[account_id] = (by_key, by_match)
        return self.loaded[account_id]

    def record_key(self, record: Any) -> Any:
        raise NotImplementedError

    def existing(self, number: int, account: Account, values: dict[str, Any]) -> Any:
        """The record the row stands for, None (new), or False (ambiguous: a problem was recorded)."""
        by_key, by_match = self.index(account.id)
        key = values.get("external_key")
        if key and key in by_key:
            return session.get(self.model, by_key[key])
        ids = [i for i in by_match.get(self.match_key(values), [])
               if not key or session.get(self.model, i).external_key in (None, key)]
        if len(ids) > 1:
            self.ctx.problem(number, "name" if self.ctx.has("name") else "account",
                             _("Several records of this account match this row; give each an external key."))
            return False
        return session.get(self.model, ids[0]) if ids else None

    def remember(self, record: Any) -> None:
        by_key, by_match = self.index(record.account_id)
        if record.external_key:
            by_key[record.external_key] = record.id
        by_match.setdefault(self.record_key(record), []).append(record.id)
