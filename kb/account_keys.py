"""The normalised search key of an account, kept in step with its names in one place.

`Account.search_key` holds `normalize(name + name_en + aliases)` (kb.textnorm), one name per line, so the
account list filter (`/accounts?q=`, `GET /api/v1/accounts?q=`) can match a normalised query with a plain
`LIKE` on every database: SQLite's `lower()` folds only ASCII, and neither database knows traditional and
simplified Chinese are the same. A mapper event sets the key on every insert and update, whoever writes
the account (services, the demo loader, imports, tests); migration 0005 fills existing rows with
`account_search_key` too. `Account.sort_key` (the name's pinyin, for the list's order) is kept the same way,
filled by migration 0006.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import event

from models import Account

from .textnorm import normalize


def account_search_key(name: str | None, name_en: str | None, aliases: Any) -> str:
    """The normalised names of an account, one per line (aliases that are not text are left out)."""
    names = [name or "", name_en or "", *(a for a in (aliases or []) if isinstance(a, str))]
    return "\n".join(normalize(n).strip() for n in names if n and n.strip())


def account_sort_key(name: str | None) -> str:
    """The name's pinyin in lower case, a space, then the name: 长沙银行 → "changshayinhang 长沙银行".

    Ordering by it puts Chinese names in pinyin order (长沙 before 华东), as a reader expects, rather
    than in code point order; the name after the pinyin keeps homophones apart in a stable order.
    """
    from pypinyin import lazy_pinyin  # imported on first use: its dictionaries take a second to load

    name = (name or "").strip()
    return f"{''.join(lazy_pinyin(name)).lower().replace(' ', '')} {name}"


def _set_key(_mapper: Any, _connection: Any, account: Account) -> None:
    account.search_key = account_search_key(account.name, account.name_en, account.aliases)
    account.sort_key = account_sort_key(account.name)


if not event.contains(Account, "before_insert", _set_key):
    event.listen(Account, "before_insert", _set_key)
    event.listen(Account, "before_update", _set_key)
