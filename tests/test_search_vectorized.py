"""The array paths of many-match queries (kb.search.vectorized): phrase verification and the carry-over
grouping over numpy arrays give the same answers as Whoosh's plain searcher and as the per-document paths —
totals, hits, order and scores, with and without the access filter, over segments with deletions and
updates; phrases with repeated and overlapping words ("客户客户") agree with Whoosh's Phrase."""
from __future__ import annotations

from array import array
from itertools import accumulate

import pytest
from whoosh import index as whoosh_index

from kb.search import carryover, phrases, scores, vectorized
from kb.search import sidewrite
from kb.search.schema import INDEX_NAME, build_schema
from kb.search.searching import Scope, excluded_docs, hidden_for_team, restrict, run_scoped
from kb.search.segcache import CACHE
from kb.search.sharing import open_reusing
from tests.fastpath_support import stock_query
from tests.test_search_fastpath_corpus import CLASSES, _parse, _ranked
from tests.test_search_sidefile import _answers, _cold, corpus  # noqa: F401 — (the fixture)


@pytest.fixture
def arrays_always(monkeypatch):
    """Every phrase verification and grouping takes the array path, whatever its size."""
    monkeypatch.setattr(vectorized, "MIN_DOCUMENTS", 1)


@pytest.fixture
def arrays_never(monkeypatch):
    monkeypatch.setattr(vectorized, "MIN_DOCUMENTS", 10**9)


def _reference(words, candidates):
    """Brute force: candidates where word k sits at p + k for some p (words: (ids, per-doc positions))."""
    found = set()
    for d in candidates:
        lists = [dict(zip(ids, positions)).get(d, []) for ids, positions in words]
        if any(all(p + k in lists[k] for k in range(len(words))) for p in lists[0]):
            found.add(d)
    return found


def _flat(ids, positions):
    starts = array("I", [0, *accumulate(len(p) for p in positions)])
    return array("i", ids), starts, array("I", [p for ps in positions for p in ps])


@pytest.mark.parametrize("words, candidates", [
    # 客户客户: the words 客户, 户客, 客户 (the first word again, two places on): overlaps and repeats.
    ([([1, 2, 3, 4], [[0, 2], [0], [0, 5], [3, 5, 7]]),
      ([1, 2, 3, 4], [[1], [1], [6], [4, 6]]),
      ([1, 2, 3, 4], [[0, 2], [0], [0, 5], [3, 5, 7]])], {1, 2, 3, 4}),
    # Two words; a candidate without positions of the second word, one past the end, large positions.
    ([([5, 9, 12], [[10, 40], [3], [70000, 70002]]),
      ([5, 9], [[41], [5]])], {5, 9, 12}),
    # Only the last of several starts continues.
    ([([0], [[1, 4, 9]]), ([0], [[2, 6, 10]]), ([0], [[3, 11]])], {0}),
])
def test_phrase_positions_over_arrays_agree_with_brute_force(words, candidates):
    flat = [_flat(ids, positions) for ids, positions in words]
    expected = _reference(words, candidates)
    assert vectorized.verify_phrase(flat, candidates) == expected
    if not all(candidates <= set(ids) for ids, _positions in words):
        return  # (the per-document path is only ever given candidates holding every word)
    per_document = phrases._verify_flat([(ids, phrases.PositionLists(starts, positions))
                                         for ids, starts, positions in flat], candidates)
    assert per_document == expected


def test_phrase_positions_answers_are_the_documents_expected():
    words = [([1, 2, 3, 4], [[0, 2], [0], [0, 5], [3, 5, 7]]),
             ([1, 2, 3, 4], [[1], [1], [6], [4, 6]]),
             ([1, 2, 3, 4], [[0, 2], [0], [0, 5], [3, 5, 7]])]
    # 1: 客户客户 at 0; 2: 客户户客 only; 3: 客户 at 5, 户客 at 6, no 客户 at 7; 4: at 3 and at 5.
    assert vectorized.verify_phrase([_flat(*w) for w in words], {1, 2, 3, 4}) == {1, 4}
    assert vectorized.verify_phrase([_flat(*w) for w in words], set()) == set()


