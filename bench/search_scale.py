"""Search at scale, inside one worker: the first search after an edit, throughput with concurrent clients,
and the worker's memory — on a big index of the search benchmark's corpus (bench/search_bench.py).

    .venv/bin/python bench/search_scale.py --docs 100000 --keep /tmp/kb-scale-index   # builds, then measures
    .venv/bin/python bench/search_scale.py --keep /tmp/kb-scale-index                  # reuses the index

What a search request does with the index is timed: get the process's searcher (`SearchIndex._cached`,
refreshed when the index changed), the top 20 and the exact total within a reader's access scope (a team of
20 accounts), and the facet counts. No database is involved (the outbox and the API-token write are
measured by bench/scale.py). Prints one JSON line:

- `warm_ms`: median of a search in a warm worker with nothing changed, ranked and counted again (its
  per-generation answers dropped); `warm_repeat_ms`: the same query repeated (answered from the
  generation's ranked-answer cache); `after_edit_ms`: median of the first search after another process
  updated one document (one commit, as an edit does), and `after_edit_ratio` = after_edit / warm (goal ≤ 2);
- `throughput_rps`: common-word searches per second with `--clients` threads in each of `--workers`
  processes (each process with its own searcher, as gunicorn's workers);
- `worker_rss_mb`: resident memory of a worker after that load (goal ≤ 300 MB), `tracemalloc_top`: where a
  worker's Python memory is (with --tracemalloc).
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from whoosh import index as whoosh_index  # noqa: E402

import search_bench  # noqa: E402
from kb.search.index import Bookmark, SearchIndex  # noqa: E402
from kb.search.query import parse_user_query  # noqa: E402
from kb.search.schema import INDEX_NAME, META_KEY  # noqa: E402
from kb.search.searching import Scope, facet_counts, hidden_for_team, run_scoped  # noqa: E402

COMMON = ("客户", "项目", "customer")
OTHER = ("战略", "交付", "预算", "合同", "采购", "铁三角", "解决方案", "strategy", "delivery", "风险")


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def build(root: Path, docs: int) -> None:
    """The bench corpus (with its planted worst case) as the live index under `root`."""
    gen = root / "gen-bench"
    gen.mkdir(parents=True)
    corpus = list(search_bench.make_corpus(docs, 2027))
    corpus.append(search_bench.planted_worst_case(docs))
    seconds = search_bench.whoosh_build(corpus, gen, 2)
    os.symlink(gen.name, root / "current")
    add_bookmark(root)
    print(f"built {docs} documents in {seconds:.0f} s", file=sys.stderr)


def add_bookmark(root: Path) -> None:
    """The bookkeeping document every live index holds (the bench corpus has none)."""
    ix = whoosh_index.open_dir(str(root / "current"), indexname=INDEX_NAME)
    with ix.searcher() as searcher:
        if searcher.document_number(key=META_KEY) is not None:
            return
    w = ix.writer()
    w.update_document(**Bookmark(last_id=1).document())
    w.commit()


def team(docs: int) -> list[int]:
    accounts = max(10, docs // 50)
    return list(range(0, accounts, max(1, accounts // search_bench.TEAM_SIZE)))[:search_bench.TEAM_SIZE]


def one_search(index: SearchIndex, text: str, scope: Scope) -> int:
    """What the search page does with the index for one query (page 1 of 20, facets)."""
    searcher, _bookmark = index._cached()
    q = parse_user_query(text).query
    results, total = run_scoped(searcher, q, scope, limit=20)
    [hit.fields()["key"] for hit in results[:20]]
    facet_counts(searcher, q, scope)
    return total


def edit(root: Path, n: int) -> None:
    """Update one document and commit, as another worker's edit does."""
    ix = whoosh_index.open_dir(str(root / "current"), indexname=INDEX_NAME)
    w = ix.writer(timeout=30)
    doc = search_bench.finish_document({
        "key": f"interaction:{n * 7}", "type": "interaction", "doc_id": n * 7, "account_id": "1", "group_id": "1",
        "industry": "", "region": "", "archived": "0", "visibility": "org", "date": 20260101,
        "title": "客户拜访", "body": f"客户 战略 交付 第{n}次修改 customer strategy", "pinyin": ""})
    w.update_document(**doc)
    w.commit()


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def after_edit(index: SearchIndex, root: Path, scope: Scope, rounds: int) -> dict[str, Any]:
    warm: list[float] = []
    repeat: list[float] = []
    first: list[float] = []
    for r in range(rounds):
        text = COMMON[r % len(COMMON)]
        for _ in range(3):
            one_search(index, text, scope)  # warm
        started = time.perf_counter()
        one_search(index, text, scope)
        repeat.append(time.perf_counter() - started)
        searcher = index._cached()[0]
        for name in ("_kb_ranked", "_kb_facets"):  # this generation's answers: ranked again, counted again
            searcher.__dict__.pop(name, None)
        started = time.perf_counter()
        one_search(index, text, scope)
        warm.append(time.perf_counter() - started)
        edit(root, r + 1)
        started = time.perf_counter()
        one_search(index, text, scope)
        first.append(time.perf_counter() - started)
    w, f, r = statistics.median(warm), statistics.median(first), statistics.median(repeat)
    return {"warm_ms": _ms(w), "warm_repeat_ms": _ms(r), "after_edit_ms": _ms(f),
            "after_edit_max_ms": _ms(max(first)), "after_edit_ratio": round(f / w, 2)}


