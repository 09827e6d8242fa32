"""Next steps of imported interactions, from the next-steps sheet of a workbook (as exports write it).

Each row names its interaction by the interaction's external key, else by account, date and title. The
steps of one interaction, in the order of the sheet, replace its next steps when they differ (through
kb.services.interactions.update_interaction, which keeps existing steps by position); an interaction whose
steps change counts as updated.
"""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from models import Account, Interaction

from ..db import session
from ..services import interactions as interaction_service
from ..services.errors import ServiceError
from ..textnorm import normalize
from .columns import header_key, header_map
from .context import ImportContext, Problem, required_message
from .reading import Sheet
from .rows import CellProblem, parse_cell


class StepSheet:
    """Reads the next-steps sheet into {interaction id: [step dicts]} and applies it."""

    def __init__(self, ctx: ImportContext, sheet: Sheet, title: str) -> None:
        self.ctx, self.sheet, self.title = ctx, sheet, title
        known = self.known = header_map("next_steps")
        self.columns = {i: known[header_key(h)] for i, h in enumerate(sheet.headers)
                        if header_key(h) in known}
        self.headers = {c.key: sheet.headers[i] for i, c in self.columns.items()}
        self.steps: dict[int, list[dict[str, Any]]] = {}
        self.first_row: dict[int, int] = {}
        self.visit_at: dict[int, int] = {}  # interactions sheet row → interaction id

    def problem(self, row: int, key: str, message: str) -> None:
        self.ctx.problems.append(Problem(row, f"{self.title} · {self.headers.get(key, key)}", message))

    def _interaction(self, row: int, values: dict[str, Any]) -> Interaction | None:
        ids = self.ctx.account_ids(values.get("account") or "")
        if len(ids) != 1:
            name = (values.get("account") or "")[:100]
            self.problem(row, "account", _("No account is named “%(name)s”.", name=name))
            return None
        account = session.get(Account, ids[0])
        stmt = select(Interaction).where(Interaction.account_id == account.id)
        if values.get("interaction_key"):
            found = list(session.scalars(stmt.where(Interaction.external_key == values["interaction_key"])))
        else:
            on_day = stmt.where(Interaction.occurred_on == values.get("occurred_on"))
            found = [i for i in session.scalars(on_day)
                     if normalize(i.title or "") == normalize(values.get("interaction_title") or "")]
        if len(found) > 1 and values.get("interaction_row") in self.visit_at:  # (exports write it)
            found = [i for i in found if i.id == self.visit_at[values["interaction_row"]]]
        if len(found) != 1:
            self.problem(row, "interaction_title",
                         _("No single interaction of this account matches this row."))
            return None
        return found[0]

    def read(self, row_of: dict[int, int] | None = None) -> None:
        """Parse every row; problems go to the run's report. `row_of`: interaction id → its row in the
        interactions sheet just imported (tells apart visits of one day with one title)."""
        self.visit_at = {row: interaction_id for interaction_id, row in (row_of or {}).items()}
        for row, cells in self.sheet.rows:
            values: dict[str, Any] = {}
            for index, column in self.columns.items():
                try:
                    values[column.key] = parse_cell(column, cells[index] if index < len(cells) else None,
                                                    self.ctx.lookups)
                except CellProblem as problem:
                    self.problem(row, column.key, problem.message)
            # Empty (not unreadable: that has its own problem) or no such column: "Account is required."
            empty = [key for key in ("text", "account")
                     if not values.get(key) and (key in values or key not in self.headers)]
            for key in empty:
                self.problem(row, key, required_message(self.known.get(header_key(key)), key))
            if empty or not values.get("text"):
                continue
            interaction = self._interaction(row, values)
            owner = values.get("owner") or None
            owner_id = self.ctx.user_id(owner) if owner else None
            if owner and owner_id is None:
                self.problem(row, "owner", _("No user has the e-mail address %(emails)s.", emails=owner))
            if interaction is None or (owner and owner_id is None):
                continue
            self.first_row.setdefault(interaction.id, row)
            self.steps.setdefault(interaction.id, []).append({
                "text": values["text"], "owner_id": owner_id, "due_on": values.get("due_on"),
                "done": bool(values.get("done"))})

    def apply(self, row_of: dict[int, int]) -> None:
        """Replace the steps of each interaction whose steps differ; `row_of`: interaction id → its row."""
        for interaction_id, wanted in self.steps.items():
            interaction = session.get(Interaction, interaction_id)
            assert interaction is not None
            current = [{"text": s.text, "owner_id": s.owner_id, "due_on": s.due_on, "done": s.done}
                       for s in interaction.next_steps]
            if current == wanted:
                continue
            try:
                interaction_service.update_interaction(interaction=interaction, author=self.ctx.author,
                                                       next_steps=wanted)
            except ServiceError as exc:
                self.problem(self.first_row[interaction_id], "text", exc.message)
                continue
            row = row_of.get(interaction_id)
            if row is not None and self.ctx.actions.get(row) == "unchanged":
                self.ctx.actions[row] = "update"
