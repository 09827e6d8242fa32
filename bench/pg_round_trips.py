"""Round trips per request on PostgreSQL (issue 9: every page within 1.5× of SQLite), traced by libpq.

    .venv/bin/python bench/pg_round_trips.py --pg auto        # a throwaway server (.ci/postgres.sh)
    .venv/bin/python bench/pg_round_trips.py --pg postgresql+psycopg://user@host/db   # a new database there

Loads the demo data into a new database, signs in as the demo AR with the in-process test client, and GETs
a few pages (each `--samples` times after a warm-up). libpq's own trace of the app's connections (every
message between the app and the server) gives, per request: the round trips (the server's ReadyForQuery
answers), the app's own statements, and the fixed ones around them — the pool's ping (`;` with psycopg),
`BEGIN`, `COMMIT`, `ROLLBACK`. Then, untraced, the p50 (ms) of each page with requests alternating between
the app as it is and the app with those fixed round trips put back (`as_before`), so that the machine's
load drifts alike for both.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from fault_support import Instance  # noqa: E402
from sqlalchemy import event, func, select  # noqa: E402

AR_EMAIL, PASSWORD = "ar@demo.kb", "demo1234"
PAGES = [("account page", "/accounts/{account}"), ("account list", "/accounts"),
         ("API account", "/api/v1/accounts/{account}")]
#: The statements around the app's own that cost a round trip each.
FIXED = {";": "ping", "SELECT 1": "ping", "BEGIN": "BEGIN", "COMMIT": "COMMIT", "ROLLBACK": "ROLLBACK"}


def parse_trace(lines: list[str]) -> dict[str, Any]:
    """Round trips in libpq trace `lines` (REGRESS_MODE, no timestamps) and which of them were the fixed
    ones: the pool's ping (SQLAlchemy's psycopg dialect sends the empty statement ";"), BEGIN, COMMIT,
    ROLLBACK (simple-protocol Queries). Every round trip ends with the server's ReadyForQuery; the app's own
    statements (extended protocol: Parse/Bind/Execute/Sync) are the rest."""
    kinds: Counter[str] = Counter()
    round_trips = 0
    for line in lines:
        parts = line.rstrip("\n").split("\t")
        if len(parts) < 3 or parts[0] not in ("F", "B"):
            continue  # a statement's text goes on over several lines
        if parts[0] == "B" and parts[2] == "ReadyForQuery":
            round_trips += 1
        elif parts[0] == "F" and parts[2] == "Query" and len(parts) > 3:
            text = " ".join(parts[3].strip().strip('"').split()).upper()
            kinds[FIXED.get(text, "app statement")] += 1
    kinds["app statement"] = round_trips - sum(n for k, n in kinds.items() if k != "app statement")
    return {"round_trips": round_trips, "kinds": kinds}


def measure(app: Any, path: str, samples: int, trace_file: Path, traced: list[Any]) -> dict[str, Any]:
    """Per request: round trips and their kinds (of the last traced request)."""
    client = app.test_client()
    client.post("/login", data={"email": AR_EMAIL, "password": PASSWORD})
    for _ in range(3):
        assert client.get(path).status_code == 200, path
    trips = []
    kinds: Counter[str] = Counter()
    for _ in range(samples):
        start = len(trace_file.read_text().splitlines())
        assert client.get(path).status_code == 200, path
        parsed = parse_trace(trace_file.read_text().splitlines()[start:])
        trips.append(parsed["round_trips"])
        kinds = parsed["kinds"]
    return {"round_trips": statistics.median(trips), "kinds": kinds}


def run(url: str, samples: int) -> None:
    """Build the demo database at `url`, trace the app's connections, print the table."""
    from psycopg.pq import Trace

    from kb import create_app
    from models import Account, Interaction
    work = Path(tempfile.mkdtemp(prefix="kb-pg-trips-"))
    instance = Instance(work, url, work / "index")
    instance.flask("init")
    instance.flask("demo", "--if-empty", timeout=600)
    instance.flask("reindex")
    config = {"INSTANCE_PATH": str(instance.instance_dir), "DATABASE_URL": url,
              "SEARCH_INDEX_DIR": str(instance.index_dir), "SECRET_KEY": "trips", "WTF_CSRF_ENABLED": False}
    app = create_app(config)
    trace_file = work / "libpq.trace"
    out = open(trace_file, "w")  # noqa: SIM115 — libpq writes to it until the end
    traced: list[Any] = []

    def trace(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.pgconn.trace(out.fileno())
        dbapi_connection.pgconn.set_trace_flags(Trace.SUPPRESS_TIMESTAMPS | Trace.REGRESS_MODE)
        traced.append(dbapi_connection)

    engine = app.extensions["kb.db"].engine
    engine.dispose()
    event.listen(engine, "connect", trace)
    with app.app_context():
        from kb.db import session
        account = session.scalar(select(Account.id).join(Interaction, Interaction.account_id == Account.id)
                                 .group_by(Account.id).order_by(func.count(Interaction.id).desc()).limit(1))
    print(f"{'page / API call':<16}{'round trips':>12}  of one request (traced: times below, untraced)")
    for name, path in PAGES:
        result = measure(app, path.format(account=account), samples, trace_file, traced)
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(result["kinds"].items()))
        print(f"{name:<16}{result['round_trips']:>12.0f}  {kinds}")
    stop(app)
    out.close()
    interleaved(config, account, samples)
    shutil.rmtree(work, ignore_errors=True)


