"""The faults of bench/faults.py: each sets up its instance, applies its fault while the traffic runs, lifts
it, and adds its own checks to the common ones (bench/fault_checks.py)."""
from __future__ import annotations

import errno
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

from fault_checks import Stage, during
from fault_support import PG_CTL, ROOT, Instance, Postgres, kill_group

#: Writes answer within this many seconds (more than the slowest write outside the fault, same run) while
#: the index cannot be written (lock held, disk full).
MAX_WRITE_SECONDS = 2.0
#: Searches answer within this many seconds (more than the slowest search outside the fault) while the index
#: cannot be written.
MAX_SEARCH_SECONDS = 5.0
#: After the database returns, a write succeeds within this many seconds.
MAX_PG_RECOVERY_SECONDS = 5.0


class Unavailable(Exception):
    """A component the fault needs is missing (PostgreSQL binaries, permission to mount a tmpfs)."""


def _sleep_until(deadline: float) -> None:
    time.sleep(max(0.0, deadline - time.monotonic()))


def _searches_during(stage: Stage) -> list[tuple[Any, dict[str, Any]]]:
    return [(a, d) for a, d in stage.traffic.searches
            if a.end >= stage.fault_start and a.start <= stage.fault_end]


def _stale_checks(stage: Stage, label: str) -> None:
    """Searches during the fault answer, promptly, from the index as it is, and say it is behind."""
    searches = _searches_during(stage)
    ok = [a for a, _ in searches if a.status == 200]
    slowest = max((a.seconds for a, _ in searches), default=0.0)
    inside = {id(a) for a, _ in searches}
    outside = max((a.seconds for a, _ in stage.traffic.searches if id(a) not in inside), default=0.0)
    stage.check(f"searches answer during {label}", bool(searches) and len(ok) == len(searches),
                f"{len(ok)} of {len(searches)} answered 200")
    stage.check(f"searches answer within {MAX_SEARCH_SECONDS:g} s of the slowest outside {label}",
                bool(searches) and slowest <= MAX_SEARCH_SECONDS + outside,
                f"slowest {slowest:.2f} s; outside the fault {outside:.2f} s")
    carried = [d for a, d in stage.traffic.searches if a.status == 200]
    has_fields = bool(carried) and all("stale" in d and "index_lag" in d for d in carried)
    stale = [d for _, d in searches if d.get("stale") is True]
    stage.check("search answers carry stale and index_lag", has_fields,
                f"{sum(1 for d in carried if 'stale' in d)} of {len(carried)} answers carry 'stale'")
    stage.check(f"search says it is behind during {label}", bool(stale),
                f"{len(stale)} of {len(searches)} answers during the fault had stale: true")


def _write_latency_check(stage: Stage, label: str) -> None:
    """Writes do not wait on the index: each answers within MAX_WRITE_SECONDS more than the slowest write
    outside the fault in the same run (so a machine loaded by other work moves both sides alike; a write
    that waited on the held lock or the full disk takes many seconds more)."""
    writes = [a for w in stage.traffic.writes for a in w.attempts]
    attempts = during(writes, stage.fault_start, stage.fault_end)
    inside = {id(a) for a in attempts}
    outside = max((a.seconds for a in writes if id(a) not in inside), default=0.0)
    slowest = max((a.seconds for a in attempts), default=0.0)
    stage.check(f"every write answers within {MAX_WRITE_SECONDS:g} s of the slowest outside {label}",
                bool(attempts) and slowest <= MAX_WRITE_SECONDS + outside,
                f"{len(attempts)} attempts, slowest {slowest:.2f} s; outside the fault {outside:.2f} s")


def _no_dropped_writes(stage: Stage) -> None:
    gave_up = [a for w in stage.traffic.writes for a in w.attempts if a.status == 0]
    stage.check("no write timed out or was cut off", not gave_up, f"{len(gave_up)} attempts without answer")


# -- 1. kill a worker during concurrent writes ----------------------------------------------------------

