"""bench/scale.py --compare-pg: the PostgreSQL vs SQLite table and goals (issue 9: every page within 1.5×)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _load(name: str, file: str):
    spec = importlib.util.spec_from_file_location(name, BENCH / file)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


sys.path.insert(0, str(BENCH))  # scale_pg imports its neighbours (fault_support, scale_http)
scale_pg = _load("kb_scale_pg_bench", "scale_pg.py")


def measured(times: dict[str, float], sql: dict[str, int], slow=None):
    return {"ids": {"account": 17}, "times": {n: {"p50": t, "p95": t * 2} for n, t in times.items()},
            "sql": sql, "slow_sql": slow or {}}


def test_goals_pass_within_one_and_a_half_times_and_as_many_statements():
    sqlite = measured({"brief": 100.0, "API account": 10.0}, {"brief": 38, "API account": 2})
    pg = measured({"brief": 150.0, "API account": 9.0}, {"brief": 38, "API account": 2})
    assert [(goal, figure, ok) for goal, figure, ok in scale_pg.goals(sqlite, pg)] == [
        ("brief: PostgreSQL p50 ≤ 1.5× SQLite", "150 / 100 ms = 1.50×", True),
        ("brief: PostgreSQL SQL statements ≤ SQLite", "38 vs 38", True),
        ("API account: PostgreSQL p50 ≤ 1.5× SQLite", "9 / 10 ms = 0.90×", True),
        ("API account: PostgreSQL SQL statements ≤ SQLite", "2 vs 2", True)]


def test_goals_fail_when_slower_or_more_statements_or_an_error():
    sqlite = measured({"brief": 100.0, "plan page": 30.0, "home": 50.0}, {"brief": 38, "plan page": 11, "home": 31})
    pg = measured({"brief": 151.0, "plan page": 30.0, "home": 50.0}, {"brief": 38, "plan page": 12, "home": -500})
    failed = {goal for goal, _, ok in scale_pg.goals(sqlite, pg) if not ok}
    assert failed == {"brief: PostgreSQL p50 ≤ 1.5× SQLite", "plan page: PostgreSQL SQL statements ≤ SQLite",
                      "home: PostgreSQL SQL statements ≤ SQLite"}


def test_report_prints_both_times_the_ratio_and_the_slow_statements_of_a_failing_page(capsys):
    sqlite = measured({"brief": 100.0, "search page": 60.0}, {"brief": 38, "search page": 9})
    pg = measured({"brief": 189.0, "search page": 61.0}, {"brief": 38, "search page": 9},
                  slow={"brief": [(37.5, "SELECT count(*)\n  FROM risk"), (9.0, "SELECT 1")],
                        "search page": [(5.0, "SELECT index_event")]})
    assert scale_pg.report(sqlite, pg, samples=40) == 1
    out = capsys.readouterr().out
    assert "40 samples" in out
    assert "brief                   100.0   189.0  1.89×   378.0          38   38" in out
    assert "slowest statements of 'brief' on PostgreSQL" in out
    assert "37.5  SELECT count(*) FROM risk" in out
    assert "slowest statements of 'search page'" not in out  # 1.02×: within the goal
    assert "FAIL  brief: PostgreSQL p50 ≤ 1.5× SQLite" in out
    assert "PASS  search page: PostgreSQL p50 ≤ 1.5× SQLite" in out
    assert "3 of 4 PostgreSQL goals pass" in out


def test_report_warns_when_the_two_databases_show_other_records(capsys):
    sqlite = measured({"brief": 100.0}, {"brief": 38})
    pg = dict(measured({"brief": 100.0}, {"brief": 38}), ids={"account": 18})
    assert scale_pg.report(sqlite, pg, samples=20) == 0
    assert "warning: the pages show other records on PostgreSQL" in capsys.readouterr().out


def test_compare_pg_and_pg_together_are_refused_before_any_work(capsys):
    scale = _load("kb_scale_bench", "scale.py")
    with pytest.raises(SystemExit) as exit_info:
        scale.main(["--compare-pg", "auto", "--pg", "postgresql+psycopg://kb@127.0.0.1/kb"])
    assert exit_info.value.code == 2
    assert "--compare-pg measures SQLite against PostgreSQL" in capsys.readouterr().err


class _FakeServer:
    """Stands in for fault_support.Server: a port per instance, nothing started."""

    def __init__(self, instance):
        self.port, self.stopped = instance, False

    def wait_healthy(self):
        pass

    def stop(self):
        self.stopped = True


def test_side_by_side_times_both_servers_alternately_in_one_window(monkeypatch):
    """Each sample asks both servers, the first one alternating, so that a change of the machine's load falls
    on both sides (timed one after the other, minutes apart, the ratio measured the load)."""
    calls, servers = [], []

    class FakeClient:
        def __init__(self, port, token=""):
            self.port, self.token = port, token

        def sign_in(self, email, password):
            calls.append(("sign in", self.port, email))

        def get(self, path):
            calls.append((self.port, path, self.token))
            return 200, ""

    def make_server(instance):
        servers.append(_FakeServer(instance))
        return servers[-1]

    monkeypatch.setattr(scale_pg, "Server", make_server)
    monkeypatch.setattr(scale_pg, "Client", FakeClient)
    sqlite, pg = scale_pg.side_by_side("sqlite", "pg", {"home": "/", "API accounts": "/api/v1/accounts"},
                                       ("t1", "t2"), email="ar@demo.kb", password="x", samples=4)
    assert set(sqlite) == set(pg) == {"home", "API accounts"}
    timed_home = [c[0] for c in calls if c[1:2] == ("/",)][6:]  # after 3 untimed requests on each
    assert timed_home == ["sqlite", "pg", "pg", "sqlite", "sqlite", "pg", "pg", "sqlite"]
    assert {c[2] for c in calls if c[1:2] == ("/api/v1/accounts",)} == {"t1", "t2"}  # API with each token
    assert all(server.stopped for server in servers) and len(servers) == 2


def test_side_by_side_raises_on_an_answer_other_than_200_and_stops_both_servers(monkeypatch):
    servers = []

    class Refusing:
        def __init__(self, port, token=""):
            self.port = port

        def sign_in(self, email, password):
            pass

        def get(self, path):
            return (500 if self.port == "pg" else 200), ""

    monkeypatch.setattr(scale_pg, "Server", lambda instance: servers.append(_FakeServer(instance)) or servers[-1])
    monkeypatch.setattr(scale_pg, "Client", Refusing)
    with pytest.raises(RuntimeError, match="answered 500"):
        scale_pg.side_by_side("sqlite", "pg", {"home": "/"}, ("a", "b"), email="e", password="p", samples=2)
    assert [s.stopped for s in servers] == [True, True]
