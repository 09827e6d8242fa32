"""Machinery of the fault suite (bench/faults.py): a throwaway instance, the real server (gunicorn, 2
workers), a throwaway PostgreSQL server, and HTTP clients that record every answer.

Everything here is bounded: every wait has a deadline, every loop a count, every process started is
killed (its whole process group) by the `stop`/`close` methods, which the suite calls in `finally`."""
from __future__ import annotations

import http.client
import json
import os
import random
import signal
import socket
import sqlite3
import string
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from glob import glob
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))  # (loaded by path too, e.g. by tests/test_api_schemathesis.py)
from fault_postgres import PG_CTL, Postgres  # noqa: E402,F401 (the fault suite's PostgreSQL server)

ADMIN_EMAIL = "admin@demo.kb"
STARTUP_SECONDS = 90
CLI_SECONDS = 180
#: gunicorn's worker timeout, as in production (its default).
WORKER_TIMEOUT = 30
#: A client waits this long for an answer: longer than the worker timeout, so a killed worker shows.
REQUEST_SECONDS = WORKER_TIMEOUT + 10


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def word(rng: random.Random, length: int = 10) -> str:
    """A random lowercase word: one search term the analyzer keeps whole."""
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(length))


def app_spec(instance: Path) -> str:
    """The app factory call for gunicorn and `flask --app`, with its own instance folder."""
    return f"kb:create_app({{'INSTANCE_PATH': {str(instance)!r}}})"


def kill_group(process: subprocess.Popen[Any], sig: int = signal.SIGKILL, wait: float = 20) -> None:
    """Send `sig` to the process group of `process` (started with start_new_session) and reap it."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass
    try:
        process.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=wait)


@dataclass
class Instance:
    """A database URL, an index folder and an instance folder: what one app server uses."""

    folder: Path
    database_url: str
    index_dir: Path

    @property
    def instance_dir(self) -> Path:
        return self.folder / "instance"

    def env(self) -> dict[str, str]:
        """The environment of the server and the CLI: configured only by KB_* variables."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
        env.update(KB_DATABASE_URL=self.database_url, KB_SEARCH_INDEX_DIR=str(self.index_dir),
                   KB_SECRET_KEY="fault-suite", PYTHONUNBUFFERED="1")
        return env

    def flask(self, *args: str, timeout: float = CLI_SECONDS) -> subprocess.CompletedProcess[str]:
        """Run `flask --app ... kb ARGS` for this instance; raises if it fails."""
        command = [sys.executable, "-m", "flask", "--app", app_spec(self.instance_dir), "kb", *args]
        return subprocess.run(command, cwd=ROOT, env=self.env(), capture_output=True, text=True,
                              timeout=timeout, check=True)

    def flask_process(self, *args: str, log: Path) -> subprocess.Popen[bytes]:
        """Start `flask --app ... kb ARGS` in its own process group (to be killed)."""
        with open(log, "wb") as out:
            return subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", app_spec(self.instance_dir), "kb", *args],
                cwd=ROOT, env=self.env(), stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    def seed(self) -> str:
        """Migrate, load the demo data, and return an admin's API token."""
        self.flask("init")
        self.flask("demo", "--if-empty")
        return self.flask("create-token", "--email", ADMIN_EMAIL, "--label", "fault-suite").stdout.strip()

    def copy_sqlite_to(self, folder: Path, index_dir: Path) -> Instance:
        """A new instance in `folder` with a copy of this SQLite database (online backup API)."""
        folder.mkdir(parents=True, exist_ok=True)
        source = self.database_url.removeprefix("sqlite:///")
        target = folder / "kb.sqlite3"
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        src.close()
        dst.close()
        return Instance(folder, f"sqlite:///{target}", index_dir)


