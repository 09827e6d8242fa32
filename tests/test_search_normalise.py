"""Search finds what people type: width forms, case, traditional characters, name separators, phone
numbers, IME punctuation (issue section 1), mixed letters and digits (section 2), pinyin runs and surname
readings (section 3)."""
from __future__ import annotations

import pytest

from models import UserRole

from .search_support import find, keys, snippets


@pytest.fixture
def admin(create_user):
    return create_user(role=UserRole.ADMIN)


@pytest.fixture
def corpus(create_account, create_interaction, create_stakeholder):
    telecom = create_account(name="台灣大哥大", name_en="Taiwan Mobile")
    mobile = create_account(name="华东移动", name_en="East China Mobile")
    bank = create_account(name="长沙银行", name_en="Bank of Changsha")
    other = create_account(name="中国联通", name_en="Électricité de France")
    return {
        "telecom": telecom, "mobile": mobile, "bank": bank, "other": other,
        "erp": create_interaction(other, title="ERP", summary="客户上线ＥＲＰ系统，预算约３００万，下周评审"),
        "budget": create_interaction(other, title="预算", summary="二期预算500万，含 cloud migration 咨询"),
        "mixed": create_interaction(mobile, title="产品", summary="方案涉及 S/4HANA、V5.2.1、iPhone15、5G专网 与 C++、C# 和 .NET 开发"),
        "dash": create_interaction(mobile, title="电话", summary="王经理手机 138-0013-8000，随时联系"),
        "plain": create_interaction(bank, title="电话", summary="李总手机13912345678"),
        "landline": create_interaction(bank, title="座机", summary="总机 (010) 8888 6666 转 12"),
        "spaced": create_interaction(bank, title="座机", summary="前台 0755-2345 6789"),
        "trad": create_interaction(bank, title="拜訪", summary="討論數據中心遷移"),
        "migration": create_interaction(other, title="migration", summary="The migration of cloud workloads"),
        "uyghur": create_stakeholder(mobile, name="阿卜杜·热合曼", title="总监"),
        "katakana_dot": create_stakeholder(mobile, name="伊力・买买提", title="经理"),
        "zeng": create_stakeholder(bank, name="曾志强", title="CIO"),
        "shan": create_stakeholder(bank, name="单雄信", title="CFO"),
        "yuchi": create_stakeholder(bank, name="尉迟恭", title="COO"),
        "qiu": create_stakeholder(bank, name="仇英", title="经理"),
        "zha": create_stakeholder(bank, name="查良镛", title="顾问"),
        "zhai": create_stakeholder(bank, name="翟志刚", title="经理"),
    }


def _key(corpus, name):
    obj = corpus[name]
    kind = {"Account": "account", "Interaction": "interaction", "Stakeholder": "stakeholder"}[type(obj).__name__]
    return f"{kind}:{obj.id}"


@pytest.mark.parametrize("q, name", [
    ("ERP", "erp"), ("erp", "erp"), ("300万", "erp"), ("ＥＲＰ系统", "erp"),  # width forms in the text
    ("５００万", "budget"), ("５００", "budget"), ("ｃｌｏｕｄ", "budget"),  # width forms in the query
    ("Électricité", "other"), ("électricité", "other"), ("ÉLECTRICITÉ", "other"),  # case folding
    ("台湾大哥大", "telecom"), ("台灣大哥大", "telecom"), ("大哥大", "telecom"),  # traditional / simplified
    ("数据中心迁移", "trad"), ("數據中心", "trad"), ("拜访", "trad"),
])
def test_width_case_and_traditional_forms_match(app, admin, corpus, q, name):
    assert _key(corpus, name) in keys(find(app, q, admin))


@pytest.mark.parametrize("q, name", [
    ("阿卜杜热合曼", "uyghur"), ("阿卜杜·热合曼", "uyghur"), ("阿卜杜•热合曼", "uyghur"), ("阿卜杜.热合曼", "uyghur"),
    ("阿卜杜", "uyghur"), ("热合曼", "uyghur"), ("abudureheman", "uyghur"),
    ("伊力买买提", "katakana_dot"), ("伊力·买买提", "katakana_dot"), ("买买提", "katakana_dot"),
])
def test_names_with_separators_match_without_them_by_parts_and_pinyin(app, admin, corpus, q, name):
    assert _key(corpus, name) in keys(find(app, q, admin))


