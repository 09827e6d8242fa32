"""A phrase bounded to fewer than half its candidates is verified only there (issue 7 §7: a two-word
query's first search verified a common word's phrase in the whole segment when its bound held a quarter);
from half on, the whole segment is verified and kept for later searches. The same documents either way."""
from __future__ import annotations

from whoosh import index as whoosh_index

from kb.search import phrases
from kb.search.phrases import phrase_ids
from kb.search.schema import INDEX_NAME, build_schema
from kb.search.segcache import CACHE


def _reader(tmp_path):
    ix = whoosh_index.create_in(str(tmp_path), build_schema(), indexname=INDEX_NAME)
    with ix.writer() as w:
        for i in range(10):
            body = "铁三角 客户" if i % 5 else "三角 铁三 客户"  # 0 and 5: both words, not the phrase
            w.add_document(key=f"plan:{i}", type="plan", body=body, archived="0", visibility="org")
    CACHE.clear()
    return ix.reader()


def _cached(reader):
    return CACHE.get(phrases._key(reader, "body", ["铁三", "三角"])) is not None


def test_a_bound_under_half_the_candidates_is_verified_alone(tmp_path, monkeypatch):
    checked = []
    real = phrases._verify

    def spy(reader, fieldname, words, candidates):
        checked.append(len(candidates))
        return real(reader, fieldname, words, candidates)

    monkeypatch.setattr(phrases, "_verify", spy)
    with _reader(tmp_path) as reader:
        assert phrase_ids(reader, "body", ["铁三", "三角"], {0, 1, 2, 3}) == {1, 2, 3}  # 4 of 10 candidates
        assert checked == [4] and not _cached(reader)
        assert phrase_ids(reader, "body", ["铁三", "三角"], {0, 1, 2, 3, 4}) == {1, 2, 3, 4}  # half
        assert checked == [4, 10] and _cached(reader)
        assert phrase_ids(reader, "body", ["铁三", "三角"]) == {1, 2, 3, 4, 6, 7, 8, 9}
        assert checked == [4, 10]  # (from the cache)
