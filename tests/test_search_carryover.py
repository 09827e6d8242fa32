"""Search answers carried over from one index generation to the next (kb.search.carryover): after an edit
(an update, a deletion, new documents — in another process, i.e. a new index generation), the next search
gives exactly what Whoosh's plain searcher gives — hits, totals, top-10 order and scores, facet counts, with
and without a reader's access filter — while only the new segments and the deleted documents are read:
the pieces of unchanged segments are reused (counted here, not timed)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.sorting import Count, FieldFacet

from kb.search import carryover
from kb.search.fastpath import top_and_total
from kb.search.query import make_parser, widen, with_exact_name_bonus
from kb.search.schema import FACET_FIELDS, INDEX_NAME, build_schema
from kb.search.searching import (
    Scope, _count_facets, _excluding, _segment_excluded, excluded_docs, hidden_for_team, restrict, run_scoped,
)
from kb.search.segcache import CACHE
from kb.search.sharing import open_reusing
from models import UserRole
from tests.fastpath_support import stock_query
from tests.search_support import find

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("kb_search_bench", ROOT / "bench" / "search_bench.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

N_DOCS = 300
QUERIES = ["客户", "战略", "客户 战略", '"客户 战略"', "铁三角 OR 战略", "解决方案", "客户 OR 项目"]
TEAM = [0, 2, 4]


def _parse(text):
    q = make_parser().parse(text).accept(widen).normalize()
    return with_exact_name_bonus(q, text)


def _scopes():
    return {
        "all": Scope(),
        "access": Scope(excluded=[hidden_for_team(TEAM), wq.Term("archived", "1")]),
        "filtered": Scope(required=[wq.Term("type", "interaction")], excluded=[hidden_for_team(TEAM)]),
    }


def _ranked(pairs):
    """docnums in rank order; scores equal to 9 digits count as ties (lower document number first)."""
    return [d for _s, d in sorted(pairs, key=lambda p: (-round(p[0], 9), p[1]))]


@pytest.fixture
def corpus(tmp_path):
    """(index folder, documents): two segments of the benchmark's generated corpus."""
    docs = list(bench.make_corpus(N_DOCS, 11))
    ix = whoosh_index.create_in(str(tmp_path), build_schema(), indexname=INDEX_NAME)
    for part in (docs[:150], docs[150:]):
        w = ix.writer()
        for doc in part:
            w.add_document(**doc)
        w.commit(merge=False)
    CACHE.clear()
    carryover.STATS.clear()
    return tmp_path, docs


def _edit(path, *, update=(), delete=(), add=()):
    """One writer's commit (as the outbox applies an edit), without merging segments."""
    ix = whoosh_index.open_dir(str(path), indexname=INDEX_NAME)
    w = ix.writer()
    for doc in update:
        w.update_document(**{**doc, "body": "客户战略的新版本 " + doc["body"][::-1]})
    for doc in delete:
        w.delete_by_term("key", doc["key"])
    for doc in add:
        w.add_document(**doc)
    w.commit(merge=False)


def _edits(docs):
    """What each generation does: update documents, delete some, add new ones."""
    new = [{**doc, "key": f"{doc['type']}:{1000 + i}", "doc_id": 1000 + i} for i, doc in enumerate(docs[:12])]
    return [{"update": docs[3:40:6]}, {"delete": docs[160:200:8]}, {"add": new}, {"update": new[:3]}]


def _assert_equal_to_whoosh(searcher, text, scope, label):
    q = _parse(text)
    mask = excluded_docs(searcher, scope)
    stock = searcher.search(stock_query(restrict(q, scope)), limit=None, mask=mask, terms=False)
    stock_all = [(hit.score, hit.docnum) for hit in stock]
    for limit in (10, 20):
        searcher.__dict__.pop("_kb_ranked", None)
        results, total = run_scoped(searcher, q, scope, limit=limit)
        assert total == len(stock), label
        got = [(hit.score, hit.docnum) for hit in results]
        assert _ranked(got) == _ranked(stock_all)[:limit], label
        assert [s for s, _d in got] == pytest.approx([s for s, _d in stock_all[:limit]]), label
        # ... and exactly (bit for bit, ties in the same order) what the uncached fast path gives.
        fast, fast_total = top_and_total(searcher, restrict(q, scope), mask, limit)
        assert (got, total) == ([(s, d) for s, d in fast.top_n], fast_total), label
    return len(stock)


