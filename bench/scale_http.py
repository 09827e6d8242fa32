"""HTTP measuring for bench/scale.py: a signed-in client, sequential timings, bounded concurrent load, RSS.

Localhost only; every request has a timeout, every load run a fixed duration and a fixed pool of threads.
"""
from __future__ import annotations

import http.cookiejar
import re
import resource
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

TIMEOUT = 60
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Client:
    """A browser-like client of one server on 127.0.0.1: session cookie (signed in) or a bearer token."""

    def __init__(self, port: int, token: str = "") -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.token = token
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def like(self) -> Client:
        """A new client with this one's cookies (the same signed-in session) and token."""
        other = Client(int(self.base.rsplit(":", 1)[1]), token=self.token)
        for cookie in self.jar:
            other.jar.set_cookie(cookie)
        return other

    def sign_in(self, email: str, password: str) -> None:
        page = self.get("/login")[1]
        match = _CSRF.search(page)
        data = {"email": email, "password": password, "csrf_token": match.group(1) if match else ""}
        status, body = self.send("POST", "/login", urllib.parse.urlencode(data).encode(),
                                 {"Content-Type": "application/x-www-form-urlencoded"})
        if "/logout" not in body:
            raise RuntimeError(f"sign-in as {email} failed ({status})")

    def send(self, method: str, path: str, body: bytes | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, str]:
        headers = dict(headers or {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=headers)
        try:
            with self.opener.open(req, timeout=TIMEOUT) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")

    def get(self, path: str) -> tuple[int, str]:
        return self.send("GET", path)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100) of `values`, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def time_requests(client: Client, path: str, count: int, warmup: int = 3) -> dict[str, float]:
    """p50/p95 (ms) of `count` sequential GETs of `path` after `warmup` untimed ones; raises on a non-200."""
    for _ in range(warmup):
        client.get(path)
    times = []
    for _ in range(count):
        started = time.perf_counter()
        status, _ = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")
    return {"p50": statistics.median(times), "p95": percentile(times, 95)}


def throughput(make_client: Any, path: str, clients: int, seconds: float) -> dict[str, float]:
    """Requests/s of `clients` threads each GETting `path` in a loop for `seconds`, and their p95 (ms)."""
    pool = [make_client() for _ in range(clients)]
    deadline = time.monotonic() + seconds

    def loop(client: Client) -> tuple[list[float], int]:
        times, errors = [], 0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            status, _ = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            errors += status != 200
        return times, errors
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=clients) as executor:
        results = list(executor.map(loop, pool))
    elapsed = time.monotonic() - started
    times = [t for ts, _ in results for t in ts]
    return {"rps": len(times) / elapsed, "p95": percentile(times, 95) if times else 0.0,
            "errors": sum(e for _, e in results)}


def rss_mb(pid: int) -> float:
    """Resident memory of process `pid` in MB (VmRSS of /proc/<pid>/status), 0 if it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def tree_pids(root: int) -> list[int]:
    """`root` and all its descendants (from /proc/<pid>/stat's parent ids)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    found, frontier = [root], [root]
    while frontier:
        children = [p for p, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


def timed_cli(instance: Any, *args: str, limit_seconds: float = 3600) -> dict[str, Any]:
    """Run `flask kb ARGS`: wall seconds, the peak RSS (MB) of its process tree (sampled every 0.1 s) and
    the largest single process's peak RSS and the CPU seconds of the whole tree (getrusage of the children:
    on a loaded machine the CPU time says more than the wall time). `instance` is a bench Instance
    (fault_support); killed after `limit_seconds`; raises RuntimeError if the command fails."""
    from fault_support import ROOT, app_spec

    command = [sys.executable, "-m", "flask", "--app", app_spec(instance.instance_dir), "kb", *args]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=instance.env(), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, sum(rss_mb(p) for p in tree_pids(process.pid)))
        time.sleep(0.1)
        if time.perf_counter() - started > limit_seconds:
            process.kill()
    seconds = time.perf_counter() - started
    output = process.stdout.read().decode(errors="replace") if process.stdout else ""
    if process.returncode not in (0,):
        raise RuntimeError(f"kb {' '.join(args)} failed ({process.returncode}):\n{output[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"seconds": seconds, "cpu_s": cpu, "peak_mb": peak, "largest_mb": after.ru_maxrss / 1024,
            "output": output.strip()}