@pytest.fixture
def repeats(tmp_path):
    """An index (with its side file) of bodies repeating and overlapping 客户 and 户客."""
    bodies = ["客户客户", "客户户客", "客户客", "户客户客户", "客户 客户", "我们的客户客户客户很多", "客户战略客户",
              "战略客户客户战略", "客户", "户客"] * 30
    ix = whoosh_index.create_in(str(tmp_path), build_schema(), indexname=INDEX_NAME)
    with ix.writer() as w:
        for i, body in enumerate(bodies):
            w.add_document(key=f"plan:{i}", type="plan", title="", body=body, archived="0", visibility="org")
    assert sidewrite.write_side_files(ix, min_docs=1) == 1
    _cold()
    yield ix
    _cold()


@pytest.mark.parametrize("text", ['"客户客户"', '"客户客户客户"', '"户客户"', '"客户户客"', '"战略客户客户"',
                                  "客户客户 战略"])
@pytest.mark.parametrize("path", ["arrays_always", "arrays_never"])
def test_repeated_words_phrases_equal_whoosh_phrase(repeats, text, path, request):
    request.getfixturevalue(path)
    _cold()
    with repeats.searcher() as searcher:
        q = _parse(text)
        results, total = run_scoped(searcher, q, Scope(), limit=10)
        stock = searcher.search(stock_query(q), limit=None, mask=excluded_docs(searcher, Scope()))
        assert total == len(stock) > 0
        assert [h.docnum for h in results] == _ranked([(h.score, h.docnum) for h in stock])[:10]
        assert [h.score for h in results] == pytest.approx([h.score for h in stock][:10])


@pytest.mark.parametrize("kind", CLASSES)
def test_answers_over_arrays_equal_whoosh(corpus, kind, arrays_always):  # noqa: F811
    _path, ix, mix, team = corpus
    answers = _answers(ix, mix, team, kinds=(kind,))
    with ix.searcher() as searcher:
        for filtered in (False, True):
            scope = Scope(excluded=[hidden_for_team(team)] if filtered else [])
            mask = excluded_docs(searcher, scope)
            for text in mix[kind]:
                stock = searcher.search(stock_query(_parse(text)), limit=None, mask=mask, terms=False)
                total, top, everything = answers[kind, filtered, text]
                stock_all = [(hit.score, hit.docnum) for hit in stock]
                assert total == len(stock), text
                assert _ranked(top) == _ranked(stock_all)[:10], text
                assert [s for s, _d in top] == pytest.approx([s for s, _d in stock_all[:10]]), text
                assert everything == {d for _s, d in stock_all}, text


@pytest.mark.parametrize("text", ["客户", "客户 战略", "铁三角 数据中心", '"解决方案"', "战略意图 客户"])
def test_groups_over_arrays_equal_the_per_document_groups(corpus, text, monkeypatch):  # noqa: F811
    """The same partition of the matches (so the same stand-ins are rescored), over segments with
    deletions, with the access filter; each group ascending; a group's documents score alike."""
    _path, ix, _mix, team = corpus
    scope = Scope(excluded=[hidden_for_team(team)])
    q = restrict(_parse(text), scope)
    with ix.searcher() as searcher:
        mask_all = excluded_docs(searcher, scope)
        for sub, offset in searcher.leaf_searchers():
            excluded = frozenset(d - offset for d in mask_all if offset <= d < offset + sub.doc_count_all())
            found = {}
            for path, least in (("arrays", 1), ("lists", 10**9)):
                CACHE.clear()
                monkeypatch.setattr(vectorized, "MIN_DOCUMENTS", least)
                found[path] = carryover.segment_groups(sub, q, (path,), excluded)
            arrays, lists = found["arrays"], found["lists"]
            assert sorted(map(list, arrays)) == sorted(map(list, lists)), text
            assert all(type(g) is array and list(g) == sorted(g) for g in arrays)
            flat = {d for g in arrays for d in g}
            rescored = carryover.rescore(q, sub, flat)
            assert all(len({rescored[d] for d in g}) == 1 for g in arrays)


def test_a_term_absent_from_a_field_does_not_split_groups_by_its_length(tmp_path, arrays_always):
    ix = whoosh_index.create_in(str(tmp_path), build_schema(), indexname=INDEX_NAME)
    with ix.writer() as w:
        for i, title in enumerate(["短标题", "一个长得多的标题文字在这里", "客户"]):
            w.add_document(key=f"plan:{i}", type="plan", title=title, body="客户关系", archived="0",
                           visibility="org")
    CACHE.clear()
    searcher, _ = open_reusing(tmp_path, None)
    q = restrict(_parse("客户"), Scope())
    (sub, _offset), = searcher.leaf_searchers()
    assert sorted(list(g) for g in carryover.segment_groups(sub, q, ("v",), frozenset())) == [[0, 1], [2]]