@pytest.mark.parametrize("scope_name", ["all", "access", "filtered"])
def test_answers_after_every_kind_of_edit_equal_whoosh(corpus, scope_name):
    path, docs = corpus
    scope = _scopes()[scope_name]
    searcher, _ = open_reusing(path, None)
    totals = {text: _assert_equal_to_whoosh(searcher, text, scope, text) for text in QUERIES}
    assert totals["客户"] > 50  # a common word: the comparison is not about empty answers
    for step, edit in enumerate(_edits(docs)):
        _edit(path, **edit)
        searcher, _ = open_reusing(path, searcher)
        for text in QUERIES:
            _assert_equal_to_whoosh(searcher, text, scope, f"{text} after edit {step}")
    # The answers above were carried over (not recomputed every time) for the queries it knows.
    assert carryover.STATS["updated"] > 0 and carryover.STATS["kept"] > 0


def test_facet_counts_after_edits_equal_whoosh_grouping(corpus):
    path, docs = corpus
    scope = _scopes()["access"]
    searcher, _ = open_reusing(path, None)
    for edit in [{}, *_edits(docs)]:
        if edit:
            _edit(path, **edit)
            searcher, _ = open_reusing(path, searcher)
        for text in ("客户", "战略", "客户 OR 项目"):
            q = _parse(text)
            facets = {name: FieldFacet(name, maptype=Count) for name in FACET_FIELDS}
            results = searcher.search(stock_query(restrict(q, scope)), limit=None, scored=False,
                                      groupedby=facets, mask=excluded_docs(searcher, scope))
            expected = {name: {(k.decode() if isinstance(k, bytes) else str(k)): v
                               for k, v in results.groups(name).items() if k} for name in FACET_FIELDS}
            got = _count_facets(searcher, q, scope)
            assert {name: dict(got[name]) for name in FACET_FIELDS} == expected, text
    assert carryover.STATS["updated"] > 0


def test_only_new_segments_and_deleted_documents_are_read_after_an_edit(corpus, monkeypatch):
    path, docs = corpus
    scope = _scopes()["access"]
    grouped, counted = [], []  # segments whose matches were grouped (ranking) or read in full
    top = repr(restrict(_parse("客户"), scope))
    real_features, real_matching = carryover._features, carryover.matching_ids

    def features(q, sub):
        if repr(q) == top:
            grouped.append(sub)
        return real_features(q, sub)

    def matching(q, sub, within=None):
        if within is None and repr(q) == top:
            counted.append(sub.reader().segment().segment_id())
        return real_matching(q, sub, within)

    monkeypatch.setattr(carryover, "_features", features)

    monkeypatch.setattr(carryover, "matching_ids", matching)
    first, _ = open_reusing(path, None)
    before = run_scoped(first, _parse("客户"), scope, limit=10)[1]
    _count_facets(first, _parse("客户"), scope)
    assert len(grouped) == 2 and len(counted) == 4  # both segments, read for ranking and for facets
    deleted = next(d for d in docs[:150] if "客户" in d["body"] and d["visibility"] == "org")
    _edit(path, update=[deleted])  # segment 1 loses a match; the new version lands in a new segment
    grouped.clear(), counted.clear()
    carryover.STATS.clear()

    second, reused = open_reusing(path, first)
    assert reused == 2
    results, total = run_scoped(second, _parse("客户"), scope, limit=10)
    facets = _count_facets(second, _parse("客户"), scope)
    new_segment = second.reader().leaf_readers()[-1][0].segment().segment_id()
    assert [sub.reader().segment().segment_id() for sub in grouped] == [new_segment]
    assert counted == [new_segment, new_segment]
    assert carryover.STATS == {"computed": 2, "updated": 2, "kept": 2}
    assert total == before  # one match deleted, its new version added
    assert sum(facets["type"].values()) == total
    keys = [second.stored_fields(d)["key"] for d in range(second.doc_count_all())
            if not second.reader().is_deleted(d)]
    assert keys.count(deleted["key"]) == 1


