"""One searcher per process, shared by its threads and refreshed segment by segment (kb.search.sharing), and
the size-bounded per-segment caches (kb.search.segcache): after an edit only the new segment is read, an
updated document is found once (its old version never), and a replaced searcher keeps working."""
from __future__ import annotations

import sys
import threading

import pytest
from whoosh import index as whoosh_index

from kb.search import get_index
from kb.search.fastpath import count_matching
from kb.search.query import make_parser, widen
from kb.search.schema import build_schema
from kb.search.searching import Scope, excluded_docs, hidden_for_team, run_scoped
from kb.search.segcache import SegmentCache
from kb.search.sharing import open_reusing
from models import UserRole
from tests.search_support import find

TEXTS = ["组建铁三角，明确分工", "以客户为中心的市场战略", "strategy planning for customers", "客户拜访纪要"]


def _add(w, key, text, account="1", visibility="org"):
    w.add_document(key=key, type="interaction", title="", body=text, chars=text, pinyin="",
                   account_id=account, visibility=visibility)


@pytest.fixture
def index_dir(tmp_path):
    ix = whoosh_index.create_in(str(tmp_path), build_schema(), indexname="kb")
    for segment in range(2):  # two segments of four documents, half of them team-only
        w = ix.writer()
        for i, text in enumerate(TEXTS):
            _add(w, f"interaction:{segment * 10 + i}", text, account=str(i), visibility=("org", "team")[i % 2])
        w.commit(merge=False)
    return tmp_path


def _q(text):
    return make_parser().parse(text).accept(widen).normalize()


def _update(path, key, text):
    ix = whoosh_index.open_dir(str(path), indexname="kb")
    w = ix.writer()
    w.delete_by_term("key", key)
    _add(w, key, text)
    w.commit(merge=False)


def _keys(searcher, text):
    results, total = run_scoped(searcher, _q(text), Scope(), limit=None)
    return sorted(hit["key"] for hit in results), total


def test_a_refresh_reuses_the_unchanged_segments_and_sees_the_edit(index_dir):
    first, reused = open_reusing(index_dir, None)
    assert reused == 0
    assert _keys(first, "铁三角") == (["interaction:0", "interaction:10"], 2)
    _update(index_dir, "interaction:10", "组建铁军，年度复盘")  # segment 2 gets a deletion, segment 3 is new

    second, reused = open_reusing(index_dir, first)
    assert reused == 2  # the two old segments' open readers, not reopened
    old_terms = {id(r._terms) for r, _ in first.reader().leaf_readers()}
    assert sum(id(r._terms) in old_terms for r, _ in second.reader().leaf_readers()) == 2
    # The edit is seen: the old text is gone, the new one is found once, totals as Whoosh counts them.
    assert _keys(second, "铁三角") == (["interaction:0"], 1)
    assert _keys(second, "铁军") == (["interaction:10"], 1)
    fresh = whoosh_index.open_dir(str(index_dir), indexname="kb").searcher()
    for text in ("铁三角", "客户", "strategy", "铁军 OR 客户", "战略"):
        expected = len(list(_q(text).docs(fresh)))
        assert count_matching(second, _q(text), set()) == expected, text
    # The replaced searcher was not closed under whoever still reads it: it still answers, as before.
    assert _keys(first, "铁三角") == (["interaction:0", "interaction:10"], 2)


