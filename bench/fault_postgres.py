"""A throwaway PostgreSQL server for the fault suite and the benchmarks (bench/faults.py, scale_pg.py):
started by .ci/postgres.sh, stopped and started again on the same port with pg_ctl (the outage cases)."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from glob import glob
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_CTL = next(iter(sorted(glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)), None)


class Postgres:
    """A throwaway PostgreSQL server (.ci/postgres.sh), stopped and started on the same port by pg_ctl."""

    def __init__(self) -> None:
        # its own temp folder: the server's user must reach it (the suite's work folder is private)
        self.dir = Path(tempfile.mkdtemp(prefix="kb-faults-pg-"))
        result = subprocess.run([str(ROOT / ".ci/postgres.sh"), "start", str(self.dir)], capture_output=True,
                                text=True, timeout=120)
        if result.returncode != 0:
            self.close()
            raise RuntimeError(f".ci/postgres.sh start failed: {result.stderr.strip()[-500:]}")
        self.url = result.stdout.strip()
        self.port = (self.dir / "port").read_text().strip()

    def _pg_ctl(self, *args: str) -> None:
        owner = self.dir.owner()
        prefix = ["runuser", "-u", owner, "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, str(PG_CTL), f"--pgdata={self.dir}/data", *args], check=True,
                       capture_output=True, timeout=90)

    def stop(self) -> None:
        """`pg_ctl stop -m fast`: connections are closed, new ones refused."""
        self._pg_ctl("--mode=fast", "--wait", "--timeout=60", "stop")

    def start(self) -> None:
        """Start the server again on its port; returns once it accepts connections."""
        options = (f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.dir} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50")
        self._pg_ctl(f"--log={self.dir}/server.log", "--wait", "--timeout=60", "-o", options, "start")

    def close(self) -> None:
        """Stop the server and delete its folder."""
        subprocess.run([str(ROOT / ".ci/postgres.sh"), "stop", str(self.dir)], capture_output=True,
                       timeout=120)
        shutil.rmtree(self.dir, ignore_errors=True)
