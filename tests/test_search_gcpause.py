"""Two-word queries made cheaper (issue 7 §7): the carried-over groups key a term's field length only where
the term occurs (fewer groups, the same scores), and the cyclic garbage collector is held off while a
search computes its answer (kb.search.gcpause) — answers unchanged, the collector's state restored."""
from __future__ import annotations

import gc
import threading
from array import array

from whoosh import index as whoosh_index

from kb.search import carryover
from kb.search.carryover import _weights_of
from kb.search.gcpause import gc_paused, paused
from kb.search.schema import INDEX_NAME, build_schema
from kb.search.searching import Scope, restrict, run_scoped
from kb.search.segcache import CACHE
from kb.search.sharing import open_reusing
from tests.test_search_carryover import _parse


def test_paused_holds_the_collector_off_and_restores_it():
    assert gc.isenabled()
    with paused():
        assert not gc.isenabled()
        with paused():  # nested (a search inside a search's callback)
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer search is still under way
    assert gc.isenabled()


def test_paused_leaves_a_disabled_collector_disabled():
    gc.disable()
    try:
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the process had turned it off: it stays off
    finally:
        gc.enable()


def test_the_last_of_two_threads_turns_the_collector_back_on():
    inside, release = threading.Event(), threading.Event()

    def other():
        with paused():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    inside.wait(5)
    with paused():
        pass
    assert not gc.isenabled()  # the other thread's search is still under way
    release.set()
    thread.join(5)
    assert gc.isenabled()


def test_an_error_inside_restores_the_collector():
    @gc_paused
    def boom():
        assert not gc.isenabled()
        raise ValueError("bad")

    try:
        boom()
    except ValueError:
        pass
    assert gc.isenabled()


def test_a_search_runs_with_the_collector_off(tmp_path, monkeypatch):
    seen = []
    real = carryover.segment_groups

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(carryover, "segment_groups", spy)
    ix = whoosh_index.create_in(str(tmp_path), build_schema(), indexname=INDEX_NAME)
    with ix.writer() as w:
        w.add_document(key="plan:1", type="plan", title="客户战略", body="客户战略规划",
                       archived="0", visibility="org")
    CACHE.clear()
    searcher, _ = open_reusing(tmp_path, None)
    assert run_scoped(searcher, _parse("客户 战略"), Scope(), limit=10)[1] == 1
    assert seen and not any(seen)
    assert gc.isenabled()


def test_weights_pair_a_terms_weight_with_its_length_only_where_it_occurs():
    ids, weights = array("i", [1, 4, 6]), array("f", [1.0, 2.0, 1.0])
    lengths = [10, 12, 14, 16, 18, 20, 22, 24]
    docs = [1, 2, 4, 7]
    expected = [complex(1.0, 12), None, complex(2.0, 18), None]
    assert _weights_of(ids, weights, lengths, docs) == expected  # (docs many against the postings)
    many = array("i", range(0, 400, 2))
    assert _weights_of(many, array("f", [3.0] * 200), list(range(400)), [4, 5]) == [complex(3.0, 4), None]
    # A length unknown (None) is kept apart from every known one.
    assert _weights_of(ids, weights, [None] * 8, [1]) == [(1.0, None)]


def test_documents_differing_only_where_a_term_is_absent_share_a_group(tmp_path):
    """Two documents with the same body match and different title lengths (the term is not in either
    title) score alike: one group, not two — and the scores equal a full scoring's."""
    ix = whoosh_index.create_in(str(tmp_path), build_schema(), indexname=INDEX_NAME)
    with ix.writer() as w:
        for i, title in enumerate(["短标题", "一个长得多的标题文字在这里", "客户"]):
            w.add_document(key=f"plan:{i}", type="plan", title=title, body="客户关系", archived="0",
                           visibility="org")
    CACHE.clear()
    searcher, _ = open_reusing(tmp_path, None)
    q = restrict(_parse("客户"), Scope())
    (sub, _offset), = searcher.leaf_searchers()
    groups = carryover.segment_groups(sub, q, ("g",), frozenset())
    assert sorted(list(g) for g in groups) == [[0, 1], [2]]
    scores = carryover.rescore(q, sub, {0, 1, 2})
    assert scores[0] == scores[1] != scores[2]
    top, total = run_scoped(searcher, _parse("客户"), Scope(), limit=10)
    assert total == 3
    plain = {hit.docnum: hit.score for hit in searcher.search(q, limit=10)}
    assert {hit.docnum: hit.score for hit in top} == plain


def test_overlapping_searches_collect_after_a_while(monkeypatch):
    from kb.search import gcpause

    collected = []
    monkeypatch.setattr(gcpause.gc, "collect", lambda generation=2: collected.append(generation))
    clock = [100.0]
    monkeypatch.setattr(gcpause.time, "monotonic", lambda: clock[0])
    with paused():
        with paused():  # another search while the first is under way: too soon to collect
            pass
        clock[0] += gcpause.HELD_MAX_SECONDS + 0.5
        with paused():  # held off too long: this search collects the younger generations first
            assert not gc.isenabled()
        assert collected == [1]
    assert gc.isenabled()
