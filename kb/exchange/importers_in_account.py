"""The importers of the records kept within an account: stakeholders and interactions (matched within the
account; see kb/exchange/importers.py for the rules every importer follows)."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from models import Account, Interaction, Stakeholder

from ..db import session
from ..services import interactions as interaction_service
from ..services import stakeholders as stakeholder_service
from ..services.errors import ServiceError
from ..textnorm import normalize
from .context import ImportContext
from .importer_base import InAccount, changed_fields, record_provenance, unknown_or_ambiguous
from .team_only import team_only_values

STAKEHOLDER_FIELDS = ("name", "name_en", "title", "department", "decision_role", "attitude", "influence",
                      "layer", "relationship_level", "notes")
INTERACTION_FIELDS = ("occurred_on", "kind", "title", "summary", "visibility")


class StakeholderImporter(InAccount):
    model = Stakeholder

    def __init__(self, ctx: ImportContext) -> None:
        super().__init__(ctx)
        #: (row, stakeholder id, account id, boss name), resolved in finish()
        self.bosses: list[tuple[int, int | None, int, str]] = []

    def match_key(self, values: dict[str, Any]) -> Any:
        return normalize(values["name"])

    def record_key(self, record: Any) -> Any:
        return normalize(record.name)

    def _owners(self, number: int, values: dict[str, Any], wanted: dict[str, Any]) -> None:
        if self.ctx.has("primary_owner"):
            email = values.get("primary_owner") or ""
            ids = self.ctx.user_ids(number, "primary_owner", [email]) if email else [None]
            wanted["primary_owner_id"] = ids[0] if ids else None
        if self.ctx.has("backup_owners"):
            wanted["backup_owner_ids"] = self.ctx.user_ids(number, "backup_owners",
                                                           values.get("backup_owners") or []) or []

    def row(self, number: int, values: dict[str, Any]) -> None:
        ctx = self.ctx
        for required in ("account", "name"):
            if required in values and not values[required]:
                ctx.required(number, required)
        if not values.get("name") or not values.get("account"):
            return
        ctx.labels[number] = values["name"]
        account = ctx.find_account(number, values["account"])
        if account is None:
            return
        record = self.existing(number, account, values)
        if record is False or not self.once(number, (account.id, values.get("external_key") or
                                                     self.match_key(values)), "name"):
            return
        wanted = {k: values[k] for k in STAKEHOLDER_FIELDS if ctx.has(k) and values.get(k) is not None}
        wanted.update(team_only_values(ctx, number, account, values))  # private notes, contact details
        self._owners(number, values, wanted)
        if number in ctx.problem_rows:
            if ctx.has("reports_to"):  # still tell whether the boss exists
                self.bosses.append((number, None, account.id, values.get("reports_to") or ""))
            return
        try:
            self._write(number, account, record, wanted, values)
        except ServiceError as exc:
            ctx.service_error(number, exc, "account")

    def _write(self, number: int, account: Account, record: Stakeholder | None, wanted: dict[str, Any],
               values: dict[str, Any]) -> None:
        ctx = self.ctx
        key = values.get("external_key") or None
        boss = values.get("reports_to") or ""
        if record is None and ctx.has("reports_to") and boss:
            found = self.index(account.id)[1].get(normalize(boss), [])
            if len(found) == 1:  # already known (the usual order: bosses first): set it right away
                wanted["reports_to_id"] = found[0]
        if record is None:
            record = stakeholder_service.create_stakeholder(account=account, author=ctx.author, **wanted)
            record_provenance(ctx, record, key)
            self.remember(record)
            ctx.actions[number] = "create"
        else:
            owners = {"primary_owner_id": record.primary_owner.id if record.primary_owner else None,
                      "backup_owner_ids": [u.id for u in record.backup_owners]}
            changed = changed_fields(record, {k: v for k, v in wanted.items() if k not in owners})
            changed.update({k: v for k, v in wanted.items() if k in owners and owners[k] != v})
            if changed:
                stakeholder_service.update_stakeholder(stakeholder=record, author=ctx.author, **changed)
            if key and record.external_key != key:
                record.external_key = key
                changed["external_key"] = key
            ctx.actions[number] = "update" if changed else "unchanged"
        if ctx.has("reports_to") and "reports_to_id" not in wanted:  # (else set at creation already)
            self.bosses.append((number, record.id, account.id, values.get("reports_to") or ""))

    def finish(self) -> None:
        """Reports-to, once every row's stakeholder exists (a boss may come later in the file)."""
        for number, stakeholder_id, account_id, boss_name in self.bosses:
            boss_id = None
            if boss_name:
                ids = self.index(account_id)[1].get(normalize(boss_name), [])
                if len(ids) != 1:
                    self.ctx.problem(number, "reports_to", unknown_or_ambiguous(boss_name, ids))
                    continue
                boss_id = ids[0]
            stakeholder = session.get(Stakeholder, stakeholder_id) if stakeholder_id else None
            if stakeholder is None or stakeholder.reports_to_id == boss_id:
                continue
            try:
                stakeholder_service.update_stakeholder(stakeholder=stakeholder, author=self.ctx.author,
                                                       reports_to_id=boss_id)
            except ServiceError as exc:
                self.ctx.service_error(number, exc, "reports_to")
                continue
            session.expire(stakeholder, ["reports_to"])  # the next rows' cycle checks walk fresh links
            if self.ctx.actions.get(number) == "unchanged":
                self.ctx.actions[number] = "update"


