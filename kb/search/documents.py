"""Search documents built from the models: one per account, plan, stakeholder (plus one for a
stakeholder's private notes) and interaction.

Each document carries, besides its text, the account it belongs to and that account's customer group,
industry, region and archived flag (for filters and facets), its date and its visibility (`org` or
`team`, for the access filter). A `digest` of the content lets `check-index` find outdated documents.
"""
from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime
from typing import Any, Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from models import ANSWER_FIELDS, Account, AccountPlan, Interaction, Stakeholder, Visibility

from .. import clock
from ..textnorm import normalize
from .pinyin import name_pinyin, whole_pinyin

Document = dict[str, Any]

_ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
_NOT_IN_KEY = re.compile(r"[\s,，]+")


def doc_key(doc_type: str, doc_id: int) -> str:
    """The unique key of a search document, e.g. ``plan:12``."""
    return f"{doc_type}:{doc_id}"


def parse_key(key: str) -> tuple[str, int]:
    """The (type, id) of a document key."""
    doc_type, _, doc_id = key.partition(":")
    return doc_type, int(doc_id)


def pinyin_forms(*names: str, person: bool = False) -> str:
    """The pinyin forms of the names (kb.search.pinyin): runs of full syllables and initials, e.g.
    中国移动 → zhongguoyidong yidong zgyd …; `person`: also read the surname as a surname."""
    forms: list[str] = []
    for name in names:
        forms += name_pinyin(name, person)
    return " ".join(dict.fromkeys(forms))


def account_pinyin(name: str | None, aliases: Any) -> str:
    """The pinyin forms of an account's name and aliases, space-separated: its document's `pinyin` field,
    and (kb.account_keys) the key the account list filter matches pinyin against. Aliases that are not
    text are left out; the English name has no pinyin."""
    return pinyin_forms(name or "", *(a for a in (aliases or []) if isinstance(a, str)))


def exact_name_key(text: str) -> str:
    """A name as the `exact` field holds it: normalised, without spaces or commas (``ECMC Suzhou`` →
    ``ecmcsuzhou``). The query side (kb.search.query) computes the same key from what was typed."""
    return _NOT_IN_KEY.sub("", normalize(text))


def exact_names(*names: str | None) -> str:
    """The `exact` field of a document: the keys of its names, comma-separated."""
    return ",".join(dict.fromkeys(k for k in (exact_name_key(n) for n in names if n) if k))


def _day(value: date | datetime | None) -> int:
    if value is None:
        return 0
    value = clock.local_date(value)  # a change at 02:05 in Shanghai is on that day there, not the UTC day
    return value.year * 10000 + value.month * 100 + value.day


def _account_fields(account: Account) -> Document:
    return {
        "account_id": str(account.id),
        "group_id": str(account.customer_group_id or ""),
        "industry": account.industry or "",
        "region": account.region or "",
        "archived": "1" if account.archived_at else "0",
    }


def finish_document(doc: Document) -> Document:
    """Add the spelling words and the content digest to a document (every document passes here)."""
    words = _ENGLISH_WORD.findall(f"{doc['title']} {doc['body']}")
    doc["spell"] = " ".join(sorted({w.lower() for w in words}))
    doc["chars"] = f"{doc['title']}\n{doc['body']}"
    doc.setdefault("pinyin", "")
    doc.setdefault("names", "")
    doc.setdefault("exact", "")
    doc.setdefault("period", "")
    content = json.dumps(doc, sort_keys=True, ensure_ascii=False, default=str)
    doc["digest"] = hashlib.sha1(content.encode()).hexdigest()
    return doc


def _join(parts: Iterable[str | None]) -> str:
    return "\n".join(p.strip() for p in parts if p and p.strip())


def account_document(account: Account) -> Document:
    """The document of an account: its names, aliases (also as pinyin) and description."""
    aliases = [a for a in (account.aliases or []) if isinstance(a, str)]
    doc = {
        "key": doc_key("account", account.id), "type": "account", "doc_id": account.id,
        **_account_fields(account), "visibility": Visibility.ORG.value, "date": _day(account.updated_at),
        "title": account.name,
        "body": _join([account.name_en, " · ".join(aliases), account.description, account.industry,
                       account.region]),
        "pinyin": account_pinyin(account.name, aliases),
        "names": _join([account.name, account.name_en, *aliases]),
        "exact": exact_names(account.name, account.name_en, *aliases,
                             *(p for n in (account.name, *aliases) for p in whole_pinyin(n))),
    }
    return finish_document(doc)


def plan_document(plan: AccountPlan) -> Document:
    """The document of an account plan: the five answers and every section."""
    sections = plan.sections or {}
    doc = {
        "key": doc_key("plan", plan.id), "type": "plan", "doc_id": plan.id, **_account_fields(plan.account),
        "visibility": Visibility.ORG.value, "date": _day(plan.updated_at),
        "title": f"{plan.account.name} {plan.period}", "period": plan.period,
        "body": _join([getattr(plan, f) for f in ANSWER_FIELDS]
                      + [v for v in sections.values() if isinstance(v, str)]),
    }
    return finish_document(doc)


