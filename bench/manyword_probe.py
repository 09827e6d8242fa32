"""Probe of the many-match query classes (two Chinese words, phrases) against FTS5, cold, in seconds.

    .venv/bin/python bench/manyword_probe.py build --docs 20000 --dir /tmp/kb-probe   # once
    .venv/bin/python bench/manyword_probe.py run --dir /tmp/kb-probe                  # a fresh process each
    .venv/bin/python bench/manyword_probe.py run --dir /tmp/kb-probe --profile zh_2terms

Builds search_bench.py's corpus, Whoosh index and FTS5 table once into a folder; each `run` opens them in a
new process and runs search_bench's query mix in its order (the first, cold pass, as the headline of
search_bench), printing per-class p50 of both engines in CPU milliseconds (the machine may be shared; FTS5
runs in this process too) and their ratio. `--only` names the classes printed (and run on FTS5),
`--totals FILE` writes each query's total and top 10 (key, score) to compare two versions of the code, and
`--profile CLASS` runs cProfile around that class's Whoosh queries only (top functions by cumulative and
own time).
"""
from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import search_bench as sb  # noqa: E402


def whoosh_runner(path: Path):  # noqa: ANN201 — as search_bench's, answering the hits too
    from whoosh import index as whoosh_index
    from kb.search.query import parse_user_query
    from kb.search.schema import INDEX_NAME
    from kb.search.searching import Scope, hidden_for_team, run_scoped

    searcher = whoosh_index.open_dir(str(path), indexname=INDEX_NAME).searcher()

    def run(text: str, team: list[int] | None) -> tuple[int, list[tuple[str, float]]]:
        q = parse_user_query(text).query
        scope = Scope(excluded=[hidden_for_team(team)] if team is not None else [])
        searcher.__dict__.pop("_kb_ranked", None)
        results, total = run_scoped(searcher, q, scope, limit=10)
        return total, [(hit.fields()["key"], hit.score) for hit in results]

    return run


def build(args: argparse.Namespace) -> None:
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=False)
    docs = list(sb.make_corpus(args.docs, args.seed))
    phones = [m.group() for d in docs[:5000] for m in sb._PHONE.finditer(d["body"])]
    docs.append(sb.planted_worst_case(args.docs))
    (folder / "whoosh").mkdir()
    seconds = sb.whoosh_build(docs, folder / "whoosh", 2)
    seg, fts = sb.fts5_build(docs, folder / "fts5.sqlite3")
    (folder / "meta.json").write_text(json.dumps({"docs": args.docs, "seed": args.seed, "phones": phones}))
    print(json.dumps({"whoosh_build_s": round(seconds, 2), "fts5_build_s": round(seg + fts, 2)}))


def run(args: argparse.Namespace) -> None:
    folder = Path(args.dir)
    meta = json.loads((folder / "meta.json").read_text())
    n_accounts = max(10, meta["docs"] // 50)
    team = list(range(0, n_accounts, max(1, n_accounts // sb.TEAM_SIZE)))[:sb.TEAM_SIZE]
    mix = sb.query_mix(meta["seed"], args.queries, n_accounts, meta["phones"])
    w_run, f_run = whoosh_runner(folder / "whoosh"), sb.fts5_runner(folder / "fts5.sqlite3")
    answers: dict[str, list[tuple[str, float]]] = {}
    profiler = cProfile.Profile() if args.profile else None
    w: dict[str, float] = {}
    totals: dict[str, int] = {}
    for name, queries in mix.items():
        for filtered in (False, True):
            label = name + ("+access" if filtered else "")
            times = []
            for text in queries:
                if profiler is not None and name == args.profile:
                    profiler.enable()
                started = time.process_time()
                found = w_run(text, team if filtered else None)
                totals[f"{label}:{text}"], answers[f"{label}:{text}"] = found
                times.append((time.process_time() - started) * 1000)
                if profiler is not None:
                    profiler.disable()
            w[label] = sb.percentile(times, 50)
    f: dict[str, float] = {}
    agree = 0
    for name, queries in mix.items():
        if args.only and name not in args.only:
            continue
        for filtered in (False, True):
            label = name + ("+access" if filtered else "")
            times = []
            for text in queries:
                started = time.process_time()
                agree += f_run(text, team if filtered else None) == totals[f"{label}:{text}"]
                times.append((time.process_time() - started) * 1000)
            f[label] = sb.percentile(times, 50)
    for label in f:
        ratio = w[label] / max(f[label], 1e-3)
        print(f"{label:24s} whoosh {w[label]:8.2f} ms  fts5 {f[label]:8.2f} ms  ratio {ratio:5.2f} (CPU)")
    if args.totals:
        Path(args.totals).write_text(json.dumps({k: [totals[k], answers[k]] for k in totals},
                                                ensure_ascii=False, sort_keys=True, indent=0))
    if profiler is not None:
        stats = pstats.Stats(profiler).sort_stats("cumulative")
        stats.print_stats(35)
        stats.sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=("build", "run"))
    parser.add_argument("--dir", required=True)
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--only", nargs="*", default=["zh_2terms", "phrase", "zh_1term", "common"])
    parser.add_argument("--profile", default="")
    parser.add_argument("--totals", default="", help="write every query's total here (JSON)")
    args = parser.parse_args()
    build(args) if args.action == "build" else run(args)


if __name__ == "__main__":
    main()