def _worker(root: str, docs: int, clients: int, seconds: float, out: Any) -> None:
    index = SearchIndex(root, None)  # type: ignore[arg-type]
    scope = Scope(excluded=[hidden_for_team(team(docs))])
    for text in COMMON + OTHER:
        one_search(index, text, scope)
    done = [0] * clients
    stop = time.monotonic() + seconds

    def client(i: int) -> None:
        k = i
        while time.monotonic() < stop:
            one_search(index, COMMON[k % len(COMMON)], scope)
            k += 1
            done[i] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.put((sum(done), rss_mb()))


def throughput(root: Path, docs: int, workers: int, clients: int, seconds: float) -> dict[str, Any]:
    queue: Any = multiprocessing.get_context("fork").Queue()
    procs = [multiprocessing.get_context("fork").Process(target=_worker, args=(str(root), docs, clients,
                                                                              seconds, queue))
             for _ in range(workers)]
    for p in procs:
        p.start()
    got = [queue.get(timeout=seconds + 600) for _ in procs]
    for p in procs:
        p.join()
    return {"throughput_rps": round(sum(n for n, _ in got) / seconds, 1),
            "worker_rss_mb_after_load": max(m for _, m in got)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=100_000, help="documents (only when building)")
    parser.add_argument("--keep", type=Path, required=True, help="index folder (built if missing)")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=4, help="threads per worker")
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--tracemalloc", action="store_true")
    args = parser.parse_args()
    if not (args.keep / "current").exists():
        build(args.keep, args.docs)
    add_bookmark(args.keep)
    docs = whoosh_index.open_dir(str(args.keep / "current"), indexname=INDEX_NAME).doc_count() - 1
    result: dict[str, Any] = {"docs": docs}
    result.update(throughput(args.keep, docs, args.workers, args.clients, args.seconds))
    if args.tracemalloc:
        import tracemalloc

        tracemalloc.start(8)
    index = SearchIndex(args.keep, None)  # type: ignore[arg-type]
    scope = Scope(excluded=[hidden_for_team(team(docs))])
    result.update(after_edit(index, args.keep, scope, args.rounds))
    for text in COMMON + OTHER:
        one_search(index, text, scope)
    result["worker_rss_mb"] = rss_mb()
    if args.tracemalloc:
        snapshot = tracemalloc.take_snapshot()
        result["tracemalloc_top"] = [f"{s.traceback[0].filename.split('site-packages/')[-1]}:"
                                     f"{s.traceback[0].lineno} {s.size / 1e6:.1f} MB"
                                     for s in snapshot.statistics("lineno")[:8]]
    result["workers"], result["clients"] = args.workers, args.clients
    result["load_avg"] = round(os.getloadavg()[0], 1)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