def worker_kill(suite: Any, outcome: Any) -> None:
    """SIGKILL a gunicorn worker every ~2 s while writers create accounts (retried with their key)."""
    instance, token = suite.instance("worker_kill")

    def fault(stage: Stage) -> dict[str, Any]:
        rng, kills = random.Random(7), 0
        end = time.monotonic() + stage.settings.fault_seconds
        for _ in range(100):
            if time.monotonic() >= end:
                break
            pids = stage.server.worker_pids()
            if pids:
                try:
                    os.kill(rng.choice(pids), signal.SIGKILL)
                    kills += 1
                except ProcessLookupError:
                    pass
            time.sleep(min(2.0, max(0.0, end - time.monotonic())))
        stage.fault_end = time.monotonic()
        expected = int(stage.settings.fault_seconds // 2)
        stage.check("workers were killed", kills >= expected, f"{kills} SIGKILLs (expected >= {expected})")
        return {"workers killed": kills}

    suite.exercise(outcome, instance, token, fault)


# -- 2. stop and start PostgreSQL under load ------------------------------------------------------------

def pg_restart(suite: Any, outcome: Any) -> None:
    """`pg_ctl stop -m fast`, a few seconds down, `pg_ctl start`: 503 with Retry-After meanwhile."""
    if PG_CTL is None:
        raise Unavailable("PostgreSQL's server binaries (pg_ctl) are not installed")
    folder = suite.workdir / "pg_restart"
    folder.mkdir(parents=True, exist_ok=True)
    pg = Postgres()
    try:
        instance = Instance(folder, pg.url, folder / "index")
        token = instance.seed()

        def fault(stage: Stage) -> dict[str, Any]:
            pg.stop()
            down = time.monotonic()
            _sleep_until(down + stage.settings.pg_down_seconds)
            restart = time.monotonic()
            pg.start()
            stage.fault_end = up = time.monotonic()
            return {"database down (s)": round(up - down, 1), "_down": down, "_restart": restart}

        suite.exercise(outcome, instance, token, lambda stage: _outage(stage, fault), outage=True)
    finally:
        pg.close()


def _outage(stage: Stage, fault: Callable[[Stage], dict[str, Any]]) -> dict[str, Any]:
    figures = fault(stage)
    down, restart, up = figures.pop("_down"), figures.pop("_restart"), stage.fault_end
    stage.later(lambda: _outage_checks(stage, down, restart, up))
    return figures


def _outage_checks(stage: Stage, down: float, restart: float, up: float) -> None:
    """Answers started while the server was surely down (from the end of `pg_ctl stop` to the start of
    `pg_ctl start`: the server may accept connections a little before `pg_ctl start` returns)."""
    traffic = stage.traffic
    attempts = [a for w in traffic.writes for a in w.attempts] + [a for a, _ in traffic.searches]
    window = [a for a in attempts if down <= a.start <= restart]
    unavailable = [a for a in window if a.status == 503]
    wrong = [a for a in window if a.status >= 500 and a.status != 503 or a.status == 0]
    stage.check("503 while the database is down", bool(unavailable),
                f"{len(unavailable)} of {len(window)} answers in the outage were 503")
    stage.check("never 500 or a dropped connection in the outage", not wrong,
                f"{len(wrong)} answers: {sorted({a.status for a in wrong})}")
    health = [(a, d) for a, d in traffic.health if a.start >= down and a.end <= restart]
    stage.check("/healthz answers 503 while the database is down",
                bool(health) and all(a.status == 503 for a, _ in health),
                f"statuses {sorted({a.status for a, _ in health})} over {len(health)} probes")
    first = [a.end - up for w in traffic.writes for a in w.attempts
             if a.start >= up and 200 <= a.status < 300]
    recovery = min(first) if first else None
    stage.check(f"a write succeeds within {MAX_PG_RECOVERY_SECONDS:g} s of the database's return",
                recovery is not None and recovery <= MAX_PG_RECOVERY_SECONDS,
                f"first 2xx {None if recovery is None else round(recovery, 2)} s after pg_ctl start returned")


# -- 3. the index folder's disk fills up ----------------------------------------------------------------

def _mount_tmpfs(suite: Any, name: str) -> Path:
    """A 32 MiB tmpfs of our own for an index folder (so filling it fills nothing else)."""
    mount = suite.workdir / f"{name}-tmpfs"
    mount.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", str(mount)],
                            capture_output=True, text=True, timeout=30)
    if result.returncode != 0:
        raise Unavailable(f"cannot mount a tmpfs for the index (needs root): {result.stderr.strip()}")
    return mount