class Server:
    """The real server: gunicorn with 2 workers on a free loopback port, as `make run` starts it."""

    def __init__(self, instance: Instance, workers: int = 2) -> None:
        self.instance = instance
        self.port = free_port()
        self.error_log = instance.folder / f"server-{self.port}.stderr.log"
        self.access_log = instance.folder / f"server-{self.port}.access.log"
        command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}",
                   "--workers", str(workers), "--timeout", str(WORKER_TIMEOUT), "--graceful-timeout", "5",
                   "--access-logfile", "-", app_spec(instance.instance_dir)]
        with open(self.access_log, "wb") as out, open(self.error_log, "wb") as err:
            self.process = subprocess.Popen(command, cwd=ROOT, env=instance.env(), stdout=out, stderr=err,
                                            start_new_session=True)

    def wait_healthy(self) -> None:
        """Wait (bounded) until /healthz answers 200."""
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{self.tail()}")
            try:
                if get(self.port, "/healthz", timeout=5)[0] == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"server not healthy after {STARTUP_SECONDS} s:\n{self.tail()}")

    def worker_pids(self) -> list[int]:
        """The pids of gunicorn's workers (the master's children)."""
        pids = []
        for stat in glob("/proc/[0-9]*/stat"):
            try:
                fields = Path(stat).read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(Path(stat).parent.name))
        return sorted(pids)

    def log_lines(self) -> int:
        """Lines the server wrote to stderr so far (gunicorn's error log and the app's logging)."""
        with open(self.error_log, "rb") as f:
            return sum(1 for _ in f)

    def access_statuses(self) -> dict[int, int]:
        """How many answers of each status the server logged (gunicorn's access log)."""
        counts: dict[int, int] = {}
        with open(self.access_log, encoding="utf-8", errors="replace") as f:
            for line in f:
                parts = line.split('" ')
                if len(parts) >= 2 and parts[1][:3].isdigit():
                    status = int(parts[1][:3])
                    counts[status] = counts.get(status, 0) + 1
        return counts

    def tail(self, n: int = 3000) -> str:
        """The end of the server's stderr."""
        try:
            return self.error_log.read_text(errors="replace")[-n:]
        except OSError:
            return ""

    def stop(self) -> None:
        """Stop gunicorn and its workers (its own process group): TERM, then KILL."""
        kill_group(self.process, signal.SIGTERM, wait=15)


# -- HTTP ------------------------------------------------------------------------------------------------

def request(port: int, method: str, path: str, *, body: Any = None, headers: dict[str, str] | None = None,
            timeout: float = REQUEST_SECONDS) -> tuple[int, dict[str, str], str]:
    """One HTTP request to 127.0.0.1:port on a new connection; raises OSError/HTTPException on failure."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        data = json.dumps(body).encode() if body is not None else None
        all_headers = {"Content-Type": "application/json"} if data is not None else {}
        all_headers.update(headers or {})
        conn.request(method, path, body=data, headers=all_headers)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode()
    finally:
        conn.close()


def get(port: int, path: str, *, token: str = "", timeout: float = REQUEST_SECONDS
        ) -> tuple[int, dict[str, str], str]:
    """GET `path`, with the bearer token if given."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return request(port, "GET", path, headers=headers, timeout=timeout)


@dataclass
class Attempt:
    """One HTTP attempt: when it started and ended (monotonic), and its status (0: no answer)."""

    start: float
    end: float
    status: int
    error: str = ""
    replayed: bool = False

    @property
    def seconds(self) -> float:
        return self.end - self.start


@dataclass
class Write:
    """One intended create (an account), with every attempt made under its Idempotency-Key."""

    key: str
    word: str
    attempts: list[Attempt] = field(default_factory=list)
    account_id: int | None = None

    @property
    def acknowledged(self) -> bool:
        return self.account_id is not None


def _in_progress(status: int, text: str) -> bool:
    """409 `in_progress`: the first request with this key is still under way; retry a moment later."""
    try:
        return status == 409 and json.loads(text)["error"]["code"] == "in_progress"
    except (ValueError, KeyError, TypeError):
        return False