def test_a_deleted_match_leaves_hits_total_and_facets_and_an_older_searcher_still_answers(tmp_path):
    ix = whoosh_index.create_in(str(tmp_path), build_schema(), indexname=INDEX_NAME)
    w = ix.writer()
    for i, industry in enumerate(["电信", "电信", "金融", "能源"]):
        w.add_document(key=f"account:{i}", type="account", title=f"客户{i}", body="重点客户 战略", chars="",
                       pinyin="", account_id=str(i), visibility="org", industry=industry)
    w.commit(merge=False)
    CACHE.clear()
    first, _ = open_reusing(tmp_path, None)
    results, total = run_scoped(first, _parse("客户"), Scope(), limit=10)
    assert total == 4
    assert _count_facets(first, _parse("客户"), Scope())["industry"] == {"电信": 2, "金融": 1, "能源": 1}
    ix.delete_by_term("key", "account:2")  # the only 金融 account
    second, _ = open_reusing(tmp_path, first)
    results, total = run_scoped(second, _parse("客户"), Scope(), limit=10)
    assert total == 3 and sorted(hit["key"] for hit in results) == ["account:0", "account:1", "account:3"]
    assert _count_facets(second, _parse("客户"), Scope())["industry"] == {"电信": 2, "能源": 1}  # no "金融: 0"
    # A search still holding the older searcher (another thread) gets the older answer, not the newer one.
    first.__dict__.pop("_kb_ranked", None)
    first.__dict__.pop("_kb_facets", None)
    assert run_scoped(first, _parse("客户"), Scope(), limit=10)[1] == 4
    assert _count_facets(first, _parse("客户"), Scope())["industry"]["金融"] == 1


def test_segment_groups_cover_every_match_once(corpus):
    path, _docs = corpus
    searcher, _ = open_reusing(path, None)
    scope = _scopes()["access"]
    queries, key = _excluding(scope)
    q = restrict(_parse("客户"), scope)
    for sub, _offset in searcher.leaf_searchers():
        excluded = _segment_excluded(sub, queries, key)
        groups = carryover.segment_groups(sub, q, ("t",), excluded)
        flat = [d for g in groups for d in g]
        assert len(flat) == len(set(flat)) > 0
        assert set(flat) == set(carryover.matching_ids(q, sub)) - excluded
        assert all(list(g) == sorted(g) for g in groups)
        # Documents of one group score the same (that is what lets one of them stand for all).
        scores = carryover.rescore(q, sub, set(flat))
        assert all(len({scores[d] for d in g}) == 1 for g in groups)
        assert len(groups) < len(flat)  # groups are fewer than documents: rescoring is cheap


def test_a_query_it_cannot_score_is_answered_as_before(corpus):
    path, _docs = corpus
    searcher, _ = open_reusing(path, None)
    q = _parse("strat*")  # a prefix: not carried over
    queries, key = _excluding(Scope())
    assert carryover.ranked(searcher, q, ("p",), lambda sub: _segment_excluded(sub, queries, key), 10) is None
    results, total = run_scoped(searcher, q, Scope(), limit=10)
    stock = searcher.search(stock_query(q), limit=None, mask=excluded_docs(searcher, Scope()))
    assert total == len(stock) > 0


def test_a_search_after_an_edit_shows_the_edit_with_its_counts(
        app, create_account, create_user):
    admin = create_user(role=UserRole.ADMIN, name="管理员")
    reader = create_user(role=UserRole.MEMBER, name="读者")
    first = create_account(name="华东客户甲")
    create_account(name="华南客户乙")
    assert find(app, "客户", admin).total == 2 and find(app, "客户", reader).total == 2
    with app.app_context():
        from kb.db import session
        from models import Account

        session.get(Account, first.id).name = "华东伙伴甲"
        session.commit()
    after = find(app, "客户", admin)
    assert after.total == 1 and [hit.title for hit in after.hits] == ["华南客户乙"]
    assert sum(after.facets["type"].values()) == 1
    assert find(app, "伙伴", reader).total == 1


def _segments(path):
    ix = whoosh_index.open_dir(str(path), indexname=INDEX_NAME)
    return [(s.segment_id(), s.doc_count_all()) for s in ix._segments()]