def as_before(app: Any) -> Any:
    """`app` with the per-request costs this benchmark measures put back: the pool's pre-ping, and a GET's
    session in a transaction (BEGIN … COMMIT)."""
    db = app.extensions["kb.db"]
    db.read_engine = db.engine.execution_options()
    db.engine.pool._pre_ping = True
    return app


def interleaved(config: dict[str, Any], account: int, samples: int) -> None:
    """p50 of each page, requests alternating between the app as it is and `as_before` (same process,
    same database, untraced): the machine's load drifts alike for both."""
    from kb import create_app
    apps = {"now": create_app(config), "before": as_before(create_app(config))}
    clients = {}
    for mode, app in apps.items():
        clients[mode] = app.test_client()
        clients[mode].post("/login", data={"email": AR_EMAIL, "password": PASSWORD})
    print(f"\ninterleaved, {samples} requests each: p50 ms as before (pre-ping, BEGIN/COMMIT) -> now")
    for name, path in PAGES:
        url = path.format(account=account)
        times: dict[str, list[float]] = {"now": [], "before": []}
        for i in range(samples + 3):
            for mode in (("now", "before") if i % 2 else ("before", "now")):
                started = time.perf_counter()
                assert clients[mode].get(url).status_code == 200, url
                if i >= 3:
                    times[mode].append((time.perf_counter() - started) * 1000)
        before, now = statistics.median(times["before"]), statistics.median(times["now"])
        print(f"{name:<16}{before:>8.1f} -> {now:.1f} ms ({now - before:+.1f} ms, {now / before:.2f}×)")
    for app in apps.values():
        stop(app)


def stop(app: Any) -> None:
    """Stop `app`'s search catch-up thread (started by its first request), then close its connections."""
    from kb.search import CATCH_UP_KEY
    app.extensions[CATCH_UP_KEY].stop()
    app.extensions["kb.db"].engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg", required=True, metavar="URL", help="a PostgreSQL server URL, or 'auto'")
    parser.add_argument("--samples", type=int, default=30, help="timed requests per page (5..500)")
    args = parser.parse_args(argv)
    samples = min(max(args.samples, 5), 500)
    import scale
    server = None
    try:
        if args.pg == "auto":
            import scale_pg
            server = scale_pg.AutoPostgres()
            base = server.url
        else:
            base = args.pg
        run(scale.pg_database(base, "kb_round_trips"), samples)
    finally:
        scale.drop_databases()
        if server is not None:
            server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
