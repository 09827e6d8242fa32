"""The postings side file (kb.search.sidefile / sidewrite): written beside each committed segment, read by
the fast path instead of Whoosh's blocks, with answers equal to Whoosh's plain searcher for every query
class of the benchmark (with and without the access filter, several segments, deletions and updates);
a missing, truncated or corrupt file falls back to Whoosh's blocks (same answers, no error); a merged
segment's file goes with it; the rebuild and the outbox's commits write it."""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest
from pypinyin import lazy_pinyin
from whoosh import index as whoosh_index
from whoosh.reading import TermNotFound

from kb.search import parallel_build, postings as postings_module, sidefile, sidewrite
from kb.search.index import Bookmark
from kb.search.postings import VALUES
from kb.search.schema import INDEX_NAME, build_schema
from kb.search.searching import Scope, excluded_docs, hidden_for_team, run_scoped
from kb.search.segcache import CACHE
from tests.fastpath_support import stock_query
from tests.test_search_fastpath_corpus import CLASSES, _parse, _ranked

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("kb_search_bench_side", ROOT / "bench" / "search_bench.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

N_DOCS = 400


def _cold() -> None:
    """Forget every decoded posting, phrase answer and open side file (the next search reads files)."""
    CACHE.clear()
    VALUES.clear()
    sidefile.forget()


def _side_files(path: Path) -> list[str]:
    return sorted(p.name for p in path.iterdir() if p.name.endswith(sidefile.EXT))


def _segment_ids(ix) -> list[str]:
    with ix.searcher() as searcher:
        return sorted(sub.reader().segment().segment_id() for sub, _offset in searcher.leaf_searchers())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """(index folder, index, query mix, team): 3+ segments with deletions and updates, side files written
    after each commit as the product's commits do."""
    path = tmp_path_factory.mktemp("sidefile-corpus")
    docs = list(bench.make_corpus(N_DOCS, 11))
    docs.append(bench.planted_worst_case(N_DOCS))
    ix = whoosh_index.create_in(str(path), build_schema(), indexname=INDEX_NAME)
    for part in (docs[:200], docs[200:]):
        w = ix.writer()
        for doc in part:
            w.add_document(**doc)
        w.commit(merge=False)
        sidewrite.write_side_files(ix, min_docs=1)
    w = ix.writer()
    for doc in docs[5:60:5]:
        w.delete_by_term("key", doc["key"])
    for doc in docs[100:300:7]:
        w.update_document(**{**doc, "body": doc["body"][::-1] + " 客户战略 strategy"})
    before = [s.segment_id() for s in w.segments]
    w.commit(merge=False)
    assert sidewrite.write_side_files(w, skip=before, min_docs=1) == 1  # only the new segment's
    phones = [m.group() for d in docs for m in bench._PHONE.finditer(d["body"])]
    mix = bench.query_mix(11, 4, N_DOCS // 50, phones)
    mix["phrase"] += ['"客户 战略"', '"cloud migration"', '"解决方案"', '"客户战略"']
    names = sorted({d["title"] for d in docs if d["type"] == "account"})[:3]
    mix["pinyin"] += ["".join(s[0] for s in lazy_pinyin(name)) for name in names]
    mix["pinyin_run"] += ["".join(lazy_pinyin(name[-2:])) for name in names]
    yield path, ix, mix, list(range(0, 8, 2))
    _cold()


def _answers(ix, mix, team, kinds=CLASSES):
    """{(class, filtered, text): (total, top 10 (score, docnum), every docnum)} by the fast path, cold."""
    _cold()
    out = {}
    with ix.searcher() as searcher:
        for kind in kinds:
            for filtered in (False, True):
                scope = Scope(excluded=[hidden_for_team(team)] if filtered else [])
                for text in mix[kind]:
                    q = _parse(text)
                    searcher.__dict__.pop("_kb_ranked", None)
                    results, total = run_scoped(searcher, q, scope, limit=10)
                    everything, _total = run_scoped(searcher, q, scope, limit=None)
                    out[kind, filtered, text] = (total, [(h.score, h.docnum) for h in results],
                                                 {h.docnum for h in everything})
    return out


def test_every_segment_has_its_side_file(corpus):
    path, ix, _mix, _team = corpus
    ids = _segment_ids(ix)
    assert len(ids) >= 3
    assert _side_files(path) == sorted(f"{segid}{sidefile.EXT}" for segid in ids)


def test_postings_are_read_from_the_side_file(corpus, monkeypatch):
    path, ix, mix, team = corpus

    def no_whoosh_blocks(reader, fieldname, btext, values=False):
        try:
            info = reader._terms.term_info(fieldname, btext)
        except TermNotFound:
            return None  # not in this segment: nothing to read
        assert info._inlined is not None, f"{fieldname}:{btext!r} read from Whoosh's blocks"
        return None

    monkeypatch.setattr(postings_module, "read_whoosh_postings", no_whoosh_blocks)
    answers = _answers(ix, mix, team, kinds=("zh_2terms", "phrase"))
    assert any(total for total, _top, _all in answers.values())


@pytest.mark.parametrize("kind", CLASSES)
def test_answers_with_side_files_equal_whoosh(corpus, kind):
    _path, ix, mix, team = corpus
    answers = _answers(ix, mix, team, kinds=(kind,))
    found_any = False
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
                found_any = found_any or total > 0
    assert found_any, f"no query of class {kind} found anything: the comparison would prove nothing"


def _damaged(path: Path, how: str) -> None:
    for name in _side_files(path):
        file = path / name
        data = bytearray(file.read_bytes())
        if how == "missing":
            file.unlink()
        elif how == "truncated":
            file.write_bytes(bytes(data[: len(data) // 2]))
        else:  # one byte of every 997 flipped inside the records: ids, weights, positions
            for i in range(64, len(data) - 4096, 997):
                data[i] ^= 0x5A
            file.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["missing", "truncated", "corrupt"])
def test_a_bad_or_missing_side_file_gives_the_same_answers(corpus, tmp_path, how):
    path, ix, mix, team = corpus
    kinds = ("zh_2terms", "phrase", "english", "common")
    expected = _answers(ix, mix, team, kinds=kinds)
    copy_dir = tmp_path / "copy"
    copy_dir.mkdir()
    for file in path.iterdir():
        (copy_dir / file.name).write_bytes(file.read_bytes())
    _damaged(copy_dir, how)
    copied = whoosh_index.open_dir(str(copy_dir), indexname=INDEX_NAME)
    assert _answers(copied, mix, team, kinds=kinds) == expected


def test_a_merged_segment_takes_its_side_file_along(tmp_path):
    docs = list(bench.make_corpus(60, 5))
    ix = whoosh_index.create_in(str(tmp_path), build_schema(), indexname=INDEX_NAME)
    for part in (docs[:30], docs[30:]):
        w = ix.writer()
        for doc in part:
            w.add_document(**doc)
        w.commit(merge=False)
    assert sidewrite.write_side_files(ix, min_docs=1) == 2
    old = _side_files(tmp_path)
    _cold()
    with ix.searcher() as searcher:
        assert run_scoped(searcher, _parse("客户"), Scope(), limit=10)[1] > 0
    assert {Path(p).name for p in sidefile._OPEN} == set(old)  # both mapped
    w = ix.writer()
    before = [s.segment_id() for s in w.segments]
    w.commit(optimize=True)
    assert sidewrite.write_side_files(w, skip=before, min_docs=1) == 1
    (merged,) = _segment_ids(ix)
    assert _side_files(tmp_path) == [f"{merged}{sidefile.EXT}"]
    assert not set(old) & set(_side_files(tmp_path))
    CACHE.clear()
    with ix.searcher() as searcher:
        assert run_scoped(searcher, _parse("客户"), Scope(), limit=10)[1] > 0
    assert {Path(p).name for p in sidefile._OPEN} == {f"{merged}{sidefile.EXT}"}  # the old maps let go


def test_small_segments_get_no_side_file(tmp_path):
    ix = whoosh_index.create_in(str(tmp_path), build_schema(), indexname=INDEX_NAME)
    w = ix.writer()
    for doc in bench.make_corpus(20, 3):
        w.add_document(**doc)
    w.commit()
    assert sidewrite.write_side_files(ix) == 0  # 20 documents: fewer than MIN_DOCS
    assert _side_files(tmp_path) == []


def test_the_rebuild_writes_side_files(tmp_path, monkeypatch):
    monkeypatch.setattr(sidewrite, "MIN_DOCS", 10)
    ix = whoosh_index.create_in(str(tmp_path), build_schema(), indexname=INDEX_NAME)
    parallel_build.write_all(ix, bench.make_corpus(80, 9), Bookmark().document(), procs=1, limitmb=64)
    ids = _segment_ids(ix)
    written = _side_files(tmp_path)
    assert written and all(name[: -len(sidefile.EXT)] in ids for name in written)


def test_an_unwritable_side_file_does_not_fail_the_commit(tmp_path, monkeypatch, caplog):
    ix = whoosh_index.create_in(str(tmp_path), build_schema(), indexname=INDEX_NAME)
    w = ix.writer()
    for doc in bench.make_corpus(20, 3):
        w.add_document(**doc)
    w.commit()

    def fail(_reader):
        raise OSError("disk full")

    monkeypatch.setattr(sidewrite, "write_side_file", fail)
    assert sidewrite.write_side_files(ix, min_docs=1) == 0
    assert "not written" in caplog.text
    assert not [p for p in os.listdir(tmp_path) if ".kbp" in p]


def test_an_edits_commit_writes_its_new_segments_side_file(app, create_user, create_account, monkeypatch):
    from kb.search import get_index
    from models import UserRole

    from .search_support import find, keys

    monkeypatch.setattr(sidewrite, "MIN_DOCS", 1)
    sidewrite.BACKGROUND.clear()
    admin = create_user(role=UserRole.ADMIN)
    create_account(name="金风科技")
    assert find(app, "金风", admin).total == 1  # the index exists before the edit below
    account = create_account(name="远景能源")
    assert f"account:{account.id}" in keys(find(app, "远景", admin))
    with app.app_context():
        path = get_index().live_path()
    assert sidewrite.BACKGROUND  # written by a thread, not while the request that committed waited
    for thread in sidewrite.BACKGROUND:
        thread.join(timeout=30)
    ix = whoosh_index.open_dir(str(path), indexname=INDEX_NAME)
    with ix.searcher() as searcher:
        docnum = searcher.document_number(key=f"account:{account.id}")
        for sub, offset in searcher.leaf_searchers():
            if offset <= docnum < offset + sub.reader().doc_count_all():
                holder = sub.reader().segment().segment_id()
    assert f"{holder}{sidefile.EXT}" in _side_files(path)
    assert set(_side_files(path)) <= {f"{segid}{sidefile.EXT}" for segid in _segment_ids(ix)}


def test_a_side_file_written_after_its_segment_was_opened_is_used(tmp_path, monkeypatch):
    monkeypatch.setattr(sidefile, "MISSING_RETRY", 0.0)
    docs = list(bench.make_corpus(60, 5))
    ix = whoosh_index.create_in(str(tmp_path), build_schema(), indexname=INDEX_NAME)
    w = ix.writer()
    for doc in docs:
        w.add_document(**doc)
    w.commit()
    _cold()
    q = _parse("客户")
    with ix.searcher() as searcher:  # opened (and searched) before the file exists, as another worker may
        _results, before = run_scoped(searcher, q, Scope(), limit=10)
        assert sidewrite.write_side_files(ix, min_docs=1) == 1
        CACHE.clear()
        monkeypatch.setattr(postings_module, "read_whoosh_postings",
                            lambda *a, **k: pytest.fail("blocks read"))
        searcher.__dict__.pop("_kb_ranked", None)
        _results, after = run_scoped(searcher, q, Scope(), limit=10)
    assert after == before > 0


def test_side_files_written_by_two_processes_equal_one_process(tmp_path):
    docs = list(bench.make_corpus(90, 13))
    folders = []
    for procs in (1, 2):
        folder = tmp_path / f"p{procs}"
        folder.mkdir()
        ix = whoosh_index.create_in(str(folder), build_schema(), indexname=INDEX_NAME)
        for part in (docs[:30], docs[30:60], docs[60:]):
            w = ix.writer()
            for doc in part:
                w.add_document(**doc)
            w.commit(merge=False)
        assert sidewrite.write_side_files(ix, min_docs=1, procs=procs) == 3
        folders.append(folder)
    # the same documents in the same segments (ids differ): the same contents, in segment order
    contents = [[(f / n).read_bytes() for n in _side_files(f)] for f in folders]
    assert sorted(map(len, contents[0])) == sorted(map(len, contents[1]))


def test_a_field_the_segment_holds_no_words_of_is_not_looked_up(tmp_path, monkeypatch):
    ix = whoosh_index.create_in(str(tmp_path), build_schema(), indexname=INDEX_NAME)
    w = ix.writer()
    w.add_document(**Bookmark().document())  # the bookkeeping segment: no text fields
    w.commit()
    _cold()
    with ix.reader() as reader:
        looked_up = []

        def term_info(fieldname, btext):
            looked_up.append(fieldname)
            raise TermNotFound(fieldname)

        monkeypatch.setattr(reader._terms, "term_info", term_info)
        assert len(postings_module.postings(reader, "body", "客户")[0]) == 0
        assert looked_up == []
        postings_module.postings(reader, "type", "plan")  # a field it holds: looked up (and not found)
        assert looked_up == ["type"]


def test_a_command_that_exits_just_after_its_commit_still_writes_the_side_file(tmp_path):
    """A CLI process (an import, a job) asks for the side file in the background and exits at once: the
    file is finished before the process ends, and no temporary file is left behind."""
    import subprocess
    import sys

    ix = whoosh_index.create_in(str(tmp_path), build_schema(), indexname=INDEX_NAME)
    w = ix.writer()
    for doc in bench.make_corpus(40, 4):
        w.add_document(**doc)
    w.commit()
    script = ("import sys; from whoosh import index; from kb.search import sidewrite; "
              "from kb.search.schema import INDEX_NAME; "
              "ix = index.open_dir(sys.argv[1], indexname=INDEX_NAME); "
              "sidewrite.write_side_files(ix, min_docs=1, background=True)")
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=True,
                   cwd=Path(__file__).resolve().parent.parent, timeout=120)
    assert [f"{segid}{sidefile.EXT}" for segid in _segment_ids(ix)] == _side_files(tmp_path)
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]


def test_a_temporary_file_left_by_a_killed_writer_is_removed(tmp_path):
    ix = whoosh_index.create_in(str(tmp_path), build_schema(), indexname=INDEX_NAME)
    w = ix.writer()
    for doc in bench.make_corpus(40, 4):
        w.add_document(**doc)
    w.commit()
    (segid,) = _segment_ids(ix)
    stale = tmp_path / f"{segid}{sidefile.EXT}.tmp"  # (the name an earlier version used)
    fresh = tmp_path / f"{segid}{sidefile.EXT}.99_1.tmp"  # another worker writing right now
    stale.write_bytes(b"")
    fresh.write_bytes(b"")
    old = os.stat(stale).st_mtime - sidewrite.STALE_TMP_SECONDS - 5
    os.utime(stale, (old, old))
    assert sidewrite.write_side_files(ix, min_docs=1) == 1
    assert not stale.exists() and fresh.exists()
    assert f"{segid}{sidefile.EXT}" in _side_files(tmp_path)