def _unmount(mount: Path) -> None:
    if subprocess.run(["umount", str(mount)], capture_output=True, timeout=30).returncode != 0:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True, timeout=30)


def index_full(suite: Any, outcome: Any) -> None:
    """The index folder on a small tmpfs, filled to the last byte during writes and searches, then freed."""
    mount = _mount_tmpfs(suite, "index_full")
    try:
        instance, token = suite.instance("index_full", index_dir=mount / "index")

        def fault(stage: Stage) -> dict[str, Any]:
            filled = _fill(mount / "filler")
            _sleep_until(stage.fault_start + stage.settings.fault_seconds)
            (mount / "filler").unlink()
            stage.fault_end = time.monotonic()
            stage.later(lambda: _write_latency_check(stage, "the full disk"))
            stage.later(lambda: _stale_checks(stage, "the full disk"))
            return {"bytes written to fill the disk": filled}

        suite.exercise(outcome, instance, token, fault)
    finally:
        _unmount(mount)


def index_lost(suite: Any, outcome: Any) -> None:
    """The index folder deleted while its disk is full: search answers 503 "unavailable" (never 500), no
    partial folder is left by failed rebuilds, and once there is room the index comes back by itself."""
    mount = _mount_tmpfs(suite, "index_lost")
    try:
        instance, token = suite.instance("index_lost", index_dir=mount / "index")

        def fault(stage: Stage) -> dict[str, Any]:
            root = instance.index_dir
            filled = _fill(mount / "filler-1")
            live = root / os.readlink(root / "current")
            (root / "current").unlink()
            doomed = root.parent / "deleted-index"
            os.rename(live, doomed)  # at once; a writer still busy in it may add files while we delete
            for _ in range(20):
                shutil.rmtree(doomed, ignore_errors=True)
                if not doomed.exists():
                    break
                time.sleep(0.05)
            filled += _fill(mount / "filler-2")
            _sleep_until(stage.fault_start + stage.settings.fault_seconds)
            left = _partial_folders(root)
            stage.check("no partial folder left by failed rebuilds", not left,
                        f"folders besides the live one, still there after 3 s: {left}")
            for filler in mount.glob("filler-*"):
                filler.unlink()
            stage.fault_end = time.monotonic()
            stage.later(lambda: _write_latency_check(stage, "the lost index"))
            stage.later(lambda: _unavailable_checks(stage))
            return {"bytes written to fill the disk": filled}

        suite.exercise(outcome, instance, token, fault, outage=True)
    finally:
        _unmount(mount)


def _partial_folders(root: Path, settle: float = 3.0) -> list[str]:
    """Index folders other than the live one that stay for `settle` seconds (a rebuild under way on a
    full disk fails within that time; a rebuild that won the race with the filler is the live one)."""
    def others() -> set[str]:
        live = os.readlink(root / "current") if (root / "current").is_symlink() else None
        return {p.name for p in root.glob("gen-*") if p.name != live}

    seen, deadline = others(), time.monotonic() + settle
    while seen and time.monotonic() < deadline:
        time.sleep(0.1)
        seen &= others()
    return sorted(seen)


def _unavailable_checks(stage: Stage) -> None:
    searches = _searches_during(stage)
    wrong = [a.status for a, _ in searches if a.status not in (200, 503)]
    unavailable = [a for a, d in searches
                   if a.status == 503 and d.get("error", {}).get("code") == "unavailable"]
    stage.check("search never 500 without its index", bool(searches) and not wrong,
                f"{len(searches)} searches; other statuses: {sorted(set(wrong))}")
    stage.check("search answers 503 unavailable without its index", bool(unavailable),
                f"{len(unavailable)} of {len(searches)} answered 503 with code 'unavailable'")


