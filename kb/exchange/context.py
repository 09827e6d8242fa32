"""What one import run knows while it goes through the rows: the columns found, the problems, the outcome
of each row, and look-ups shared by the kinds (accounts by name, users by e-mail)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from models import Account, User

from ..db import session
from ..services.errors import PossibleDuplicate, ServiceError
from ..textnorm import normalize
from .columns import Column

#: Service field names → the column that fills them (for the messages of the existing services).
FIELD_COLUMNS = {
    "customer_group_id": "group", "parent_id": "parent", "reports_to_id": "reports_to",
    "primary_owner_id": "primary_owner", "backup_owner_ids": "backup_owners",
    "stakeholder_ids": "stakeholders", "attendee_ids": "attendees",
}


def required_message(column: Column | None, key: str) -> str:
    """The problem of an empty required cell, naming its column in the UI language: "Account is
    required." / "客户名称为必填项。" (`key` when the column is unknown)."""
    from ..group_names import ui_is_english

    if column is None:
        label = key
    elif ui_is_english():
        label = column.header_en.replace("_", " ").capitalize()
    else:
        label = column.header_zh
    return _("%(column)s is required.", column=label)


@dataclass
class Problem:
    """One problem: spreadsheet row (1 = header), column header as written in the file, message."""

    row: int
    column: str
    message: str


@dataclass
class ImportContext:
    """State of one run. `headers` maps column key → header as written in the file."""

    author: User
    kind: str
    columns: dict[str, Column]
    headers: dict[str, str]
    import_run_id: int | None = None
    problems: list[Problem] = field(default_factory=list)
    #: row → "create" | "update" | "unchanged" | "error"; and a short label (the record's name)
    actions: dict[int, str] = field(default_factory=dict)
    labels: dict[int, str] = field(default_factory=dict)
    problem_rows: set[int] = field(default_factory=set)
    lookups: dict[str, Any] = field(default_factory=dict)
    _accounts: dict[str, list[int]] | None = None
    _users: dict[str, int] | None = None
    _account_objects: dict[int, Any] = field(default_factory=dict)

    def header(self, key: str) -> str:
        """The column's header as in the file, else in the UI language."""
        if key in self.headers:
            return self.headers[key]
        column = self.columns.get(key)
        if column is None:
            return key
        from ..group_names import ui_is_english

        return column.header("en" if ui_is_english() else "zh")

    def problem(self, row: int, key: str, message: str) -> None:
        """Record a problem of `row` in column `key`."""
        self.problems.append(Problem(row, self.header(key), message))
        self.problem_rows.add(row)

    def required(self, row: int, key: str) -> None:
        """Record that `row` leaves the required column `key` empty ("Account is required.")."""
        self.problem(row, key, required_message(self.columns.get(key), key))

    def service_error(self, row: int, exc: ServiceError, default_key: str) -> None:
        """Record a service's refusal (its field messages, each on its column)."""
        if not exc.fields or isinstance(exc, PossibleDuplicate):  # the message names the matches
            self.problem(row, default_key, exc.message)
            return
        for name, message in exc.fields.items():
            key = FIELD_COLUMNS.get(name, name)
            self.problem(row, key if key in self.columns else default_key, message)

    def has(self, key: str) -> bool:
        """Whether the file has this column."""
        return key in self.headers

    # --- shared look-ups ----------------------------------------------------------------------------

    def account_ids(self, name: str) -> list[int]:
        """Ids of the accounts whose name or English name is `name` once normalised (kb.textnorm)."""
        if self._accounts is None:
            self._accounts = {}
            for account_id, zh, en in session.execute(select(Account.id, Account.name, Account.name_en)):
                for text in {normalize(zh), normalize(en or "")} - {""}:
                    self._accounts.setdefault(text, []).append(account_id)
        return self._accounts.get(normalize(name), [])

    def remember_account(self, account: Account) -> None:
        """Make a just-created account findable by name for the following rows."""
        self.account_ids("")
        assert self._accounts is not None
        for text in {normalize(account.name), normalize(account.name_en or "")} - {""}:
            ids = self._accounts.setdefault(text, [])
            if account.id not in ids:
                ids.append(account.id)

    def find_account(self, row: int, name: str, key: str = "account") -> Account | None:
        """The one account named `name`, else a problem (none, or several) on column `key`."""
        ids = self.account_ids(name)
        if not ids:
            self.problem(row, key, _("No account is named “%(name)s”.", name=name[:100]))
            return None
        if len(ids) > 1:
            self.problem(row, key,
                         _("Several accounts are named “%(name)s”; use the exact name.", name=name[:100]))
            return None
        account = self._account_objects.get(ids[0])
        if account is None:
            account = self._account_objects[ids[0]] = session.get(Account, ids[0])
        return account

    def user_id(self, email: str) -> int | None:
        """The id of our user with this e-mail address (any case), or None."""
        if self._users is None:
            self._users = {e.lower(): i for i, e in session.execute(select(User.id, User.email))}
        return self._users.get(email.lower())

    def user_ids(self, row: int, key: str, emails: list[str]) -> list[int] | None:
        """Ids of our users with these e-mail addresses, else a problem naming the unknown ones."""
        self.user_id("")
        assert self._users is not None
        unknown = [e for e in emails if e not in self._users]
        if unknown:
            emails = ", ".join(unknown[:5])
            self.problem(row, key, _("No user has the e-mail address %(emails)s.", emails=emails))
            return None
        return [self._users[e] for e in emails]