def test_term_columns_mark_absence_and_lengths():
    codes = vectorized.np.array([0, 5, 5, 9, 7], dtype=vectorized.np.uint8)
    docs = vectorized.documents({0, 1, 2, 3, 4})
    (weight, any_values), (code, span) = vectorized.term_columns(array("i", [1, 3]), array("f", [2.0, 1.0]),
                                                                 codes, docs)
    assert any_values is None and span == 256
    assert weight.tolist() == [float("-inf"), 2.0, float("-inf"), 1.0, float("-inf")]
    assert code.tolist() == [0, 5, 0, 9, 0]  # (a length only where the term is)
    same_weights = vectorized.term_columns(array("i", [1, 3]), array("f", [2.0, 2.0]), codes, docs)
    groups = vectorized.group_documents(docs, same_weights)
    assert sorted(map(list, groups)) == [[0, 2, 4], [1], [3]]


def test_the_idf_kept_for_a_searcher_is_not_used_by_the_next_generation(tmp_path):
    """A term's idf is kept per searcher: after documents are added, the new searcher's scores are
    Whoosh's for the new statistics."""
    ix = whoosh_index.create_in(str(tmp_path), build_schema(), indexname=INDEX_NAME)
    with ix.writer() as w:
        for i in range(6):
            w.add_document(key=f"plan:{i}", type="plan", title="", body="客户" if i < 2 else "战略",
                           archived="0", visibility="org")
    CACHE.clear()
    first, _ = open_reusing(tmp_path, None)
    before = run_scoped(first, _parse("客户"), Scope(), limit=10)[0]
    assert len(first.__dict__["_kb_idf"]) >= 1
    with ix.writer() as w:
        for i in range(6, 12):
            w.add_document(key=f"plan:{i}", type="plan", title="", body="客户 战略", archived="0",
                           visibility="org")
    second, _ = open_reusing(tmp_path, first)
    results, total = run_scoped(second, _parse("客户"), Scope(), limit=10)
    stock = second.search(_parse("客户"), limit=10, mask=excluded_docs(second, Scope()))
    assert total == 8
    assert [h.score for h in results] == pytest.approx([h.score for h in stock])
    assert results[0].score != pytest.approx(before[0].score)  # (the idf did change)
    assert scores.IDFS_PER_SEARCHER > 0


@pytest.mark.parametrize("text", ["客户", "客户 战略", "铁三角 数据中心", "\"解决方案\""])
def test_rescoring_over_arrays_gives_the_very_same_floats(corpus, text, monkeypatch):  # noqa: F811
    """Every matched document rescored over arrays and per document: equal scores, bit for bit (the
    carried-over top 10 is ordered by them, ties by document number), deleted documents left out."""
    _path, ix, _mix, _team = corpus
    q = restrict(_parse(text), Scope())
    with ix.searcher() as searcher:
        checked = 0
        for sub, _offset in searcher.leaf_searchers():
            matched = carryover.matching_ids(q, sub)
            if not matched:
                continue
            found = {}
            for path, least in (("arrays", 1), ("lists", 10**9)):
                monkeypatch.setattr(vectorized, "MIN_DOCUMENTS", least)
                found[path] = carryover.rescore(q, sub, matched | set(sub.reader().deleted_docs_set))
            assert found["arrays"] == found["lists"], text
            assert not set(found["arrays"]) & set(sub.reader().deleted_docs_set)
            checked += len(found["arrays"])
        assert checked > 0


def test_dense_codes_number_values_missing_from_the_first_documents_too():
    np = vectorized.np
    column = np.concatenate([np.ones(vectorized.SAMPLE, dtype=np.float32), np.array([7.0, -np.inf, 5.0, 1.0],
                                                                                     dtype=np.float32)])
    codes, count = vectorized.dense_codes(column)
    assert count == 4
    assert codes[-4:].tolist() == [3, 0, 2, 1] and set(codes[:vectorized.SAMPLE].tolist()) == {1}
    assert vectorized.dense_codes(np.array([2.0, 2.0, 3.0]))[0].tolist() == [0, 0, 1]