@pytest.mark.parametrize("q, name", [
    ("13800138000", "dash"), ("138-0013-8000", "dash"), ("138 0013 8000", "dash"), ("+86 138 0013 8000", "dash"),
    ("139-1234-5678", "plain"), ("139 1234 5678", "plain"), ("13912345678", "plain"),
    ("01088886666", "landline"), ("010-88886666", "landline"), ("(010) 8888-6666", "landline"),
    ("88886666", "landline"), ("8888-6666", "landline"),
    ("075523456789", "spaced"), ("0755-23456789", "spaced"), ("23456789", "spaced"),
])
def test_phone_numbers_match_with_or_without_separators(app, admin, corpus, q, name):
    assert _key(corpus, name) in keys(find(app, q, admin))


def test_phone_digits_do_not_match_other_numbers(app, admin, corpus):
    assert find(app, "13800138001", admin).total == 0
    assert _key(corpus, "dash") not in keys(find(app, "139-1234-5678", admin))


@pytest.mark.parametrize("q, expected", [
    ("“cloud migration”", {"budget"}),  # an IME phrase is a phrase: the other text has both words apart
    ("‘cloud migration’", {"budget"}),
    ("「cloud migration」", {"budget"}),
    ("cloud migration", {"budget", "migration"}),
    ("title：ERP", {"erp"}),
    ("（ERP OR 座机）　AND 总机", {"landline"}),
])
def test_ime_punctuation_works_as_query_syntax(app, admin, corpus, q, expected):
    found = find(app, q, admin)
    assert found.message is None
    assert keys(found) == {_key(corpus, name) for name in expected}


@pytest.mark.parametrize("q", ["S/4HANA", "HANA", "S4HANA", "s4hana", "4HANA", "5.2.1", "V5.2.1", "v5.2", "iPhone",
                               "iPhone15", "IPHONE15", "5G", "专网", "5G专网", "C++", "C#", ".NET",
                               '"S/4HANA、V5.2.1"', '"iPhone15、5G专网"', '"5G专网 与 C++"', "ｉＰｈｏｎｅ１５"])
def test_mixed_letters_and_digits_match_whole_and_parts(app, admin, corpus, q):
    found = find(app, q, admin)
    assert _key(corpus, "mixed") in keys(found)
    assert any(matched for hit in found.hits for _text, matched in hit.snippet)


@pytest.mark.parametrize("q", ["S/5HANA", "V5.2.2", "iPhone16", "6G", "C", '"V5.2.1、S/4HANA"', "F#", "Java"])
def test_mixed_tokens_do_not_match_what_is_not_there(app, admin, corpus, q):
    assert _key(corpus, "mixed") not in keys(find(app, q, admin))


def test_snippet_marks_the_original_text_of_a_normalised_match(app, admin, corpus):
    found = find(app, "ERP", admin)
    hit = next(h for h in found.hits if h.key == _key(corpus, "erp"))
    assert ("ＥＲＰ", True) in hit.snippet
    assert "ＥＲＰ" in snippets(found)


@pytest.mark.parametrize("q, name", [
    ("yinhang", "bank"), ("changsha", "bank"), ("shayin", "bank"), ("changshayinhang", "bank"), ("csyh", "bank"),
    ("yidong", "mobile"), ("huadong", "mobile"), ("dongyi", "mobile"), ("hdyd", "mobile"),
    ("taiwan", "telecom"), ("dageda", "telecom"),
    ("zengzhiqiang", "zeng"), ("zzq", "zeng"), ("zhiqiang", "zeng"), ("cengzhiqiang", "zeng"),
    ("shanxiongxin", "shan"), ("sxx", "shan"), ("xiongxin", "shan"),
    ("yuchigong", "yuchi"), ("yuchi", "yuchi"), ("ycg", "yuchi"),
    ("qiuying", "qiu"), ("zhaliangyong", "zha"), ("zhaizhigang", "zhai"), ("zzg", "zhai"),
])
def test_pinyin_runs_and_surname_readings_find_names(app, admin, corpus, q, name):
    assert _key(corpus, name) in keys(find(app, q, admin))


@pytest.mark.parametrize("q, name", [("yinhang", "mobile"), ("yidong", "bank"), ("zzq", "shan"),
                                     ("hd", "mobile"), ("yd", "mobile"), ("zhi", "shan")])
def test_pinyin_does_not_find_other_names(app, admin, corpus, q, name):
    assert _key(corpus, name) not in keys(find(app, q, admin))


def test_single_character_in_traditional_text_is_marked(app, admin, corpus):
    found = find(app, "迁", admin)
    hit = next(h for h in found.hits if h.key == _key(corpus, "trad"))
    assert ("遷", True) in hit.snippet
