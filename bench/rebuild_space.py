"""How much free disk a full rebuild of the search index needs, as a multiple of the index's size.

Loads the demo data plus `--accounts` generated accounts (each with `--visits` visits of Chinese and
English text), builds the index, then runs a second full rebuild (what `flask kb reindex` and a worker that
lost its index folder do) while sampling the size of the index folder every few milliseconds. Reports the
peak of disk the rebuild used on top of the live index, divided by the size of the index it produced.

    .venv/bin/python bench/rebuild_space.py --accounts 2000 --visits 5   # about 5 minutes
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.search_bench import _sentence, company  # noqa: E402
from kb import create_app  # noqa: E402
from kb.migrate import upgrade  # noqa: E402
from models import Account, Coverage, Interaction, InteractionKind, Tier, Visibility  # noqa: E402


def disk_usage(path: Path) -> int:
    """Bytes of disk used by the files under `path` (allocated blocks, as `du` counts)."""
    total = 0
    for f in path.rglob("*"):
        try:
            if f.is_file() and not f.is_symlink():
                total += f.stat().st_blocks * 512
        except FileNotFoundError:  # a temporary file removed while we looked
            pass
    return total


def _text(rng: random.Random, chars: int) -> str:
    out = ""
    while len(out) < chars:
        out += _sentence(rng)
    return out


def load(app, accounts: int, visits: int, seed: int) -> None:  # type: ignore[no-untyped-def]
    from kb.db import session
    from kb.demo import load_demo

    rng = random.Random(seed)
    with app.app_context():
        load_demo(session)
        session.commit()
        for n in range(accounts):
            account = Account(name=f"{company(rng)}{n}", name_en=f"Generated Account {n}", aliases=[],
                              industry="电信", region="华东", tier=Tier.KEY, coverage=Coverage.DIRECT,
                              description=_text(rng, 400))
            session.add(account)
            session.flush()
            for v in range(visits):
                session.add(Interaction(account_id=account.id, visibility=Visibility.ORG, title=f"拜访 {v}",
                                        summary=_text(rng, 600),
                                        occurred_on=date(2026, 1 + v % 12, 1 + v % 28),
                                        kind=InteractionKind.VISIT))
            if n % 100 == 99:
                session.commit()
        session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--visits", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--limitmb", type=int, nargs="+", default=[4096, 256],
                        help="writer memory of each measured rebuild (4096: kb reindex; 256: a web worker)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        url = f"sqlite:///{root / 'kb.sqlite3'}"
        upgrade(create_engine(url))
        app = create_app({"DATABASE_URL": url, "SEARCH_INDEX_DIR": str(root / "index"),
                          "INSTANCE_PATH": str(root / "instance"), "SECRET_KEY": "bench"})
        load(app, args.accounts, args.visits, args.seed)
        with app.app_context():
            from kb.search import get_index

            index = get_index()
            index.rebuild(limitmb=args.limitmb[0])  # the live index the measured rebuilds run beside
            for limitmb in args.limitmb:
                print(measure_rebuild(index, limitmb), flush=True)


def measure_rebuild(index, limitmb: int) -> str:  # type: ignore[no-untyped-def]
    """One full rebuild beside the live index, sampling the disk used under the index folder."""
    live = disk_usage(index.live_path())
    peak, stop = [0], threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], disk_usage(index.root))
            time.sleep(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    documents = index.rebuild(limitmb=limitmb)
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    built = disk_usage(index.live_path())
    extra = peak[0] - live
    return (f"limitmb {limitmb}: documents {documents}; index {built / 1e6:.2f} MB; rebuild {seconds:.1f} s; "
            f"peak disk during rebuild {peak[0] / 1e6:.2f} MB = live {live / 1e6:.2f} MB + "
            f"{extra / 1e6:.2f} MB; free space needed = {extra / built:.2f} x the index size")

if __name__ == "__main__":
    main()