def test_access_filter_sets_are_kept_per_segment_and_only_new_segments_are_computed(index_dir, monkeypatch):
    from kb.search import searching

    scope = Scope(excluded=[hidden_for_team([0])])  # team of account 0: team-only docs of accounts 1, 3 hidden
    computed = []
    real = searching._segment_excluded

    def counting(sub, queries, key):
        computed.append(sub.reader().segment().segment_id())
        return real(sub, queries, key)

    monkeypatch.setattr(searching, "_segment_excluded", counting)
    searching.CACHE.clear()
    first, _ = open_reusing(index_dir, None)
    hidden = excluded_docs(first, scope)
    assert len(hidden) == 4  # docs 1 and 3 of both segments (no bookkeeping document here)
    _update(index_dir, "interaction:11", "客户拜访纪要（补充）")  # a team-only doc of account 1, now org

    second, _ = open_reusing(index_dir, first)
    before = searching.CACHE.misses
    hidden = excluded_docs(second, scope)
    assert searching.CACHE.misses - before == 1  # only the new segment was computed
    visible = {second.stored_fields(d)["key"] for d in range(second.doc_count_all())
               if d not in hidden and not second.reader().is_deleted(d)}
    assert visible == {"interaction:0", "interaction:2", "interaction:10", "interaction:12", "interaction:11"}
    results, total = run_scoped(second, _q("客户"), scope, limit=None)
    assert (total, [h["key"] for h in results]) == (1, ["interaction:11"])  # the others are team-only


def test_the_cache_is_bounded_by_size_least_recently_used_first():
    cache = SegmentCache(budget=1000)
    for name in "abcd":
        cache.put((name,), name.upper(), 250)
    assert cache.size == 1000
    assert cache.get(("a",)) == "A"  # a is now the most recently used
    cache.put(("e",), "E", 200)  # over budget: b (least recently used) goes, a stays
    assert cache.get(("b",)) is None and cache.get(("a",)) == "A" and cache.get(("e",)) == "E"
    assert cache.size == 950
    cache.put(("huge",), "H", 300)  # more than a quarter of the budget: computed, not kept
    assert cache.get(("huge",)) is None and cache.size == 950


def test_threads_of_a_process_share_one_searcher(app, create_account, create_user):
    admin = create_user(role=UserRole.ADMIN, name="管理员")
    create_account(name="中国中车")
    assert find(app, "中车", admin).total == 1
    seen = []
    with app.app_context():
        index = get_index()
        seen.append(index.searcher())

    def other():
        with app.app_context():
            seen.append(get_index().searcher())

    thread = threading.Thread(target=other)
    thread.start()
    thread.join(10)
    assert len(seen) == 2 and seen[0] is seen[1]


def test_an_edit_is_found_by_the_next_search_of_every_thread(app, create_account, create_user):
    admin = create_user(role=UserRole.ADMIN, name="管理员")
    account = create_account(name="中国中车")
    assert find(app, "中车", admin).total == 1
    with app.app_context():
        from kb.db import session
        from models import Account

        session.get(Account, account.id).name = "华东铁路"
        session.commit()
    outcomes = []
    thread = threading.Thread(target=lambda: outcomes.append((find(app, "中车", admin).total,
                                                               find(app, "铁路", admin).total)))
    thread.start()
    thread.join(20)
    assert outcomes == [(0, 1)]
    assert find(app, "中车", admin).total == 0 and find(app, "华东铁路", admin).total == 1


def test_facet_counts_from_the_matching_set_equal_whoosh_grouping(index_dir):
    from whoosh.sorting import Count, FieldFacet

    from kb.search.searching import _count_facets, excluded_docs, restrict
    from kb.search.schema import FACET_FIELDS

    ix = whoosh_index.open_dir(str(index_dir), indexname="kb")
    w = ix.writer()
    for i in range(12):  # a third segment with every facet field set, one document deleted elsewhere
        w.add_document(key=f"plan:{i}", type=("plan", "account")[i % 2], title="客户战略", body="客户 战略",
                       chars="", pinyin="", account_id=str(i % 4), visibility=("org", "team")[i % 3 == 0],
                       group_id=str(i % 3), industry=("电信", "金融")[i % 2], region=("华东", "华南", "")[i % 3])
    w.delete_by_term("key", "interaction:1")
    w.commit(merge=False)
    searcher, _ = open_reusing(index_dir, None)
    scope = Scope(excluded=[hidden_for_team([1, 2])])
    for text in ("客户", "战略", "客户 OR strategy", "铁三角"):
        q = _q(text)
        facets = {name: FieldFacet(name, maptype=Count) for name in FACET_FIELDS}
        results = searcher.search(restrict(q, scope), limit=None, scored=False, groupedby=facets,
                                  mask=excluded_docs(searcher, scope))
        expected = {name: {(k.decode() if isinstance(k, bytes) else str(k)): v
                           for k, v in results.groups(name).items() if k} for name in FACET_FIELDS}
        got = _count_facets(searcher, q, scope)
        assert {name: dict(got[name]) for name in FACET_FIELDS} == expected, text
    assert _count_facets(searcher, _q("客户"), scope)["group_id"] == {"1": 4, "2": 4, "0": 2}  # 0 and 3 are hidden


