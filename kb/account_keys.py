"""The normalised search key of an account, kept in step with its names in one place.

`Account.search_key` holds `normalize(name + name_en + aliases)` (kb.textnorm), one name per line, so the
account list filter (`/accounts?q=`, `GET /api/v1/accounts?q=`) can match a normalised query with a plain
`LIKE` on every database: SQLite's `lower()` folds only ASCII, and neither database knows traditional and
simplified Chinese are the same. A mapper event sets the key on every insert and update, whoever writes
the account (services, the demo loader, imports, tests); migration 0005 fills existing rows with
`account_search_key` too. `Account.sort_key` (the name's pinyin, for the list's order) is kept the same way,
filled by migration 0006.

`Account.pinyin_key` holds the pinyin forms search finds the account by (the account document's `pinyin`
field, kb.search.documents.account_pinyin: runs of full syllables, initials of whole names), each with a
space on both sides, so the filter matches a whole form or the start of one with a `LIKE` and agrees with
search on which accounts a pinyin query finds (`account_name_clause`); filled by migration 0020. A change
to the pinyin rule (kb.search.pinyin) that rebuilds the index (SCHEMA_VERSION) needs a migration that
refills this key the way 0020 does, or the list and search drift apart for accounts not saved since.
"""
from __future__ import annotations

import re
from typing import Any

from sqlalchemy import ColumnElement, and_, event, or_

from models import Account

from .search.documents import account_pinyin
from .search.query import PINYIN_PREFIX_MIN
from .textnorm import normalize

#: A query the filter also matches as pinyin: lower-case ASCII letters (after kb.textnorm), words
#: separated by spaces (`hua dong`), as search reads a query of plain words.
_PINYIN_QUERY = re.compile(r"[a-z]+(?: [a-z]+)*")
#: At most this many words of a query are matched as pinyin (three LIKEs a word: bounded work); a longer
#: query matches the names as a substring only.
MAX_PINYIN_WORDS = 8


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


def account_pinyin_key(name: str | None, aliases: Any) -> str:
    """The pinyin forms of the name and aliases with a space around each, or "" when they have none:
    长沙银行 → " changshayinhang changsha shayinhang … yinhang hang csyh "
    (kb.search.documents.account_pinyin)."""
    forms = account_pinyin(name, aliases)
    return f" {forms} " if forms else ""


def _pinyin_word_clause(word: str) -> ColumnElement[bool]:
    """`word` (lower-case letters) is a name word or a pinyin form of the account, or the start of a form
    when it has at least PINYIN_PREFIX_MIN letters — search's rule (kb.search.query.widen)."""
    form = f" {word} " if len(word) < PINYIN_PREFIX_MIN else f" {word}"
    return or_(Account.search_key.contains(word, autoescape=True),
               Account.pinyin_key.contains(form, autoescape=True))


def account_name_clause(q: str) -> ColumnElement[bool] | None:
    """The list filter's condition for what a reader typed (None: `q` is empty once normalised).

    The normalised query is a substring of a name, English name or alias (`Account.search_key`); or, when
    it is pinyin-shaped (letters only, perhaps words apart: `zgyd`, `yinhang`, `chang sha`), every word
    is in a name or is a pinyin form of the account, or a prefix of one when it has at least
    PINYIN_PREFIX_MIN letters — as search matches each word of a query in any of the account's fields. So
    `yinhang` and `changsha` find 长沙银行, `angsha` (inside a form, not a form) does not.
    """
    key = normalize(q or "").strip()
    if not key:
        return None
    clause = Account.search_key.contains(key, autoescape=True)
    words = key.split()
    if len(words) <= MAX_PINYIN_WORDS and _PINYIN_QUERY.fullmatch(" ".join(words)):
        clause = or_(clause, and_(*(_pinyin_word_clause(w) for w in words)))
    return clause


def _set_key(_mapper: Any, _connection: Any, account: Account) -> None:
    account.search_key = account_search_key(account.name, account.name_en, account.aliases)
    account.sort_key = account_sort_key(account.name)
    account.pinyin_key = account_pinyin_key(account.name, account.aliases)


if not event.contains(Account, "before_insert", _set_key):
    event.listen(Account, "before_insert", _set_key)
    event.listen(Account, "before_update", _set_key)