def _fill(path: Path, chunk: int = 1 << 20, max_chunks: int = 64) -> int:
    """Write `path` until the disk is full (ENOSPC), at most max_chunks MiB; returns the bytes written."""
    written = 0
    with open(path, "wb", buffering=0) as f:
        for _ in range(max_chunks):
            try:
                written += f.write(b"\0" * chunk)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
                break
        for _ in range(chunk // 512):  # the last partial chunk
            try:
                written += f.write(b"\0" * 512)
            except OSError:
                break
    return written


# -- 4. another process holds the index writer lock ------------------------------------------------------

HOLD_LOCK = """
import sys, time
from whoosh import index
ix = index.open_dir(sys.argv[1], indexname="kb")
writer = ix.writer(timeout=30)
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
writer.cancel()
"""


def index_lock(suite: Any, outcome: Any) -> None:
    """Another process takes Whoosh's writer lock on the live index and holds it during writes."""
    instance, token = suite.instance("index_lock")

    def fault(stage: Stage) -> dict[str, Any]:
        live = instance.index_dir / os.readlink(instance.index_dir / "current")
        seconds = stage.settings.lock_seconds
        holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(live), str(seconds)], cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            line = holder.stdout.readline().decode().strip() if holder.stdout else ""
            stage.fault_start = time.monotonic()
            if line != "locked":
                raise RuntimeError(f"lock holder failed: {line}")
            holder.wait(timeout=seconds + 30)
        finally:
            kill_group(holder)
            if holder.stdout:
                holder.stdout.close()
        stage.fault_end = time.monotonic()
        stage.later(lambda: _write_latency_check(stage, "the held lock"))
        stage.later(lambda: _stale_checks(stage, "the held lock"))
        stage.later(lambda: _no_dropped_writes(stage))
        return {"lock held (s)": round(stage.fault_end - stage.fault_start, 1)}

    suite.exercise(outcome, instance, token, fault)


# -- 5. kill `flask kb reindex` mid-build ---------------------------------------------------------------

def reindex_kill(suite: Any, outcome: Any) -> None:
    """SIGKILL a `kb reindex` as soon as its new index folder appears: search answers, the next reindex
    works and removes the partial folder."""
    instance, token = suite.instance("reindex_kill")

    def fault(stage: Stage) -> dict[str, Any]:
        root = instance.index_dir
        live = (root / os.readlink(root / "current")).name
        log = instance.folder / "reindex-killed.log"
        process = instance.flask_process("reindex", log=log)
        partial, mid_build, started = None, False, time.monotonic()
        try:
            for _ in range(6000):
                new = [p for p in root.glob("gen-*") if p.name != live]
                if new or process.poll() is not None or time.monotonic() - started > 60:
                    partial = new[0] if new else None
                    mid_build = bool(new) and process.poll() is None
                    break
                time.sleep(0.005)
        finally:
            kill_group(process)
        stage.fault_end = time.monotonic()
        stage.check("reindex killed mid-build", mid_build,
                    f"killed {stage.fault_end - started:.2f} s after its start"
                    + ("" if mid_build else f"; it had exited with {process.returncode}"))
        left = partial is not None and partial.exists()
        stage.later(lambda: _after_killed_reindex(stage, partial))
        return {"partial folder left by the kill": "yes" if left else "no"}

    suite.exercise(outcome, instance, token, fault)


def _after_killed_reindex(stage: Stage, partial: Path | None) -> None:
    """Search still answers; the next `kb reindex` succeeds and removes what the killed one left."""
    attempt, _data = stage.traffic.search_once(stage.traffic.tag, timeout=30)
    stage.check("search answers after the killed reindex", attempt.status == 200,
                f"{attempt.status} in {attempt.seconds:.2f} s")
    again = time.monotonic()
    try:
        stage.instance.flask("reindex", timeout=120)
        ok, detail = True, f"exit 0 in {time.monotonic() - again:.1f} s"
    except subprocess.CalledProcessError as exc:
        ok, detail = False, (exc.stdout + exc.stderr)[-300:]
    stage.check("the next reindex succeeds", ok, detail)
    folders = sorted(p.name for p in stage.instance.index_dir.glob("gen-*"))
    stage.check("no partial index folder left after the next reindex",
                partial is None or not partial.exists(), f"index folders now: {folders}")


SCENARIOS: dict[str, Callable[[Any, Any], None]] = {
    "worker_kill": worker_kill,
    "pg_restart": pg_restart,
    "index_full": index_full,
    "index_lost": index_lost,
    "index_lock": index_lock,
    "reindex_kill": reindex_kill,
}
