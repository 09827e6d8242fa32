"""A query's fixed cost, cold, in seconds per iteration: the search bench's index built once, then each run
in a fresh process (empty caches, as the bench's first pass).

    .venv/bin/python bench/query_cost.py build /tmp/qc --docs 20000   # once: index, FTS5 table, query mix
    .venv/bin/python bench/query_cost.py run /tmp/qc                  # the whole mix cold; classes' p50
    .venv/bin/python bench/query_cost.py run /tmp/qc --profile pinyin # cProfile of one class's queries

The mix runs in the bench's order (earlier classes warm what they share with later ones, as there); the
classes' p50 (ms, wall) of ours and FTS5's and their ratio are printed.
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


def build(folder: Path, n_docs: int, seed: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    docs = list(sb.make_corpus(n_docs, seed))
    phones = [m.group() for d in docs[:5000] for m in sb._PHONE.finditer(d["body"])]
    docs.append(sb.planted_worst_case(n_docs))
    n_accounts = max(10, n_docs // 50)
    team = list(range(0, n_accounts, max(1, n_accounts // sb.TEAM_SIZE)))[:sb.TEAM_SIZE]
    mix = sb.query_mix(seed, 20, n_accounts, phones)
    (folder / "whoosh").mkdir()
    sb.whoosh_build(docs, folder / "whoosh", 2)
    sb.fts5_build(docs, folder / "fts5.sqlite3")
    (folder / "mix.json").write_text(json.dumps({"team": team, "mix": mix}, ensure_ascii=False))


def run(folder: Path, profile: str | None, engine: str) -> None:
    spec = json.loads((folder / "mix.json").read_text())
    team, mix = spec["team"], spec["mix"]
    runners = {"ours": sb.whoosh_runner(folder / "whoosh"), "fts5": sb.fts5_runner(folder / "fts5.sqlite3")}
    out: dict[str, dict[str, float]] = {}
    totals: dict[str, list[int]] = {}
    profiler = cProfile.Profile() if profile else None
    for name, runner in runners.items():
        if engine != "both" and name != engine:
            continue
        for cls, queries in mix.items():
            for filtered in (False, True):
                label = cls + ("+access" if filtered else "")
                times = []
                for text in queries:
                    on = profiler is not None and name == "ours" and cls == profile
                    if on:
                        profiler.enable()
                    started = time.perf_counter()
                    totals.setdefault(f"{label}:{text}", []).append(runner(text, team if filtered else None))
                    times.append((time.perf_counter() - started) * 1000)
                    if on:
                        profiler.disable()
                out.setdefault(label, {})[name] = round(sb.percentile(times, 50), 3)
    for label, row in out.items():
        ratio = row["ours"] / max(row["fts5"], 1e-3) if len(row) == 2 else float("nan")
        print(f"{label:22} ours {row.get('ours', 0):8.3f}  fts5 {row.get('fts5', 0):8.3f}  {ratio:5.2f}x")
    if engine == "both":
        agree = sum(1 for v in totals.values() if len(set(v)) == 1)
        print(f"totals agree {agree}/{len(totals)}")
    if profiler is not None:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=("build", "run"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--profile", help="a query class to profile (ours)")
    parser.add_argument("--engine", choices=("both", "ours", "fts5"), default="both")
    args = parser.parse_args()
    if args.action == "build":
        build(args.folder, args.docs, args.seed)
    else:
        run(args.folder, args.profile, args.engine)


if __name__ == "__main__":
    main()
