"""Issue 7 §7, the rebuild: writing a segment's postings reads each field's lengths once into a list
(kb.search.build_compat._SegmentLengths) instead of through a column reader for every posting; the
segment written is byte for byte the one Whoosh writes, and the lengths asked are the reader's."""
from __future__ import annotations

from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import writing

from kb.search import build_compat
from kb.search.documents import finish_document
from kb.search.schema import INDEX_NAME, build_schema

BODIES = ["以客户为中心的市场战略" * (i % 7 + 1) + f" strategy {i} 13800138000" for i in range(60)]


def _docs() -> list[dict]:
    return [finish_document({
        "key": f"plan:{i}", "type": "plan", "doc_id": i, "account_id": str(i % 5), "group_id": "0",
        "industry": "", "region": "", "archived": "0", "visibility": "org", "date": 20260101,
        "title": "铁三角" * (i % 3), "body": body, "pinyin": "zgyd" if i % 4 == 0 else "",
    }) for i, body in enumerate(BODIES)]


def _build(path: Path) -> dict[str, bytes]:
    path.mkdir()
    ix = whoosh_index.create_in(str(path), build_schema(), indexname=INDEX_NAME)
    writer = ix.writer(compound=False)
    for doc in _docs():
        writer.add_document(**doc)
    writer.commit(merge=False)
    contents = {}
    for file in path.iterdir():
        if file.is_file() and "." in file.name and file.suffix != ".toc":  # the TOC names the segment id
            contents[file.name.split(".", 1)[1]] = file.read_bytes()
    return contents


def test_segments_are_written_byte_for_byte_as_whoosh_writes_them(tmp_path, monkeypatch):
    build_compat.apply()
    assert writing.SegmentWriter._flush_segment is build_compat._flush_segment
    asked = []
    original_init = build_compat._SegmentLengths.__init__

    def counting_init(self, pdr):
        asked.append(pdr)
        original_init(self, pdr)

    monkeypatch.setattr(build_compat._SegmentLengths, "__init__", counting_init)
    ours = _build(tmp_path / "ours")
    assert asked  # the postings were written with the lengths read once
    monkeypatch.undo()
    with monkeypatch.context() as m:
        m.setattr(writing.SegmentWriter, "_flush_segment", build_compat_original_flush())
        stock = _build(tmp_path / "stock")
    assert ours and ours.keys() == stock.keys()
    for suffix in ours:
        assert ours[suffix] == stock[suffix], suffix


def build_compat_original_flush():
    """Whoosh 2.7.5's SegmentWriter._flush_segment, as it is without build_compat."""
    def _flush_segment(self):
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        postings = self.pool.iter_postings()
        self.fieldwriter.add_postings(self.schema, pdr, postings)
        self.fieldwriter.close()
        if pdr:
            pdr.close()
    return _flush_segment


def test_lengths_read_once_equal_the_readers(tmp_path):
    build_compat.apply()
    ix = whoosh_index.create_in(str(tmp_path), build_schema(), indexname=INDEX_NAME)
    writer = ix.writer()
    for doc in _docs():
        writer.add_document(**doc)
    writer.commit()
    with ix.reader() as reader:
        perdoc = reader._perdoc
        lengths = build_compat._SegmentLengths(perdoc)
        for field in ("title", "body", "pinyin", "chars", "key", "names"):
            for docnum in range(reader.doc_count_all()):
                assert lengths.doc_field_length(docnum, field) == perdoc.doc_field_length(docnum, field), field
        assert lengths.doc_field_length(3, "body") == perdoc.doc_field_length(3, "body") > 0
        assert lengths.doc_field_length(0, "title") is None  # no title: a zero byte, as the reader says
        assert lengths.doc_field_length(0, "key", default=7) == 7  # no length column: the default
