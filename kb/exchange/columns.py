"""The column vocabulary of imports and exports, shared by both so that an export re-imports.

Per kind (accounts, stakeholders, interactions, next steps) the ordered columns: a stable key, the Chinese
and the English header, a type, the model field it fills and its maximum length. Headers are matched
case-, width- and space-insensitively in either language (`header_key`); enumerations are accepted as their
stored value or their label in either language (`enum_lookup`, labels from kb/labels.py).

Types: ``text``, ``int``, ``date`` (an Excel date cell, or text as 2026-11-29, 2026/11/29, 2026-11-29 or
2026年11月29日), ``enum``, ``list`` (values separated by a line break, ``;``, ``；``, ``,``, ``，`` or ``、``),
``email`` (one of our users), ``emails`` (a list of them), ``bool`` (是/否, yes/no, true/false, 1/0).

Rule for this file: columns and kinds are only ever ADDED (never renamed or reordered away): exports
written by an older version must still import.
"""
from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass

from models import Attitude, Coverage, DecisionRole, Influence, InteractionKind, RelationshipLayer, Tier, Visibility

#: Separator written between list items in a cell (read: any of LIST_SEPARATORS).
LIST_JOIN = "; "
LIST_SEPARATORS = "\n;；,，、"
TRUE_WORDS = frozenset({"是", "yes", "y", "true", "1", "✓", "x"})
FALSE_WORDS = frozenset({"否", "no", "n", "false", "0", ""})


@dataclass(frozen=True)
class Column:
    """One column of a sheet: `key` is stable; `field` is the model attribute (or relation) it fills."""

    key: str
    header_zh: str
    header_en: str
    type: str  # text | int | date | enum | list | email | emails | bool
    field: str
    max_length: int | None = None
    enum: type[enum.Enum] | None = None
    required: bool = False

    def header(self, locale: str) -> str:
        """The header in the UI language (`zh` or `en`)."""
        return self.header_en if locale.startswith("en") else self.header_zh


def _c(key: str, zh: str, en: str, type_: str = "text", field: str | None = None, max_length: int | None = None,
       enum_cls: type[enum.Enum] | None = None, required: bool = False) -> Column:
    return Column(key, zh, en, type_, field or key, max_length, enum_cls, required)


EXTERNAL_KEY_MAX = 100

ACCOUNT_COLUMNS: tuple[Column, ...] = (
    _c("external_key", "外部编号", "external_key", "text", "external_key", EXTERNAL_KEY_MAX),
    _c("name", "客户名称", "name", "text", "name", 200, required=True),
    _c("name_en", "英文名称", "name_en", "text", "name_en", 200),
    _c("aliases", "别名", "aliases", "list", "aliases", 100),
    _c("group", "所属客户群", "group", "text", "customer_group (by name)", 100),
    _c("parent", "上级客户", "parent", "text", "parent (by account name)", 200),
    _c("industry", "行业", "industry", "text", "industry", 50),
    _c("region", "区域", "region", "text", "region", 50),
    _c("tier", "客户级别", "tier", "enum", "tier", None, Tier),
    _c("coverage", "覆盖模式", "coverage", "enum", "coverage", None, Coverage),
    _c("description", "客户简介", "description", "text", "description", 20_000),
)

STAKEHOLDER_COLUMNS: tuple[Column, ...] = (
    _c("external_key", "外部编号", "external_key", "text", "external_key", EXTERNAL_KEY_MAX),
    _c("account", "客户名称", "account", "text", "account (by name)", 200, required=True),
    _c("name", "姓名", "name", "text", "name", 100, required=True),
    _c("name_en", "英文姓名", "name_en", "text", "name_en", 100),
    _c("title", "职务", "title", "text", "title", 150),
    _c("department", "部门", "department", "text", "department", 150),
    _c("reports_to", "汇报对象", "reports_to", "text", "reports_to (by name within the account)", 100),
    _c("decision_role", "决策角色", "decision_role", "enum", "decision_role", None, DecisionRole),
    _c("attitude", "态度", "attitude", "enum", "attitude", None, Attitude),
    _c("influence", "影响力", "influence", "enum", "influence", None, Influence),
    _c("layer", "关系层级", "layer", "enum", "layer", None, RelationshipLayer),
    _c("relationship_level", "关系程度", "relationship_level", "int", "relationship_level"),
    _c("primary_owner", "主责任人", "primary_owner", "email", "owners (primary, by e-mail)", 254),
    _c("backup_owners", "备份责任人", "backup_owners", "emails", "owners (backups, by e-mail)", 254),
    _c("notes", "备注", "notes", "text", "notes", 10_000),
    _c("private_notes", "私密备注", "private_notes", "text", "private_notes (team only)", 10_000),
    # contact details (kb.services.stakeholder_contacts): team only, like the private notes
    _c("phone", "电话", "phone", "text", "phone (team only)", 40),
    _c("mobile", "手机", "mobile", "text", "mobile (team only)", 40),
    _c("email", "邮箱", "email", "text", "email (team only; the stakeholder's own, not a user)", 254),
    _c("wechat_id", "微信号", "wechat_id", "text", "wechat_id (team only)", 64),
    _c("assistant_name", "助理", "assistant_name", "text", "assistant_name (team only)", 100),
    _c("assistant_contact", "助理联系方式", "assistant_contact", "text", "assistant_contact (team only)", 200),
)
#: Stakeholder columns only the account team and admins read and write (kb.policy.sees_team_content):
#: exports leave them out for other readers; imports refuse values in them from other authors.
TEAM_ONLY_STAKEHOLDER_KEYS = ("private_notes", "phone", "mobile", "email", "wechat_id", "assistant_name",
                              "assistant_contact")