class InteractionImporter(InAccount):
    model = Interaction

    def __init__(self, ctx: ImportContext) -> None:
        super().__init__(ctx)
        self.row_of: dict[int, int] = {}  # interaction id → its row (for its next steps)

    def match_key(self, values: dict[str, Any]) -> Any:
        return (values.get("occurred_on"), values.get("kind"), normalize(values.get("title") or ""))

    def record_key(self, record: Any) -> Any:
        return (record.occurred_on, record.kind, normalize(record.title or ""))

    def existing(self, number: int, account: Account, values: dict[str, Any]) -> Any:
        """As for other records, except that rows without an external key take the account's records of the
        same date, kind and title one each, the one with the row's summary first, else in file order (two
        calls logged on one day under one title are two records, and an export of them re-imports); a row
        beyond those records is a new one."""
        if values.get("external_key"):
            return super().existing(number, account, values)
        ids = [i for i in self.index(account.id)[1].get(self.match_key(values), []) if i not in self.row_of]
        found = sorted((session.get(Interaction, i) for i in ids),
                       key=lambda r: (r.summary != values.get("summary"), r.id))
        return found[0] if found else None

    def _people(self, number: int, account: Account, values: dict[str, Any], wanted: dict[str, Any]) -> None:
        if self.ctx.has("stakeholders"):
            by_name = self._stakeholders(account.id)
            ids: list[int] = []
            for name in values.get("stakeholders") or []:
                found = by_name.get(normalize(name), [])
                if len(found) != 1:
                    self.ctx.problem(number, "stakeholders", unknown_or_ambiguous(name, found))
                elif found[0] not in ids:
                    ids.append(found[0])
            wanted["stakeholder_ids"] = ids
        if self.ctx.has("attendees"):
            attendees = values.get("attendees") or []
            wanted["attendee_ids"] = self.ctx.user_ids(number, "attendees", attendees) or []

    def _stakeholders(self, account_id: int) -> dict[str, list[int]]:
        cache = self.ctx.lookups.setdefault("stakeholders", {})
        if account_id not in cache:
            by_name: dict[str, list[int]] = {}
            for sid, name in session.execute(select(Stakeholder.id, Stakeholder.name)
                                             .where(Stakeholder.account_id == account_id)):
                by_name.setdefault(normalize(name), []).append(sid)
            cache[account_id] = by_name
        return cache[account_id]

    def row(self, number: int, values: dict[str, Any]) -> None:
        ctx = self.ctx
        for required in ("account", "occurred_on", "kind"):
            if required in values and not values[required]:
                ctx.required(number, required)
        if not all(values.get(r) for r in ("account", "occurred_on", "kind")):
            return
        ctx.labels[number] = f"{values['occurred_on'].isoformat()} {values.get('title') or ''}".strip()
        account = ctx.find_account(number, values["account"])
        if account is None:
            return
        record = self.existing(number, account, values)
        slot = values.get("external_key") or (("record", record.id) if record else ("new", number))
        if record is False or not self.once(number, (account.id, slot), "title"):
            return
        wanted = {k: values[k] for k in INTERACTION_FIELDS if ctx.has(k) and values.get(k) is not None}
        self._people(number, account, values, wanted)
        if number in ctx.problem_rows:
            return
        try:
            self._write(number, account, record, wanted, values.get("external_key") or None)
        except ServiceError as exc:
            ctx.service_error(number, exc, "account")

    def _write(self, number: int, account: Account, record: Interaction | None, wanted: dict[str, Any],
               key: str | None) -> None:
        ctx = self.ctx
        if record is None:
            record = interaction_service.create_interaction(account=account, author=ctx.author, **wanted)
            record_provenance(ctx, record, key)
            self.remember(record)
            self.row_of[record.id] = number
            ctx.actions[number] = "create"
            return
        self.row_of[record.id] = number
        current = {"stakeholder_ids": sorted(s.id for s in record.stakeholders),
                   "attendee_ids": sorted(u.id for u in record.attendees)}
        changed = {k: v for k, v in wanted.items()
                   if (current[k] != sorted(v) if k in current else getattr(record, k) != v)}
        if changed:
            interaction_service.update_interaction(interaction=record, author=ctx.author, **changed)
        if key and record.external_key != key:
            record.external_key = key
            changed["external_key"] = key
        ctx.actions[number] = "update" if changed else "unchanged"
