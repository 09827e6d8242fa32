"""Policy answers remembered for one reads-only request (issue 9: fewer SQL statements per page).

A page asks the same access question several times — "is the reader on this account's team?" for the page,
its panels and its links (the account page asked it five times); "where does the reader hold a seat?".
Each asking was one SQL statement, one round trip on PostgreSQL. `remember` answers a repeated question
from the first answer, under these limits:

- **Only in a reads-only request** (GET, HEAD, OPTIONS, see kb.db_reads): nothing in such a request can
  change a team, a seat or a membership (a write raises WriteInSafeRequest), so an answer cannot go stale
  within it. In any other request, the CLI or a test's app context, every question goes to the database.
- **Never beyond the request**: the memo lives in the request's reads-only session (`Session.info`), which
  kb.db closes and drops at the request's end; the next request has a new session and an empty memo.
- **Never across users or days**: callers put the reader's id and the date the rule uses in the key.
- **Only questions asked the same way whatever the data's size**: a memo that answers a page's second
  question only when the organisation is small would make its statement count depend on the data
  (kb.policy.core.team_user_ids is not remembered for that reason).

The rules themselves stay in kb.policy.core; this module only remembers their answers.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import g, has_app_context

from ..db import session

T = TypeVar("T")

#: The key of the memo in the reads-only session's `info`.
MEMO_KEY = "kb.policy.memo"


def _memo() -> dict[Hashable, object] | None:
    """The current reads-only request's memo, or None when answers must not be remembered here."""
    if not has_app_context():
        return None
    current = session._get_current_object()  # type: ignore[attr-defined]  # creates the request's session
    if not g.get("kb_session_reads_only", False):
        return None
    memo: dict[Hashable, object] = current.info.setdefault(MEMO_KEY, {})
    return memo


def remember(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`'s answer for `key`, computed at most once per reads-only request (see the module's
    docstring); elsewhere `compute()` every time. `key` must hold everything the answer depends on (the
    question's name, the reader's id, the date, the ids asked about). Callers that hand out a mutable
    answer copy it (the memo keeps the original)."""
    memo = _memo()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]  # type: ignore[return-value]


def note(key: Hashable, answer: object) -> None:
    """Keep `answer` for `key` in the current reads-only request (see the module's docstring); elsewhere do
    nothing. For an answer a wider question has just given (an account's whole team answers "is this reader
    on it?"), so a later `recall` needs no statement of its own."""
    memo = _memo()
    if memo is not None:
        memo[key] = answer


def recall(key: Hashable) -> object | None:
    """The answer kept for `key` in the current reads-only request (`note` or `remember`), else None."""
    memo = _memo()
    return None if memo is None else memo.get(key)
