"""What the fault suite asserts after every fault (bench/faults.py): acknowledged writes kept and findable,
no 500, no duplicates, quiet logs, recovery time, a clean `kb check-index`."""
from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from fault_support import Attempt, Instance, Server, Traffic

#: Lines per second the server may write to stderr during a fault (a full disk once wrote ~1,250/s).
MAX_LOG_LINES_PER_SECOND = 10.0
#: A write's first 2xx after the fault is lifted comes within this many seconds.
MAX_RECOVERY_SECONDS = 10.0
#: Every acknowledged write is found by search within this many seconds of the end of the traffic.
FINDABLE_SECONDS = 60.0


@dataclass
class Check:
    """One assertion: its name, whether it held, and the figures behind it."""

    name: str
    ok: bool
    detail: str = ""


@dataclass
class Stage:
    """What a fault works on, and the time window it lasted."""

    suite: Any
    settings: Any
    server: Server
    instance: Instance
    traffic: Traffic
    fault_start: float = 0.0
    fault_end: float = 0.0
    log_lines: int = 0
    #: Seconds from the end of the fault to the first 2xx of a create sent after it (None: none came).
    recovery: float | None = None
    checks: list[Check] = field(default_factory=list)
    #: Checks to run once the traffic has finished (requests still under way are then recorded).
    deferred: list[Callable[[], None]] = field(default_factory=list)

    def later(self, check: Callable[[], None]) -> None:
        """Run `check` after the traffic has finished."""
        self.deferred.append(check)

    def check(self, name: str, ok: bool, detail: str = "") -> None:
        """Record a fault-specific check."""
        self.checks.append(Check(name, bool(ok), detail))


def during(attempts: list[Attempt], start: float, end: float) -> list[Attempt]:
    """The attempts that overlapped the window [start, end]."""
    return [a for a in attempts if a.end >= start and a.start <= end]


def database_rows(instance: Instance, tag: str) -> dict[str, list[int]]:
    """The accounts this traffic created, as {write word: [account ids]} (read from the database)."""
    from sqlalchemy import create_engine, select

    from models import Account

    engine = create_engine(instance.database_url)
    try:
        with engine.connect() as conn:
            stmt = select(Account.id, Account.name).where(Account.name.like(f"故障演练 {tag} %"))
            rows = conn.execute(stmt)
            found: dict[str, list[int]] = {}
            for account_id, name in rows:
                found.setdefault(name.rsplit(" ", 1)[1], []).append(account_id)
    finally:
        engine.dispose()
    return found


def search_all(traffic: Traffic, q: str, pages: int = 50) -> set[int] | None:
    """The account ids a search for `q` finds over all its pages (None if a page did not answer 200)."""
    ids: set[int] = set()
    for page in range(1, pages + 1):
        attempt, data = traffic.search_once(f"{q}", timeout=30) if page == 1 else _page(traffic, q, page)
        if attempt.status != 200:
            return None
        ids |= {hit["id"] for hit in data.get("results", []) if hit.get("type") == "account"}
        if page * 100 >= int(data.get("total", 0)):
            return ids
    return ids


def _page(traffic: Traffic, q: str, page: int) -> tuple[Attempt, dict[str, Any]]:
    import json
    import urllib.parse

    query = {"q": q, "type": "account", "per_page": 100, "page": page}
    path = "/api/v1/search?" + urllib.parse.urlencode(query)
    attempt, _headers, text = traffic._attempt("GET", path, timeout=30)
    return attempt, (json.loads(text) if attempt.status == 200 else {})


def _wait_findable(traffic: Traffic, expected: set[int]) -> tuple[float | None, set[int]]:
    """Poll search (bounded) until it finds every id in `expected`; (seconds taken or None, ids missing)."""
    started = time.monotonic()
    missing = set(expected)
    for _ in range(200):
        found = search_all(traffic, traffic.tag)
        if found is not None:
            missing = expected - found
            if not missing:
                return time.monotonic() - started, missing
        if time.monotonic() - started > FINDABLE_SECONDS:
            break
        time.sleep(0.5)
    return None, missing


def _check_index(instance: Instance) -> Check:
    try:
        result = instance.flask("check-index", timeout=120)
        return Check("kb check-index clean", True, result.stdout.strip().splitlines()[-1])
    except subprocess.CalledProcessError as exc:
        return Check("kb check-index clean", False, (exc.stdout + exc.stderr).strip()[-300:])


def _percentiles(values: list[float]) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    pick = [ordered[min(len(ordered) - 1, int(q * len(ordered)))] for q in (0.5, 0.95)] + [ordered[-1]]
    return " / ".join(f"{v:.2f}" for v in pick)


