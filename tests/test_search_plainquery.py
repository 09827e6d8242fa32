"""Issue 7 §7, a query's fixed cost: plain words are analysed once per distinct analyser (title, body and
names share one) and built into the parser's query directly (kb/search/plainquery.py). The forms must be
each field's own analyser's, and the query the parser's, for every kind of word people type."""
from __future__ import annotations

import random

import pytest
from whoosh import query as wq

from kb.search import plainquery
from kb.search import query as kbquery
from kb.search.analysis import MixedTokenizer
from kb.search.plainquery import FieldPlan, field_plans, plain_query, word_forms
from kb.search.query import ime_to_ascii, make_parser, widen
from kb.search.schema import TEXT_FIELDS, build_schema

#: Words of every kind the analysers treat differently.
WORDS = [
    "客户", "战略", "以客户为中心", "铁三角", "钢", "客",  # Chinese: bigrams, one character
    "戰略", "客戶關係", "銀行",  # traditional → simplified
    "strategy", "strategies", "Customers", "planning", "the", "and", "a", "to",  # English, stems, stop words
    "zgyd", "zhongguoyidong", "ccdw", "yiyao", "zhon",  # pinyin initials and syllables
    "13800138000", "01088886666", "2026", "5", "42",  # digits, phone numbers
    "iPhone15", "5G", "S4HANA", "MES3", "V5", "FY2026", "x_y", "a_b_c", "A1_b2",  # mixed letters and digits
    "中国移动2", "5G专网", "客户A", "X86服务器",  # Chinese next to letters or digits
    "ＺＧＹＤ", "１３８００１３８０００", "ｉＰｈｏｎｅ１５", "客户ＡＢ",  # full-width
    "café", "Straße", "naïve", "한국", "ひらがな", "Ελλάδα",  # accents, other scripts
    "___", "_客户_", "x__y", "x_x", "ab_ab_cd",  # underscores (word characters), repeated parts
]


@pytest.fixture(scope="module")
def plans():
    return field_plans(build_schema(), TEXT_FIELDS)


def _analysed(fieldname, word):
    field = build_schema()[fieldname]
    return list(field.process_text(word, mode="query", tokenize=True, removestops=True))


@pytest.mark.parametrize("word", WORDS)
def test_each_fields_forms_are_its_analysers(plans, word):
    forms = word_forms(plans, word)
    assert [p.name for p in plans] == list(TEXT_FIELDS)
    assert forms == [_analysed(p.name, word) for p in plans]


def test_the_text_fields_share_one_analysis_and_pinyin_has_its_own(plans, monkeypatch):
    calls = []
    real = MixedTokenizer.__call__

    def counting(self, value, **kwargs):
        calls.append(value)
        return real(self, value, **kwargs)

    monkeypatch.setattr(MixedTokenizer, "__call__", counting)
    forms = word_forms(plans, "iPhone15")
    assert calls == ["iPhone15"]  # title, body and names: one tokenisation
    by_field = dict(zip(TEXT_FIELDS, forms))
    assert by_field["title"] == by_field["body"] == by_field["names"] == ["iphone15"]
    assert by_field["pinyin"] == ["iphone15"]
    assert dict(zip(TEXT_FIELDS, word_forms(plans, "strategies"))) == {
        "title": ["strategi"], "body": ["strategi"], "pinyin": ["strategies"], "names": ["strategi"]}


def _parsers_query(text):
    q = make_parser().parse(text)
    return q.accept(widen).normalize() if q is not wq.NullQuery else q


@pytest.mark.parametrize("word", WORDS)
def test_a_plain_word_gives_the_parsers_query(plans, word):
    built = plain_query(plans, [word], widen)
    expected = _parsers_query(word)
    if built is None:  # a word with no token in any field: left to the parser
        assert all(not f for f in word_forms(plans, word))
        return
    assert built == expected
    assert repr(built) == repr(expected)


def test_examples_give_the_expected_queries(plans):
    assert repr(plain_query(plans, ["zgyd"], widen)) == (
        "Or([Term('title', 'zgyd', boost=2.0), Term('body', 'zgyd'), Prefix('pinyin', 'zgyd', boost=3.0), "
        "Term('names', 'zgyd', boost=4.0)])")
    assert repr(plain_query(plans, ["客"], widen)) == (
        "Or([Term('chars', '客', boost=2.0), Term('chars', '客'), Term('chars', '客', boost=4.0)])")
    both = plain_query(plans, ["客户", "客戶"], widen)  # the same word twice (traditional): one group
    assert both == _parsers_query("客户 客戶") and type(both) is wq.Or


def test_random_runs_of_words_give_the_parsers_query(plans):
    rng = random.Random(77)
    for _ in range(400):
        words = [rng.choice(WORDS) for _ in range(rng.randint(1, 4))]
        built = plain_query(plans, words, widen)
        if built is None:
            continue
        assert repr(built) == repr(_parsers_query(" ".join(words))), words


