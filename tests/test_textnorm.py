"""kb.textnorm.normalize: the one normalisation (width, case, traditional/simplified, name separators)."""
from __future__ import annotations

import pytest

from kb.textnorm import normalize, normalize_with_offsets


@pytest.mark.parametrize("text, expected", [
    ("上线ＥＲＰ系统，预算约３００万", "上线erp系统,预算约300万"),  # width forms (NFKC)
    ("ｉＰｈｏｎｅ１５　Ｐｒｏ", "iphone15 pro"),
    ("Électricité de France", "électricité de france"),  # Unicode case folding
    ("STRASSE Straße", "strasse strasse"),
    ("ΣΊΣΥΦΟΣ", "σίσυφοσ"),
    ("台灣大哥大", "台湾大哥大"),  # traditional → simplified
    ("數據中心遷移", "数据中心迁移"),
    ("台湾大哥大", "台湾大哥大"),
    ("阿卜杜·热合曼", "阿卜杜热合曼"),  # name separators between Chinese characters
    ("阿卜杜・热合曼", "阿卜杜热合曼"),
    ("阿卜杜•热合曼", "阿卜杜热合曼"),
    ("阿卜杜‧热合曼", "阿卜杜热合曼"),
    ("阿卜杜∙热合曼", "阿卜杜热合曼"),
    ("阿卜杜⋅热合曼", "阿卜杜热合曼"),
    ("阿卜杜.热合曼", "阿卜杜热合曼"),
    ("阿卜杜 · 热合曼", "阿卜杜热合曼"),
    ("Jean·Paul", "jean paul"),  # elsewhere a separator is a space
    ("V5.2.1 and S/4HANA", "v5.2.1 and s/4hana"),  # a full stop elsewhere is kept
    ("e\u0301cole", "école"),  # combining accents compose
    ("", ""),
])
def test_normalize(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize("text", ["上线ＥＲＰ系统", "Straße", "台灣·大哥大", "ﬁle ㈱", "e\u0301cole Ａ"])
def test_normalize_is_idempotent(text):
    assert normalize(normalize(text)) == normalize(text)


@pytest.mark.parametrize("text", ["上线ＥＲＰ系统，预算约３００万", "Straße ﬁle", "阿卜杜·热合曼 台灣", "e\u0301cole",
                                  "plain ascii text.", "混合 Text ３ 個"])
def test_offsets_point_back_to_the_source_characters(text):
    out, offsets = normalize_with_offsets(text)
    assert out == normalize(text)
    offsets = offsets if offsets is not None else list(range(len(out)))
    assert len(offsets) == len(out)
    assert offsets == sorted(offsets) and all(0 <= i < len(text) for i in offsets)
    for char, source in zip(out, offsets):
        if char.isascii() and char.isalnum() and text[source].isascii():
            assert text[source].lower() == char