def test_ranked_answers_are_reused_only_for_the_same_query_and_reader_scope(index_dir):
    searcher, _ = open_reusing(index_dir, None)
    on_team = Scope(excluded=[hidden_for_team([1, 3])])  # sees every document
    outside = Scope(excluded=[hidden_for_team([])])  # sees no team-only document
    first = run_scoped(searcher, _q("客户"), on_team, limit=10)
    again = run_scoped(searcher, _q("客户"), on_team, limit=10)
    assert [h["key"] for h in again[0]] == [h["key"] for h in first[0]] and again[1] == first[1] == 4
    assert len(searcher.__dict__["_kb_ranked"]) == 1  # ranked once
    results, total = run_scoped(searcher, _q("客户"), outside, limit=10)
    assert (total, [h["key"] for h in results]) == (0, [])  # never another reader's answer


def test_a_searcher_reads_compound_segments_in_place_instead_of_copying_them(tmp_path):
    """Whoosh copied every file of a compound segment (postings, stored fields) into the worker's memory
    (BytesIO over the memory map); kb.search.compat reads the memory map in place (the OS file cache,
    shared by every worker), and everything still reads right."""
    import io

    ix = whoosh_index.create_in(str(tmp_path), build_schema(), indexname="kb")
    w = ix.writer()
    for i in range(200):
        _add(w, f"interaction:{i}", f"第{i}次拜访 客户 战略 " + "交付计划与里程碑 " * 50)
    w.commit()
    searcher, _ = open_reusing(tmp_path, None)
    reader = searcher.reader()
    assert reader.segment().is_compound()
    results, total = run_scoped(searcher, _q("客户"), Scope(), limit=10)
    assert total == 200 and "交付计划" in results[0]["body"]
    assert _keys(searcher, '"第17次拜访"') == (["interaction:17"], 1)
    opened = [reader._terms._postfile, *(f for f, _, _ in reader._perdoc._colfiles.values())]
    assert opened and not any(isinstance(f.file, io.BytesIO) for f in opened)  # no copy of the segment


def test_threads_reading_one_shared_searcher_get_the_right_answers(index_dir):
    """Whoosh reads posting blocks with seek() then read() on the segment's file: with one searcher shared
    by the threads, each thread keeps its own position (compat._ViewFile), so answers never mix."""
    from kb.search.fastpath import _decode_positions  # noqa: F401 — the same process-wide caches as a worker
    from kb.search.segcache import CACHE

    ix = whoosh_index.open_dir(str(index_dir), indexname="kb")
    w = ix.writer()
    for i in range(400):  # several posting blocks per term
        _add(w, f"plan:{i}", ("客户战略" if i % 2 else "铁三角交付") + f" 第{i}次")
    w.commit()
    searcher, _ = open_reusing(index_dir, None)
    expected = {text: _keys(searcher, text) for text in ("客户", "铁三角", "交付", "战略")}
    errors = []

    def read(text):
        try:
            for _ in range(15):
                CACHE.clear()  # read the blocks from the file each time, concurrently
                got = _keys(searcher, text)
                searcher.__dict__.pop("_kb_ranked", None)
                if got != expected[text]:
                    errors.append((text, got[1]))
        except Exception as exc:  # noqa: BLE001 — a garbled block read raises; the test reports it
            errors.append((text, repr(exc)))

    threads = [threading.Thread(target=read, args=(text,)) for text in expected for _ in range(2)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: a shared position shows at once
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        sys.setswitchinterval(interval)
    assert errors == []
    assert expected["客户"][1] == 200 + 4 and expected["铁三角"][1] == 200 + 2