INTERACTION_COLUMNS: tuple[Column, ...] = (
    _c("external_key", "外部编号", "external_key", "text", "external_key", EXTERNAL_KEY_MAX),
    _c("account", "客户名称", "account", "text", "account (by name)", 200, required=True),
    _c("occurred_on", "日期", "occurred_on", "date", "occurred_on", required=True),
    _c("kind", "类型", "kind", "enum", "kind", None, InteractionKind, required=True),
    _c("title", "标题", "title", "text", "title", 200),
    _c("summary", "纪要", "summary", "text", "summary", 20_000),
    _c("visibility", "可见范围", "visibility", "enum", "visibility", None, Visibility),
    _c("stakeholders", "会见关键人", "stakeholders", "list", "stakeholders (by name within the account)", 100),
    _c("attendees", "我方参加人", "attendees", "emails", "attendees (by e-mail)", 254),
)

#: Next steps of interactions (a sheet of its own in exports); `interaction_key` is the interaction's
#: external key (or, when it has none, its account, date and title identify it).
NEXT_STEP_COLUMNS: tuple[Column, ...] = (
    _c("interaction_key", "拜访外部编号", "interaction_key", "text", "interaction.external_key", EXTERNAL_KEY_MAX),
    _c("account", "客户名称", "account", "text", "interaction.account (by name)", 200),
    _c("occurred_on", "拜访日期", "occurred_on", "date", "interaction.occurred_on"),
    _c("interaction_title", "拜访标题", "interaction_title", "text", "interaction.title", 200),
    _c("text", "下一步", "text", "text", "text", 500, required=True),
    _c("owner", "负责人", "owner", "email", "owner (by e-mail)", 254),
    _c("due_on", "截止日期", "due_on", "date", "due_on"),
    _c("done", "已完成", "done", "bool", "done"),
    # the interaction's row in the interactions sheet of the same workbook: tells apart visits of one day
    # with one title (and no external key); used only to choose among those
    _c("interaction_row", "拜访所在行", "interaction_row", "int", "interaction (its row in the same workbook)"),
)

KINDS: dict[str, tuple[Column, ...]] = {
    "accounts": ACCOUNT_COLUMNS,
    "stakeholders": STAKEHOLDER_COLUMNS,
    "interactions": INTERACTION_COLUMNS,
    "next_steps": NEXT_STEP_COLUMNS,
}
#: Kinds a user can import on their own (next steps come with their interactions).
IMPORT_KINDS = ("accounts", "stakeholders", "interactions")
#: Sheet titles of an exported workbook (and of templates), per kind and UI language.
SHEET_TITLES = {
    "accounts": ("客户", "accounts"), "stakeholders": ("关键人", "stakeholders"),
    "interactions": ("拜访记录", "interactions"), "next_steps": ("下一步", "next_steps"),
}


def header_key(text: object) -> str:
    """A header as compared: NFKC (full width → half), case-folded, without spaces, `_` or `-`."""
    folded = unicodedata.normalize("NFKC", str(text or "")).casefold()
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "_-*")


def header_map(kind: str) -> dict[str, Column]:
    """Header key (either language, and the column key) → column, for `kind`."""
    out: dict[str, Column] = {}
    for col in KINDS[kind]:
        for name in (col.key, col.header_zh, col.header_en):
            out[header_key(name)] = col
    return out


def enum_labels(enum_cls: type[enum.Enum]) -> dict[enum.Enum, tuple[str, str]]:
    """member → (Chinese label, English label), from kb.labels (needs an app context for the catalogs)."""
    from flask_babel import force_locale

    from ..labels import label

    out: dict[enum.Enum, tuple[str, str]] = {}
    for member in enum_cls:
        with force_locale("zh"):
            zh = str(label(member))
        with force_locale("en"):
            en = str(label(member))
        out[member] = (zh, en)
    return out


def enum_lookup(enum_cls: type[enum.Enum]) -> dict[str, enum.Enum]:
    """Accepted spelling (compared with `header_key`) → member: the stored value (decision_maker), the
    English label (Decision-maker) and the Chinese label (决策者)."""
    out: dict[str, enum.Enum] = {}
    for member, (zh, en) in enum_labels(enum_cls).items():
        for spelling in (member.value, member.name, zh, en):
            out[header_key(spelling)] = member
    return out


def enum_cell(member: enum.Enum | None, locale: str) -> str:
    """How an export writes an enumeration: its label in the UI language (re-imports in either)."""
    if member is None:
        return ""
    zh, en = enum_labels(type(member))[member]
    return en if locale.startswith("en") else zh