@pytest.mark.parametrize("kind", [wq.And, wq.Or])
@pytest.mark.parametrize("subqueries", [
    [wq.Term("title", "a")],
    [wq.Term("title", "a", boost=2.0)],
    [wq.Term("title", "a"), wq.Term("body", "a")],
    [wq.Term("title", "a"), wq.Term("title", "a")],  # duplicates: removed
    [wq.Or([wq.Term("title", "a"), wq.Term("body", "a")]), wq.Term("title", "b")],
    [wq.And([wq.Term("pinyin", "x"), wq.Term("pinyin", "y")]), wq.Term("title", "b")],  # merged into an And
    [wq.And([wq.Term("pinyin", "x"), wq.Term("pinyin", "x")])],  # inner duplicates
    [wq.Phrase("title", ["客户", "户战"], boost=2.0), wq.Prefix("pinyin", "zgyd", boost=3.0)],
    [wq.Or([wq.Term("title", "a"), wq.And([wq.Term("pinyin", "x"), wq.Term("pinyin", "y")])])],
    [wq.Term("title", "a"), wq.And([wq.Term("pinyin", "x"), wq.Term("pinyin", "x")])],
    [wq.Term("title", "a"), wq.And([wq.Term("pinyin", "x")])],
    [wq.Term("title", "a"), wq.And([wq.Term("pinyin", "x"), wq.Term("pinyin", "y")], boost=2.0)],
    [wq.Term("title", "a"), wq.And([wq.Term("pinyin", "x"), wq.And([wq.Term("pinyin", "y")])])],
])
def test_the_shortcut_normal_form_equals_whooshs(kind, subqueries):
    assert repr(plainquery._normalized(kind, list(subqueries))) == repr(kind(list(subqueries)).normalize())


def test_fields_the_plain_path_cannot_build_are_left_to_the_parser():
    from whoosh.fields import ID, NUMERIC, TEXT, Schema
    assert field_plans(Schema(a=TEXT(), n=NUMERIC()), {"a": 1.0, "n": 1.0}) is None  # self-parsing
    assert field_plans(Schema(a=TEXT(multitoken_query="or")), {"a": 1.0}) is None
    assert field_plans(Schema(a=TEXT(), b=ID()), {"a": 1.0}) == (
        FieldPlan("a", 1.0, Schema(a=TEXT())["a"].analyzer, "default"),)


@pytest.mark.parametrize("text", ["zgyd", "１３８－００１３－８０００", "客户 战略", "ＩＰＨＯＮＥ１５ 客户", "戰略"])
def test_user_queries_take_the_plain_path_and_match_the_parser(text, monkeypatch):
    kbquery._parsed.cache_clear()

    def broken():
        raise AssertionError("the generic parser was used")

    normalised = ime_to_ascii(text).strip()
    expected = _parsers_query(normalised)
    monkeypatch.setattr(kbquery, "make_parser", broken)
    assert repr(kbquery.parse_text(normalised)) == repr(expected)
    kbquery._parsed.cache_clear()


def test_a_cached_query_is_not_changed_by_the_searches_that_use_it(tmp_path):
    """The parse cache hands out the same query tree for the same text: searching with it (ranking,
    counting, the exact-name bonus, phrases verified) must leave it as it was parsed."""
    from whoosh import index as whoosh_index

    from kb.search.query import with_exact_name_bonus
    from kb.search.schema import build_schema
    from kb.search.searching import Scope, run_scoped
    from tests.test_search_sidefile import bench

    ix = whoosh_index.create_in(str(tmp_path), build_schema(), indexname="t")
    with ix.writer() as w:
        for doc in bench.make_corpus(120, 4):
            w.add_document(**doc)
    kbquery._parsed.cache_clear()
    texts = ["客户 战略", '"解决方案" 客户', "zgyd", "13800138000", "客", "strategy 钢铁"]
    before = {t: repr(kbquery.parse_text(t)) for t in texts}
    with ix.searcher() as searcher:
        for _ in range(2):
            for text in texts:
                q = kbquery.parse_text(text)
                for scope in (Scope(), Scope(excluded=[wq.Term("visibility", "team")])):
                    run_scoped(searcher, with_exact_name_bonus(q, text), scope, limit=10)
                    run_scoped(searcher, q, scope, limit=None)
                assert repr(kbquery.parse_text(text)) == before[text]
    assert kbquery._parsed.cache_info().hits >= len(texts) * 3
    kbquery._parsed.cache_clear()
    assert {t: repr(kbquery.parse_text(t)) for t in texts} == before  # the same as parsed afresh
    kbquery._parsed.cache_clear()
