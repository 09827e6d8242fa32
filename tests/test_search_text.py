"""What people type finds what they mean: Chinese substrings and single characters, phrases, English
word forms, pinyin of names, operators and field prefixes, did-you-mean."""
from __future__ import annotations

import pytest

from models import UserRole

from .search_support import find, keys, snippets


@pytest.fixture
def admin(create_user):
    return create_user(role=UserRole.ADMIN)


@pytest.fixture
def corpus(create_account, create_plan, create_interaction, create_stakeholder):
    mobile = create_account(name="中国移动", aliases=["中移动", "CMCC"], name_en="China Mobile")
    bank = create_account(name="招商银行", name_en="China Merchants Bank")
    docs = {
        "mobile": mobile, "bank": bank,
        "plan": create_plan(mobile, strategy="以客户为中心的市场战略", profit_model="Planning the CRM系统 upgrade and strategies",
                            sections={"competitors": "Competitors: 华为 and 中兴"}),
        "triangle": create_interaction(bank, title="客户群会议", summary="组建铁三角，明确分工"),
        "split": create_interaction(bank, title="拜访", summary="铁路与三角形的项目"),
        "person": create_stakeholder(mobile, name="张伟", title="CIO", notes="负责数字化转型"),
    }
    return docs


@pytest.mark.parametrize("q", ["客户", "市场战略", "中心的市场", "以客户为中心的市场战略"])
def test_chinese_substrings_find_the_plan(app, admin, corpus, q):
    assert f"plan:{corpus['plan'].id}" in keys(find(app, q, admin))


@pytest.mark.parametrize("q", ["客中", "战略市场", "中心市场"])
def test_chinese_non_substrings_do_not_match(app, admin, corpus, q):
    assert f"plan:{corpus['plan'].id}" not in keys(find(app, q, admin))


@pytest.mark.parametrize("char", ["客", "略", "心"])  # first, last and middle of the run
def test_single_character_finds_every_run_containing_it(app, admin, corpus, char):
    found = find(app, char, admin)
    assert f"plan:{corpus['plan'].id}" in keys(found)
    assert char in snippets(found)


def test_single_character_absent_finds_nothing(app, admin, corpus):
    assert find(app, "鑫", admin).total == 0


def test_phrase_matches_only_the_contiguous_words(app, admin, corpus):
    found = find(app, '"铁三角"', admin)
    assert keys(found) == {f"interaction:{corpus['triangle'].id}"}
    hit = found.hits[0]
    assert ("铁三角", True) in hit.snippet


@pytest.mark.parametrize("q", ["planned", "PLANNING", "strategy", "competitor"])
def test_english_words_match_other_forms(app, admin, corpus, q):
    assert f"plan:{corpus['plan'].id}" in keys(find(app, q, admin))


def test_mixed_latin_and_chinese(app, admin, corpus):
    assert f"plan:{corpus['plan'].id}" in keys(find(app, "CRM系统", admin))
    assert f"plan:{corpus['plan'].id}" in keys(find(app, "crm", admin))


@pytest.mark.parametrize("q", ["zgyd", "zhongguoyidong", "zhongguo", "ZGYD", "zyd", "cmcc", "China Mobile"])
def test_account_found_by_pinyin_aliases_and_english_name(app, admin, corpus, q):
    assert f"account:{corpus['mobile'].id}" in keys(find(app, q, admin))


@pytest.mark.parametrize("q", ["zhangwei", "zw"])
def test_stakeholder_found_by_pinyin(app, admin, corpus, q):
    assert f"stakeholder:{corpus['person'].id}" in keys(find(app, q, admin))


def test_pinyin_of_one_account_does_not_find_another(app, admin, corpus):
    assert f"account:{corpus['bank'].id}" not in keys(find(app, "zgyd", admin))


def test_or_not_and_field_prefix(app, admin, corpus):
    triangle, split = f"interaction:{corpus['triangle'].id}", f"interaction:{corpus['split'].id}"
    assert {triangle, split} <= keys(find(app, "铁三角 OR 三角形", admin))
    assert keys(find(app, "三角 NOT 铁路", admin)) == {triangle}
    assert keys(find(app, "title:客户群", admin)) == {triangle}
    assert keys(find(app, "title:铁三角", admin)) == set()
    assert keys(find(app, "type:stakeholder 数字化", admin)) == {f"stakeholder:{corpus['person'].id}"}


def test_did_you_mean_for_english_typos(app, admin, corpus):
    found = find(app, "competitrs", admin)
    assert found.total == 0
    assert found.suggestion == "competitors"
    assert find(app, "competitors", admin).suggestion is None


def test_newest_first_sort(app, admin, corpus):
    found = find(app, "三角", admin, sort="newest")
    dates = [h.date for h in found.hits]
    assert dates == sorted(dates, reverse=True) and len(dates) == 2


def test_whoosh_and_not_excludes_the_first_candidate_too():
    """whoosh-reloaded 2.7.5's AndNotMatcher skipped the check of its first document (kb.search.compat)."""
    from whoosh import query as wq
    from whoosh.filedb.filestore import RamStorage

    import kb.search  # noqa: F401 — installs the fixes
    from kb.search.schema import build_schema

    ix = RamStorage().create_index(build_schema(), indexname="kb")
    writer = ix.writer()
    for key, visibility in [("a", "org"), ("b", "team"), ("c", "org"), ("d", "team")]:
        writer.add_document(key=key, account_id="1", visibility=visibility, body="智能电表")
    writer.commit()
    with ix.searcher() as searcher:
        excluded = wq.AndNot(wq.Term("visibility", "team"), wq.Term("account_id", "1"))  # matches nothing
        assert list(searcher.docs_for_query(excluded)) == []
        q = wq.AndNot(wq.Term("body", "智能"), wq.Term("visibility", "team"))
        assert sorted(searcher.stored_fields(n)["key"] for n in searcher.docs_for_query(q)) == ["a", "c"]


def test_snippets_are_plain_text_around_the_match():
    from kb.search.snippets import make_snippet, marked_text

    text = "开头 " + "填充" * 100 + " 拜访 **蒋敏**（政企客户部主任）\n- 关注 [专线](http://x) 需求 " + "结尾" * 100
    snippet = marked_text(make_snippet(text, {"客户"}, set()))
    assert "«客户»" in snippet and "蒋敏" in snippet and "专线" in snippet
    assert "**" not in snippet and "](" not in snippet and "\n" not in snippet
    assert snippet.startswith("…") and snippet.endswith("…") and len(snippet) < 200