def server_500s(stage: Stage, limit: int = 3000) -> str:
    """What the server logged about its 500 answers: the requests (access log) and the first traceback
    (error log), so a rare 500 under a fault can be diagnosed from the report alone."""
    server = stage.server
    try:
        with open(server.access_log, encoding="utf-8", errors="replace") as f:
            requests = [line.strip() for line in f if '" 500 ' in line][:5]
        errors = server.error_log.read_text(errors="replace")
    except OSError as exc:
        return f" (server logs unreadable: {exc})"
    start = errors.find("Traceback")
    excerpt = errors[max(0, start - 300):start + limit] if start >= 0 else errors[-limit:]
    return "\n  500 requests:\n    " + "\n    ".join(requests) + "\n  server log:\n" + excerpt


def common_checks(stage: Stage, figures: dict[str, Any], *, outage: bool) -> list[Check]:
    """The checks every fault gets; fills `figures` with the numbers behind them."""
    traffic, checks = stage.traffic, []
    writes = traffic.writes
    attempts = traffic.all_attempts()
    acked = {w.word: w.account_id for w in writes if w.acknowledged}
    failed = [w for w in writes if not w.acknowledged]
    statuses = [a.status for a in attempts]
    rows = database_rows(stage.instance, traffic.tag)
    fault_seconds = max(stage.fault_end - stage.fault_start, 0.001)
    figures.update({
        "fault lasted (s)": round(fault_seconds, 1),
        "writes attempted": len(writes),
        "writes acknowledged": len(acked),
        "write attempts (retries incl.)": sum(len(w.attempts) for w in writes),
        "writes answered from a replayed key": sum(1 for w in writes if any(a.replayed for a in w.attempts)),
        "write latency p50/p95/max (s)": _percentiles([a.seconds for w in writes for a in w.attempts]),
        "searches": len(traffic.searches),
        "search latency p50/p95/max (s)": _percentiles([a.seconds for a, _ in traffic.searches]),
        "500 answers": statuses.count(500),
        "503 answers": statuses.count(503),
        "no answer (connection dropped/timeout)": statuses.count(0),
        "server 5xx (access log)": sum(n for s, n in stage.server.access_statuses().items() if s >= 500),
        "duplicates": sum(len(ids) - 1 for ids in rows.values() if len(ids) > 1),
        "log lines during fault": stage.log_lines,
        "log lines/s during fault": round(stage.log_lines / fault_seconds, 1),
    })
    checks.append(Check("no 500 answer", statuses.count(500) == 0,
                        f"{statuses.count(500)} of {len(statuses)} answers were 500"
                        + (server_500s(stage) if 500 in statuses else "")))
    other_5xx = [s for s in statuses if s >= 500 and s not in (500, 503)]
    if outage:
        checks.append(Check("no 5xx but 503", not other_5xx, f"other 5xx: {sorted(set(other_5xx))}"))
    else:
        bad = [s for s in statuses if s >= 500]
        checks.append(Check("no 5xx at all (no outage here)", not bad, f"{len(bad)} answers >= 500"))
    missing = [w for w, account_id in acked.items() if account_id not in rows.get(w, [])]
    checks.append(Check("every 2xx write in the database", not missing and bool(acked),
                        f"{len(acked) - len(missing)} of {len(acked)} acknowledged writes found"))
    dupes = {w: ids for w, ids in rows.items() if len(ids) > 1}
    checks.append(Check("no duplicate from a retried keyed write", not dupes,
                        f"{len(dupes)} keys created more than once" + (f", e.g. {next(iter(dupes.items()))}"
                                                                        if dupes else "")))
    saved_but_failed = [w for w in failed if w.word in rows]
    checks.append(Check("no saved write reported as failed", not saved_but_failed,
                        f"{len(saved_but_failed)} of {len(failed)} finally-failed writes were saved"))
    rate = stage.log_lines / fault_seconds
    checks.append(Check("log lines per second bounded", rate <= MAX_LOG_LINES_PER_SECOND,
                        f"{stage.log_lines} lines in {fault_seconds:.1f} s = {rate:.1f}/s "
                        f"(bound {MAX_LOG_LINES_PER_SECOND:g}/s)"))
    recovery = None if stage.recovery is None else round(stage.recovery, 2)
    figures["first 2xx write after fault (s)"] = recovery
    checks.append(Check("writes succeed again after the fault", recovery is not None
                        and recovery <= MAX_RECOVERY_SECONDS, f"first 2xx {recovery} s after the fault ended "
                        f"(bound {MAX_RECOVERY_SECONDS:g} s)"))
    took, unfound = _wait_findable(traffic, set(acked.values()))
    figures["search caught up after the traffic (s)"] = None if took is None else round(took, 2)
    checks.append(Check("every 2xx write findable by search", took is not None,
                        f"found all {len(acked)} in {took:.2f} s" if took is not None
                        else f"{len(unfound)} not found within {FINDABLE_SECONDS:g} s"))
    checks.append(_check_index(stage.instance))
    return checks
