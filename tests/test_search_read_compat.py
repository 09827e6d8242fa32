"""kb.search.read_compat: a segment's stored fields read faster, the same dictionaries as Whoosh's own
reader gives (fields the schema dropped left out, dynamic fields kept)."""
from __future__ import annotations

from whoosh import fields
from whoosh import index as whoosh_index
from whoosh.reading import SegmentReader

import kb.search  # noqa: F401 — installs read_compat
from kb.search import read_compat
from kb.search.schema import INDEX_NAME, build_schema
from tests.test_search_sidefile import bench


def _whooshs(reader, docnum):
    sfs = reader._perdoc.stored_fields(docnum)
    return dict(item for item in sfs.items() if item[0] in reader.schema)


def test_stored_fields_equal_whooshs(tmp_path):
    assert SegmentReader.stored_fields is read_compat._stored_fields
    ix = whoosh_index.create_in(str(tmp_path), build_schema(), indexname=INDEX_NAME)
    with ix.writer() as w:
        for doc in bench.make_corpus(40, 3):
            w.add_document(**doc)
    with ix.reader() as r:
        for docnum in range(r.doc_count_all()):
            assert r.stored_fields(docnum) == _whooshs(r, docnum)
        assert r.stored_fields(0)["key"].startswith("plan:")
    # A field dropped from the schema since is left out, as Whoosh does.
    ix2 = whoosh_index.open_dir(str(tmp_path), indexname=INDEX_NAME)
    with ix2.reader() as r:
        del r.schema._fields["title"]
        assert "title" not in r.stored_fields(0) and "key" in r.stored_fields(0)


def test_dynamic_fields_keep_whooshs_way(tmp_path):
    schema = fields.Schema(key=fields.ID(stored=True))
    schema.add("*_note", fields.STORED, glob=True)
    ix = whoosh_index.create_in(str(tmp_path), schema)
    with ix.writer() as w:
        w.add_document(key="a", first_note="hello")
    with ix.reader() as r:
        assert r.stored_fields(0) == {"key": "a", "first_note": "hello"}