@pytest.mark.parametrize("policy", ["ours", "whoosh"])
def test_an_edit_merges_only_small_segments_so_large_ones_keep_their_caches(tmp_path, monkeypatch, policy):
    from whoosh.writing import MERGE_SMALL

    from kb.search import merging

    monkeypatch.setattr(merging, "LARGE_SEGMENT_DOCS", 20)
    monkeypatch.setattr(merging, "RECLAIM_DELETED", 1.0)  # half of it replaced: not worn for this test
    ix = whoosh_index.create_in(str(tmp_path), build_schema(), indexname=INDEX_NAME)
    w = ix.writer()
    for i in range(25):  # a large segment (as a rebuild leaves them), then edits of one document each
        w.add_document(key=f"account:{i}", type="account", title="客户", body="客户", chars="", pinyin="")
    w.commit(merge=False)
    large = _segments(tmp_path)[0]
    mergetype = merging.merge_small_segments if policy == "ours" else MERGE_SMALL
    for i in range(12):
        w = ix.writer()
        w.update_document(key=f"account:{i}", type="account", title="客户", body=f"客户 {i}", chars="", pinyin="")
        w.commit(mergetype=mergetype)
    segments = _segments(tmp_path)
    if policy == "whoosh":  # Whoosh's own policy rewrites the large segment under a new name: caches lost
        assert large not in segments
    else:
        assert large in segments and len(segments) <= 6  # the small ones were merged among themselves
    with ix.searcher() as searcher:
        assert searcher.doc_count() == 25


def test_a_large_segment_mostly_deleted_is_merged_so_old_versions_do_not_pile_up(tmp_path, monkeypatch):
    from kb.search import merging

    monkeypatch.setattr(merging, "LARGE_SEGMENT_DOCS", 20)
    ix = whoosh_index.create_in(str(tmp_path), build_schema(), indexname=INDEX_NAME)
    w = ix.writer()
    for i in range(25):
        w.add_document(key=f"account:{i}", type="account", title="客户", body="客户", chars="", pinyin="")
    w.commit(merge=False)
    large = _segments(tmp_path)[0]
    for i in range(6):  # 6 of 25 replaced: 24 % deleted, kept
        w = ix.writer()
        w.update_document(key=f"account:{i}", type="account", title="客户", body=f"客户 {i}", chars="", pinyin="")
        w.commit(mergetype=merging.merge_small_segments)
    assert large in _segments(tmp_path)
    w = ix.writer()  # the 7th: 28 % deleted, the large segment is rewritten without them
    w.update_document(key="account:6", type="account", title="客户", body="客户 6", chars="", pinyin="")
    w.commit(mergetype=merging.merge_small_segments)
    segments = _segments(tmp_path)
    assert large not in segments and sum(n for _, n in segments) == 25  # nothing deleted left behind
    with ix.searcher() as searcher:
        assert searcher.doc_count() == 25


def test_a_hidden_match_deleted_after_its_access_set_was_evicted_is_not_subtracted_twice(tmp_path):
    ix = whoosh_index.create_in(str(tmp_path), build_schema(), indexname=INDEX_NAME)
    w = ix.writer()
    for i, visibility in enumerate(["org", "org", "team", "team"]):  # account 9's team-only visits: hidden
        w.add_document(key=f"interaction:{i}", type="interaction", title="", body="客户拜访", chars="",
                       pinyin="", account_id=("1", "1", "9", "9")[i], visibility=visibility, industry="电信")
    w.commit(merge=False)
    CACHE.clear()
    scope = Scope(excluded=[hidden_for_team([1])])
    first, _ = open_reusing(tmp_path, None)
    assert run_scoped(first, _parse("客户"), scope, limit=10)[1] == 2
    assert _count_facets(first, _parse("客户"), scope)["industry"] == {"电信": 2}
    ix.delete_by_term("key", "interaction:2")  # a match the reader never saw
    for key in [k for k in list(CACHE._items) if k[0] == "excluded"]:  # the access sets were evicted
        CACHE._items.pop(key)
    second, _ = open_reusing(tmp_path, first)
    results, total = run_scoped(second, _parse("客户"), scope, limit=10)
    assert total == 2 and sorted(hit["key"] for hit in results) == ["interaction:0", "interaction:1"]
    assert _count_facets(second, _parse("客户"), scope)["industry"] == {"电信": 2}
