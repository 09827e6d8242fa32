"""Numbers with thousands separators (issue 7 of session 8, tester's defect 5): `1,000` finds "1000" as
`1000` finds "1,000"; `12345.67` and `12345` find "12,345.67"; the match is marked whole."""
from __future__ import annotations

import pytest

from models import UserRole
from kb.search.snippets import marked_text
from tests.search_support import find, keys


@pytest.fixture
def viewer(create_user):
    return create_user(role=UserRole.VIEWER, name="查看者")


@pytest.fixture
def notes(create_account, create_interaction):
    account = create_account(name="锦程物流")
    made = {name: create_interaction(account, title=name, summary=text) for name, text in [
        ("plain", "预算 1000 万。"), ("grouped", "预算 1,000 万。"), ("cents", "合同额 12,345.67 元。"),
        ("cents_plain", "合同额 12345.67 元。"), ("units", "编号 12345。"), ("other", "比例 2,50 不变。")]}
    return {name: f"interaction:{i.id}" for name, i in made.items()}


@pytest.mark.parametrize("typed, expected", [
    ("1,000", {"plain", "grouped"}),
    ("1000", {"plain", "grouped"}),
    ("12,345.67", {"cents", "cents_plain"}),
    ("12345.67", {"cents", "cents_plain"}),
])
def test_a_number_is_found_written_with_or_without_separators(app, viewer, notes, typed, expected):
    assert keys(find(app, typed, viewer)) == {notes[n] for n in expected}


def test_whole_units_find_the_number_with_separators_and_cents(app, viewer, notes):
    assert {notes["cents"], notes["units"]} <= keys(find(app, "12345", viewer))


def test_the_grouped_number_is_marked_whole_for_either_form(app, viewer, notes):
    def marked(q):
        return " ".join(marked_text(h.snippet) for h in find(app, q, viewer).hits)
    assert "«12,345.67»" in marked("12345.67") and "«12345.67»" in marked("12,345.67")
    assert "«1,000»" in marked("1,000") and "«1000»" in marked("1,000")
    assert "«12,345.67»" in marked("12345")
