"""Possible duplicate accounts: names that mean the same customer once spelling differences are ignored.

Two names match when their *name keys* are equal: the text normalised (kb.textnorm: width, case and, with
the full normaliser, traditional/simplified Chinese), Latin letters without their accents as search and the
list filter fold them (kb.search.analysis.without_accents: `ELECTRICITE` is `Électricité`), spaces and
punctuation dropped, and company-form suffixes (有限公司, 股份有限公司, Co., Ltd., Inc., S.A. …) stripped.
Search and the account list filter drop the same suffixes at the end of what is typed
(kb.search.querytext.drop_company_forms): one list, here. A new account is compared over its name,
English name and aliases against the same three of every existing account, archived ones included (the
customer may simply need restoring). Accounts are readable by everyone signed in, so listing the matches
reveals nothing a reader could not already see.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import select

from models import Account

from ..company_forms import CJK_SUFFIXES, LATIN_SUFFIXES, cjk_form_end, latin_form_words  # noqa: F401
from ..db import session
from ..search.analysis import without_accents
from ..textnorm import normalize

#: Keys shorter than this are too vague to call anything a duplicate.
MIN_KEY_LENGTH = 2
_WORDS = re.compile(r"[^\W_]+")


def name_key(text: str) -> str:
    """The comparison key of a name, e.g. ``华东移动通信有限公司`` → ``华东移动通信``,
    ``East China Mobile Co., Ltd.`` → ``eastchinamobile``, ``Electricite de France S.A.`` and
    ``ÉLECTRICITÉ DE FRANCE`` → ``electricitedefrance``."""
    words = [without_accents(w) or w for w in _WORDS.findall(normalize(text))]
    words = words[:len(words) - latin_form_words(words)]
    key = "".join(words)
    return key[:cjk_form_end(key)]


def _keys(names: Iterable[str | None]) -> set[str]:
    return {k for k in (name_key(n) for n in names if n) if len(k) >= MIN_KEY_LENGTH}


def matching_fields(accounts: Iterable[Account], *, name: str, name_en: str = "",
                    aliases: Iterable[str] = ()) -> list[str]:
    """Which of the given names ("name", "name_en", "aliases") have the name key of one of `accounts`' names,
    English names or aliases (`possible_duplicates`' rule): the fields a possible-duplicate answer points at
    (`ECMC` typed as an alias → ["aliases"], not "name"). ["name"] if none does (cannot happen for matches)."""
    theirs = _keys([n for a in accounts for n in (a.name, a.name_en, *(x for x in (a.aliases or [])
                                                                       if isinstance(x, str)))])
    given = {"name": [name], "name_en": [name_en], "aliases": list(aliases)}
    return [field for field, names in given.items() if _keys(names) & theirs] or ["name"]


def possible_duplicates(*, name: str, name_en: str = "", aliases: Iterable[str] = (),
                        exclude_id: int | None = None) -> list[Account]:
    """Existing accounts whose name, English name or an alias has the same name key as one of the given
    names, ordered by name. Reads every account's three name columns: fine for the thousands of accounts
    a knowledge base holds."""
    wanted = _keys([name, name_en, *aliases])
    if not wanted:
        return []
    rows = session.execute(select(Account.id, Account.name, Account.name_en, Account.aliases))
    ids = [row.id for row in rows if row.id != exclude_id and wanted & _keys(
        [row.name, row.name_en, *(a for a in (row.aliases or []) if isinstance(a, str))])]
    if not ids:
        return []
    return list(session.scalars(select(Account).where(Account.id.in_(ids)).order_by(Account.name, Account.id)))
