"""PostgreSQL against SQLite for bench/scale.py (`--compare-pg URL|auto`): issue 9's goal "on PostgreSQL every
page within 1.5× of SQLite".

The scale instance (the demo data plus the same generated organisation) is built a second time in a new
database on PostgreSQL, analysed (`ANALYZE`, what autovacuum does after a bulk load), indexed, and served by
gunicorn beside the SQLite scale instance; the same pages for the same reader are then timed on both servers
alternately, request by request (`side_by_side`): on a shared machine the load changes from minute to minute,
and two runs minutes apart compared the load, not the databases (a run on 2026-11-30 timed the SQLite pages
first and PostgreSQL 5 minutes later while other work started: account page 4.15×; alternating, the ratio is
the databases'). Printed per page and API call: SQLite p50, PostgreSQL p50, their ratio
(PASS ≤ 1.5×), the SQL statements on each (PASS when PostgreSQL runs as many or fewer), and for a page over
1.5× its slowest statements on PostgreSQL (timed in-process) to EXPLAIN ANALYZE.
"""
from __future__ import annotations

import statistics
import time

from typing import Any

from sqlalchemy import create_engine, text

from fault_support import Instance, Server
from scale_http import Client, percentile

#: PostgreSQL's p50 may be at most this many times SQLite's.
MAX_RATIO = 1.5


class AutoPostgres:
    """A throwaway PostgreSQL server started by .ci/postgres.sh (as `make test-postgres` does)."""

    def __init__(self) -> None:
        from fault_support import Postgres
        self._server = Postgres()
        self.url = self._server.url

    def close(self) -> None:
        """Stop the server and delete its folder."""
        self._server.close()


def analyze(url: str) -> None:
    """`ANALYZE` the database at `url` (planner statistics after the bulk insert of the organisation)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
    engine.dispose()


def side_by_side(sqlite: Instance, pg: Instance, paths: dict[str, str], tokens: tuple[str, str], *,
                 email: str, password: str, samples: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Serve both instances at once and time each path on them alternately: per sample one request to each,
    the first one alternating, after 3 untimed ones each. Returns ({name: {"p50", "p95"}} of SQLite,
    the same of PostgreSQL), in ms; raises RuntimeError on an answer other than 200."""
    servers = [Server(sqlite), Server(pg)]
    try:
        clients = []
        for server, token in zip(servers, tokens):
            server.wait_healthy()
            web, api = Client(server.port), Client(server.port, token=token)
            web.sign_in(email, password)
            clients.append((web, api))
        times: tuple[dict[str, Any], dict[str, Any]] = ({}, {})
        for name, path in paths.items():
            pair = [api if path.startswith("/api/") else web for web, api in clients]
            for client in pair * 3:
                client.get(path)
            timed: tuple[list[float], list[float]] = ([], [])
            for sample in range(samples):
                for side in ((0, 1) if sample % 2 == 0 else (1, 0)):
                    started = time.perf_counter()
                    status, _ = pair[side].get(path)
                    timed[side].append((time.perf_counter() - started) * 1000)
                    if status != 200:
                        raise RuntimeError(f"GET {path} answered {status}")
            for side in (0, 1):
                times[side][name] = {"p50": statistics.median(timed[side]), "p95": percentile(timed[side], 95)}
        return times
    finally:
        for server in servers:
            server.stop()


def goals(sqlite: dict[str, Any], pg: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(goal, figure, passed): per page and API call, PG p50 ≤ 1.5× SQLite's and PG SQL statements ≤ SQLite's."""
    rows = []
    for name in sqlite["times"]:
        s, p = sqlite["times"][name]["p50"], pg["times"][name]["p50"]
        rows.append((f"{name}: PostgreSQL p50 ≤ {MAX_RATIO:g}× SQLite", f"{p:.0f} / {s:.0f} ms = {p / s:.2f}×",
                     p <= MAX_RATIO * s))
        rows.append((f"{name}: PostgreSQL SQL statements ≤ SQLite", f"{pg['sql'][name]} vs {sqlite['sql'][name]}",
                     0 <= pg["sql"][name] <= sqlite["sql"][name]))
    return rows


def report(sqlite: dict[str, Any], pg: dict[str, Any], *, samples: int) -> int:
    """Print the PostgreSQL vs SQLite table and goals; returns the number of goals that failed."""
    print(f"\n== PostgreSQL vs SQLite (the scale instance on each, same reader and pages, {samples} samples; "
          "both served at once, timed alternately) ==")
    if sqlite["ids"] != pg["ids"]:
        print(f"warning: the pages show other records on PostgreSQL: {pg['ids']} vs SQLite {sqlite['ids']}")
    print(f"{'page / API call':<18}{'SQLite p50':>11}{'PG p50':>8}{'ratio':>7}{'PG p95':>8}"
          f"{'SQL SQLite':>12}{'PG':>5}")
    for name in sqlite["times"]:
        s, p = sqlite["times"][name], pg["times"][name]
        print(f"{name:<18}{s['p50']:>11.1f}{p['p50']:>8.1f}{p['p50'] / s['p50']:>6.2f}×{p['p95']:>8.1f}"
              f"{sqlite['sql'][name]:>12}{pg['sql'][name]:>5}")
    slow = [name for name in sqlite["times"]
            if pg["times"][name]["p50"] > MAX_RATIO * sqlite["times"][name]["p50"]]
    for name in slow:
        print(f"\nslowest statements of '{name}' on PostgreSQL (ms, one in-process visit):")
        for ms, statement in pg.get("slow_sql", {}).get(name, []):
            print(f"  {ms:7.1f}  {' '.join(statement.split())[:300]}")
    print("\ngoals (issue 9 §2, PostgreSQL within 1.5× of SQLite):")
    rows = goals(sqlite, pg)
    for goal, figure, passed in rows:
        print(f"  {'PASS' if passed else 'FAIL'}  {goal:<52} {figure}")
    failed = sum(1 for *_, passed in rows if not passed)
    print(f"\n{len(rows) - failed} of {len(rows)} PostgreSQL goals pass")
    return failed
