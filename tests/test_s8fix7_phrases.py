"""Quoted phrases across joined and apart forms (issue 7 of session 8, tester's defect 6):
`"East China" pilot` finds "East-China pilot", `"700M 带宽"` finds "700 M 带宽", and the reverse; a
phrase still needs its words in order."""
from __future__ import annotations

import pytest

from models import UserRole
from tests.search_support import find, keys


@pytest.fixture
def viewer(create_user):
    return create_user(role=UserRole.VIEWER, name="查看者")


@pytest.fixture
def notes(create_account, create_interaction):
    account = create_account(name="锦程物流")
    made = {name: create_interaction(account, title="周会", summary=text) for name, text in [
        ("hyphen", "East-China pilot 上线。"), ("apart", "East China pilot 评审。"),
        ("spaced", "700 M 带宽 扩容。"), ("joined", "700M 带宽 测试。"),
        ("reversed", "pilot China East 无关。"), ("other", "M 700 带宽 无关。")]}
    return {name: f"interaction:{i.id}" for name, i in made.items()}


@pytest.mark.parametrize("typed, expected", [
    ('"East China" pilot', {"hyphen", "apart"}),
    ('"East China pilot"', {"hyphen", "apart"}),
    ('"East-China pilot"', {"hyphen", "apart"}),
    ('"700M 带宽"', {"spaced", "joined"}),
    ('"700 M 带宽"', {"spaced", "joined"}),
])
def test_a_phrase_finds_its_words_joined_or_apart(app, viewer, notes, typed, expected):
    assert keys(find(app, typed, viewer)) == {notes[n] for n in expected}
