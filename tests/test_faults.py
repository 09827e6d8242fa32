"""The fault suite (bench/faults.py), quick variant: the real server (gunicorn, 2 workers) under each fault
with bounded loopback traffic. Per fault: every acknowledged write kept and findable, no 500 (503 while
the database is down), no duplicate from a retried keyed write, bounded log lines, recovery.

pg_restart starts its own PostgreSQL server (needs PostgreSQL's server binaries); index_full and index_lost
mount a tmpfs (need root). Without them the fault is skipped, or fails with CI=true. With
KB_TEST_DATABASE_URL set (CI's PostgreSQL pass) the other faults run on a database the suite creates
beside the test database.
"""
from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("kb_fault_suite", ROOT / "bench" / "faults.py")
assert _spec is not None and _spec.loader is not None
faults = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = faults  # dataclasses look their module up there
_spec.loader.exec_module(faults)

pytestmark = pytest.mark.slow

STRICT = os.environ.get("CI") == "true"


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    settings = faults.Settings(quick=True, database_url=os.environ.get("KB_TEST_DATABASE_URL") or None)
    suite = faults.Suite(settings, tmp_path_factory.mktemp("faults"))
    try:
        yield suite
    finally:
        suite.close()


@pytest.mark.parametrize("fault", list(faults.SCENARIOS))
def test_fault(suite: Any, fault: str) -> None:
    outcome = suite.run(fault)
    print(outcome.table())
    if outcome.skipped:
        if STRICT:
            pytest.fail(f"{fault} could not run (CI=true): {outcome.skipped}")
        pytest.skip(outcome.skipped)
    assert not outcome.error, outcome.table()
    failed = [check.name for check in outcome.checks if not check.ok]
    assert not failed, f"{fault}: {len(failed)} check(s) failed: {failed}\n{outcome.table()}"
