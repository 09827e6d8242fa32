"""The digests `flask kb check-index` compares: those the index holds and those the database gives now,
the two halves of the work in two processes (issue 9: 261,000 documents within 15 s on 2 cores).

The digest of a document covers all its fields (kb.search.documents.finish_document), so comparing
digests finds every document whose text, account fields or visibility changed, even by a write that
bypassed the change capture. Building a document needs no text analysis: the cost is reading the rows
(kb.search.bulk_documents) and hashing. A forked process builds the interactions' documents (most of
them); this process meanwhile reads the index's stored digests and builds the others.
"""
from __future__ import annotations

import logging
import multiprocessing
from typing import TYPE_CHECKING, Any

from .bulk_documents import iter_bulk_documents
from .schema import META_KEY

if TYPE_CHECKING:
    from .index import SearchIndex

logger = logging.getLogger(__name__)

#: The document types the forked process builds (the rest are built here).
FORKED_TYPES = frozenset({"interaction"})
#: Seconds to wait for the forked process's answer.
FORK_TIMEOUT = 1800


def indexed_digests(index: SearchIndex) -> dict[str, str | None]:
    """{document key: digest} of every document of the live index (without the bookmark)."""
    reader = index.searcher().reader()
    return {f["key"]: f.get("digest") for f in reader.all_stored_fields() if f.get("key") != META_KEY}


def _digests(index: SearchIndex, *, only: frozenset[str] | None, skip: frozenset[str]) -> dict[str, str]:
    with index.db() as session:
        return {doc["key"]: doc["digest"] for doc in iter_bulk_documents(session, only=only, skip=skip)}


def _child(index: SearchIndex, conn: Any) -> None:
    try:
        engine = index.session_factory.kw.get("bind")
        if engine is not None:
            engine.dispose(close=False)  # never share the parent's pooled connections
        conn.send(("ok", _digests(index, only=FORKED_TYPES, skip=frozenset())))
    except BaseException as exc:  # noqa: BLE001 — reported by the parent
        conn.send(("error", repr(exc)))
    finally:
        conn.close()


def compare_digests(index: SearchIndex, *, procs: int = 2) -> tuple[dict[str, str | None], dict[str, str]]:
    """(indexed, expected): the digests the index holds and those the database gives now, by key.
    `procs` 2: with a forked process (see the module docstring); 1: all here. Raises RuntimeError if the
    forked process fails."""
    if procs <= 1:
        return indexed_digests(index), _digests(index, only=None, skip=frozenset())
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(index, sender), daemon=True)
    child.start()
    sender.close()
    try:
        indexed = indexed_digests(index)
        expected = _digests(index, only=None, skip=FORKED_TYPES)
        if not receiver.poll(FORK_TIMEOUT):
            raise RuntimeError("the check-index process did not answer")
        status, value = receiver.recv()
        if status != "ok":
            raise RuntimeError(f"the check-index process failed: {value}")
        expected.update(value)
    finally:
        receiver.close()
        if child.is_alive():
            child.join(5)
        if child.is_alive():
            child.kill()
            child.join()
    return indexed, expected