#: A stakeholder's contact details: indexed only into the team-only document, as private notes are.
CONTACT_ATTRS = ("phone", "mobile", "email", "wechat_id", "assistant_name", "assistant_contact")


def stakeholder_documents(stakeholder: Stakeholder) -> tuple[Document, Document | None]:
    """The public document of a stakeholder, and the team-only one of its private notes and contact
    details (or None when it has neither). Phone numbers are also indexed as digits (kb.search.analysis)."""
    s, account = stakeholder, stakeholder.account
    common = {"doc_id": s.id, **_account_fields(account), "date": _day(s.updated_at),
              "title": _join([s.name, s.name_en]).replace("\n", " ")}
    if s.archived_at:
        common["archived"] = "1"
    public = finish_document({
        **common, "key": doc_key("stakeholder", s.id), "type": "stakeholder",
        "visibility": Visibility.ORG.value, "body": _join([s.title, s.department, s.notes]),
        "pinyin": pinyin_forms(s.name, person=True), "names": _join([s.name, s.name_en]),
        "exact": exact_names(s.name, s.name_en, *whole_pinyin(s.name, person=True)),
    })
    team_only = _join([s.private_notes, *(getattr(s, attr, "") for attr in CONTACT_ATTRS)])
    if not team_only:
        return public, None
    private = finish_document({
        **common, "key": doc_key("stakeholder_note", s.id), "type": "stakeholder_note",
        "visibility": Visibility.TEAM.value, "body": team_only,
    })
    return public, private


def interaction_document(interaction: Interaction) -> Document:
    """The document of an interaction: title, summary and next steps; visibility as the interaction's."""
    i = interaction
    title = i.title or (i.summary or "").strip().split("\n", 1)[0][:60]
    doc = {
        "key": doc_key("interaction", i.id), "type": "interaction", "doc_id": i.id,
        **_account_fields(i.account), "visibility": i.visibility.value, "date": _day(i.occurred_on),
        "title": title, "body": _join([i.summary, *(step.text for step in i.next_steps)]),
    }
    if i.archived_at:
        doc["archived"] = "1"
    return finish_document(doc)


def documents_of(obj: Any) -> dict[str, Document | None]:
    """Every document key `obj` stands for, with its document (None: the document must not exist)."""
    if isinstance(obj, Account):
        return {doc_key("account", obj.id): account_document(obj)}
    if isinstance(obj, AccountPlan):
        return {doc_key("plan", obj.id): plan_document(obj)}
    if isinstance(obj, Stakeholder):
        public, private = stakeholder_documents(obj)
        return {public["key"]: public, doc_key("stakeholder_note", obj.id): private}
    if isinstance(obj, Interaction):
        return {doc_key("interaction", obj.id): interaction_document(obj)}
    from .documents_ltc import ltc_documents_of  # leads, opportunities, risks

    return ltc_documents_of(obj) or {}


#: Model and loader options of each entity type, for batch loading.
_LOADERS: dict[str, tuple[type, tuple[Any, ...]]] = {
    "account": (Account, ()),
    "plan": (AccountPlan, (joinedload(AccountPlan.account),)),
    "stakeholder": (Stakeholder, (joinedload(Stakeholder.account),)),
    "interaction": (Interaction, (joinedload(Interaction.account), selectinload(Interaction.next_steps))),
}
_ENTITY_OF = {"stakeholder_note": "stakeholder"}


def _add_ltc_loaders() -> None:
    from .documents_ltc import LTC_LOADERS  # leads, opportunities, risks

    _LOADERS.update(LTC_LOADERS)


_add_ltc_loaders()


def build_documents(session: Session, keys: Iterable[str]) -> dict[str, Document | None]:
    """The current documents of `keys`, read from the database (None where a document must not exist)."""
    wanted = set(keys)
    ids_by_entity: dict[str, set[int]] = {}
    for key in wanted:
        doc_type, doc_id = parse_key(key)
        ids_by_entity.setdefault(_ENTITY_OF.get(doc_type, doc_type), set()).add(doc_id)
    found: dict[str, Document | None] = dict.fromkeys(wanted)
    for entity, ids in ids_by_entity.items():
        model, options = _LOADERS[entity]
        id_list = sorted(ids)
        for start in range(0, len(id_list), 500):
            chunk = id_list[start:start + 500]
            for obj in session.scalars(select(model).options(*options).where(model.id.in_(chunk))):
                for key, doc in documents_of(obj).items():
                    if key in wanted:
                        found[key] = doc
    return found


def iter_all_documents(session: Session, batch: int = 1000) -> Iterator[Document]:
    """Every document the database holds now (for a full rebuild or a check)."""
    for model, options in _LOADERS.values():
        stmt = select(model).options(*options).order_by(model.id).execution_options(yield_per=batch)
        for obj in session.scalars(stmt):
            for doc in documents_of(obj).values():
                if doc is not None:
                    yield doc
