"""Reindex benchmark (issue 9): `kb reindex --procs 2` and `kb check-index` at a given size of the scale
organisation, against the goals (≤ 120 s and ≤ 2 GB peak for the reindex, ≤ 15 s for check-index, at the
full size).

    .venv/bin/python bench/reindex_bench.py --fraction 0.25 --folder /tmp/kb-reindex-25   # builds once
    .venv/bin/python bench/reindex_bench.py --fraction 0.25 --folder /tmp/kb-reindex-25   # reuses it
    .venv/bin/python bench/reindex_bench.py --fraction 1 --folder /tmp/kb-reindex-full --procs 2 --limitmb 256

The database (demo data plus bench/scale_data.py's organisation at `--fraction`) is built once into
`--folder` (SQLite) and reused by later runs with the same folder; `--fresh` builds it again. Each run times
`kb reindex` (the peak RSS of its whole process tree, children included, is sampled every 0.1 s; the
largest single process is also read from getrusage(RUSAGE_CHILDREN)), then `kb check-index`, then
`kb check-index --repair` (nothing to repair), and prints each figure against its goal. The goals are for
the full size; at a fraction they are printed scaled linearly (documents grow linearly with the size).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from fault_support import Instance  # noqa: E402
from scale_http import timed_cli  # noqa: E402

PASSWORD = "demo1234"
CLI_SECONDS = 3600
GOALS = {"reindex_s": 120.0, "reindex_mb": 2048.0, "check_s": 15.0}


def prepare(folder: Path, fraction: float, fresh: bool) -> Instance:
    """The instance in `folder`: built (migrated, demo data, organisation at `fraction`) unless it is there."""
    marker = folder / "built.json"
    instance = Instance(folder, f"sqlite:///{folder / 'kb.sqlite3'}", folder / "index")
    if marker.exists() and not fresh:
        built = json.loads(marker.read_text())
        if built["fraction"] != fraction:
            raise SystemExit(f"{folder} holds fraction {built['fraction']}; use --fresh or another folder")
        print(f"reusing {folder} ({built})", flush=True)
        return instance
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    instance.flask("init")
    instance.flask("demo", "--if-empty", timeout=CLI_SECONDS)
    import scale_data
    from sqlalchemy import create_engine

    from kb.auth import hash_password
    engine = create_engine(instance.database_url)
    started = time.perf_counter()
    rows = scale_data.generate(engine, fraction=fraction, password_hash=hash_password(PASSWORD))
    engine.dispose()
    seconds = time.perf_counter() - started
    marker.write_text(json.dumps({"fraction": fraction, "rows": rows, "generate_s": round(seconds, 1)}))
    print(f"built {folder} in {seconds:.0f} s: {rows}", flush=True)
    return instance


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fraction", type=float, default=0.25, help="of the issue's organisation (0 < f ≤ 1)")
    parser.add_argument("--folder", type=Path, help="where the database is built once and reused")
    parser.add_argument("--fresh", action="store_true", help="build the database again")
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--limitmb", type=int, help="passed to kb reindex (default: its own)")
    parser.add_argument("--skip-reindex", action="store_true", help="time check-index on the existing index")
    args = parser.parse_args(argv)
    if not 0 < args.fraction <= 1:
        parser.error("--fraction must be in (0, 1]")
    folder = args.folder or Path(f"/tmp/kb-reindex-{args.fraction:g}")
    instance = prepare(folder, args.fraction, args.fresh)
    rows = []
    if not args.skip_reindex:
        extra = ["--limitmb", str(args.limitmb)] if args.limitmb else []
        r = timed_cli(instance, "reindex", "--procs", str(args.procs), *extra)
        print(r["output"].splitlines()[-1], flush=True)
        scaled_s = GOALS["reindex_s"] * args.fraction
        rows += [(f"kb reindex --procs {args.procs} ≤ {scaled_s:.0f} s", f"{r['seconds']:.1f} s (CPU {r['cpu_s']:.1f} s; load {os.getloadavg()[0]:.1f})",
                  r["seconds"] <= scaled_s),
                 ("kb reindex peak memory (process tree) ≤ 2048 MB",
                  f"{r['peak_mb']:.0f} MB (largest process {r['largest_mb']:.0f} MB)", r["peak_mb"] <= 2048)]
    c = timed_cli(instance, "check-index")
    print(c["output"].splitlines()[-1], flush=True)
    cr = timed_cli(instance, "check-index", "--repair")
    check_goal = GOALS["check_s"] * args.fraction
    rows += [(f"kb check-index ≤ {check_goal:.1f} s", f"{c['seconds']:.1f} s (CPU {c['cpu_s']:.1f} s, {c['peak_mb']:.0f} MB)",
              c["seconds"] <= check_goal),
             (f"kb check-index --repair (nothing to repair) ≤ {check_goal:.1f} s",
              f"{cr['seconds']:.1f} s (CPU {cr['cpu_s']:.1f} s, {cr['peak_mb']:.0f} MB)", cr["seconds"] <= check_goal)]
    live = (instance.index_dir / "current").resolve()
    index_mb = sum(p.stat().st_size for p in live.rglob("*") if p.is_file()) / 1e6
    print(f"\n== reindex benchmark: {args.fraction:g} of the organisation, SQLite "
          f"{(folder / 'kb.sqlite3').stat().st_size / 1e6:.0f} MB, index {index_mb:.0f} MB "
          f"(goals scaled by {args.fraction:g}) ==")
    for goal, figure, passed in rows:
        print(f"  {'PASS' if passed else 'FAIL'}  {goal:<58} {figure}")
    return 0 if all(p for *_, p in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