@dataclass
class Traffic:
    """Client threads against one server: keyed creates retried with the same key, searches, health
    probes. Each thread stops at `stop`, after `max_per_thread` requests, or at its deadline."""

    port: int
    token: str
    tag: str
    rng_seed: int = 1
    max_per_thread: int = 400
    retry_attempts: int = 12
    retry_seconds: float = 45.0
    writes: list[Write] = field(default_factory=list)
    searches: list[tuple[Attempt, dict[str, Any]]] = field(default_factory=list)
    health: list[tuple[Attempt, dict[str, Any]]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _threads: list[threading.Thread] = field(default_factory=list)

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def _attempt(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
                 timeout: float = REQUEST_SECONDS) -> tuple[Attempt, dict[str, str], str]:
        start = time.monotonic()
        try:
            all_headers = {**self._auth(), **(headers or {})}
            status, answer_headers, text = request(self.port, method, path, body=body, headers=all_headers,
                                                   timeout=timeout)
        except (OSError, http.client.HTTPException) as exc:
            return Attempt(start, time.monotonic(), 0, type(exc).__name__), {}, ""
        attempt = Attempt(start, time.monotonic(), status,
                          replayed=answer_headers.get("idempotent-replayed", "").lower() == "true")
        return attempt, answer_headers, text

    def create(self, write: Write) -> None:
        """Create one account under `write.key`, retrying with the same key after an error, a 5xx or a 409
        `in_progress` (bounded)."""
        body = {"name": f"故障演练 {self.tag} {write.word}",
                "description": f"fault suite write {write.key}"}
        deadline = time.monotonic() + self.retry_seconds
        for number in range(self.retry_attempts):
            attempt, headers, text = self._attempt("POST", "/api/v1/accounts", body,
                                                   {"Idempotency-Key": write.key})
            write.attempts.append(attempt)
            if 200 <= attempt.status < 300:
                write.account_id = int(json.loads(text)["id"])
                return
            if (400 <= attempt.status < 500 and not _in_progress(attempt.status, text)
                    or time.monotonic() >= deadline):
                return
            pause = min(float(headers.get("retry-after", "0") or 0), 1.0) or 0.2 * (number + 1)
            time.sleep(min(pause, 1.0))

    def record(self, write: Write) -> None:
        """Count `write` among this traffic's writes (every one is verified afterwards)."""
        with self._lock:
            self.writes.append(write)

    def _writer(self, number: int) -> None:
        rng = random.Random(self.rng_seed * 1000 + number)
        for n in range(self.max_per_thread):
            if self.stop.is_set():
                return
            write = Write(key=f"fault-{self.tag}-{number}-{n}-{word(rng, 6)}", word=word(rng))
            self.record(write)
            self.create(write)
            time.sleep(0.01)

    def search_once(self, q: str, timeout: float = REQUEST_SECONDS) -> tuple[Attempt, dict[str, Any]]:
        """One API search (accounts only, 100 a page) and its JSON body ({} if none)."""
        path = "/api/v1/search?" + urllib.parse.urlencode({"q": q, "type": "account", "per_page": 100})
        attempt, _headers, text = self._attempt("GET", path, timeout=timeout)
        try:
            data = json.loads(text) if text else {}
        except ValueError:
            data = {}
        return attempt, data if isinstance(data, dict) else {}

    def _searcher(self, number: int) -> None:
        for _ in range(self.max_per_thread):
            if self.stop.is_set():
                return
            self.searches.append(self.search_once(self.tag))
            time.sleep(0.25)

    def _prober(self, number: int) -> None:
        for _ in range(self.max_per_thread):
            if self.stop.is_set():
                return
            attempt, _headers, text = self._attempt("GET", "/healthz", timeout=10)
            try:
                data = json.loads(text) if text else {}
            except ValueError:
                data = {}
            self.health.append((attempt, data))
            time.sleep(0.5)

    def start(self, *, writers: int, searchers: int = 1, probes: int = 1) -> None:
        """Start the client threads."""
        for kind, count in ((self._writer, writers), (self._searcher, searchers), (self._prober, probes)):
            for number in range(count):
                thread = threading.Thread(target=kind, args=(number,), daemon=True)
                thread.start()
                self._threads.append(thread)

    def finish(self, timeout: float = 90) -> None:
        """Stop the threads and wait (bounded) for their last requests and retries."""
        self.stop.set()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.1, deadline - time.monotonic()))

    def all_attempts(self) -> list[Attempt]:
        """Every write, search and health attempt."""
        return ([a for w in self.writes for a in w.attempts] + [a for a, _ in self.searches]
                + [a for a, _ in self.health])

