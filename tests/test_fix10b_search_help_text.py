"""The search help reads as Chinese in Chinese (no English full stop after the list of kinds), and README
§Search lists every `type:` value the search accepts (issue 10 fix)."""
from __future__ import annotations

import html
import re
from pathlib import Path

from kb.search.schema import DOC_TYPES
from models import UserRole


def _text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def test_chinese_help_ends_the_list_of_kinds_with_a_chinese_full_stop(client, login_as, create_user):
    login_as(create_user(role=UserRole.VIEWER, locale="zh_CN"))
    body = _text(client.get("/search"))
    assert "只查一类记录：" in body
    assert "风险或遗留问题。 山头项目属于机会点。" in body or "风险或遗留问题。山头项目属于机会点。" in body
    assert ". 山头项目" not in body


def test_english_help_keeps_its_full_stop(client, login_as, create_user):
    login_as(create_user(role=UserRole.VIEWER, locale="en"))
    body = _text(client.get("/search"))
    assert re.search(r"Only one kind of record: [^.]+\. Key projects are opportunities\.", body)


def test_readme_lists_every_type_value():
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    listed = re.search(r"`type:`\s*\(([^)]*)\)", readme).group(1)
    assert [t.strip() for t in listed.split(",")] == list(DOC_TYPES)
