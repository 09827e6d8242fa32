"""Pages on SQLite against PostgreSQL, in-process, alternating requests (issue 9: "on PostgreSQL every page
within 1.5× of SQLite").

    .venv/bin/python bench/prof_compare_pg.py SQLITE_FOLDER PG_FOLDER PG_URL [pages...] [--samples 40]
        [--explain N] [--no-init]

SQLITE_FOLDER: a kept bench folder (`bench/scale.py --keep`: kb.sqlite3, index/, instance/); PG_FOLDER and
PG_URL: the same organisation built on PostgreSQL (scale.build(folder, fraction=…, pg=server URL), then
scale_pg.analyze). Both apps run in this process, signed in as the demo AR; each sample requests every page
once on each database, one after the other, so load on the machine falls on both alike. Printed per page: p50
on each, the ratio, SQL statements and SQL time of one visit on each, and PostgreSQL's slowest statements;
with --explain N, EXPLAIN (ANALYZE, BUFFERS) of the N slowest PostgreSQL statements of each page. Both
databases are migrated first (`flask kb init`) unless --no-init (to time older code on the same copies).
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale  # noqa: E402
from sqlalchemy import event  # noqa: E402


#: Visits of each page whose statements are timed (the median of each).
VISITS_PER_STATEMENT = 10
#: Statements listed per page.
TOP = 12


def _option(argv: list[str], name: str, default: int) -> int:
    return int(argv[argv.index(name) + 1]) if name in argv else default


def _side(instance: Any) -> dict[str, Any]:
    """App, signed-in client, page paths and a statement recorder for one database."""
    app, ids, _token = scale.in_process(instance)
    client = app.test_client()
    response = client.post("/login", data={"email": scale.AR_EMAIL, "password": scale.PASSWORD})
    assert response.status_code == 302, response.status_code
    from kb.db import EXTENSION_KEY
    database = app.extensions[EXTENSION_KEY]
    recorded: list[tuple[float, str, Any]] = []
    for engine in (database.engine,):  # (the read engine is an option copy: it shares these events)
        @event.listens_for(engine, "before_cursor_execute")
        def _before(conn, cursor, statement, parameters, context, many):  # noqa: ANN001
            conn.info["t0"] = time.perf_counter()

        @event.listens_for(engine, "after_cursor_execute")
        def _after(conn, cursor, statement, parameters, context, many):  # noqa: ANN001
            recorded.append((time.perf_counter() - conn.info["t0"], statement, parameters))
    pages = {"home": "/", "group": f"/groups/{ids['group']}", "accounts": "/accounts",
             "account": f"/accounts/{ids['account']}", "onboarding": f"/accounts/{ids['account']}/onboarding",
             "stakeholder": f"/stakeholders/{ids['stakeholder']}",
             "plan": f"/accounts/{ids['account']}/plans/{ids['period']}",
             # the API as bench/scale.py times it: a bearer token, no session cookie
             "api_account": f"/api/v1/accounts/{ids['account']}", "api_accounts": "/api/v1/accounts"}
    return {"app": app, "client": client, "pages": pages, "recorded": recorded, "ids": ids,
            "engine": database.engine, "api": app.test_client(),
            "api_headers": {"Authorization": f"Bearer {_token}"}}


def _get(side: dict[str, Any], page: str) -> float:
    path = side["pages"][page]
    started = time.perf_counter()
    if path.startswith("/api/"):
        response = side["api"].get(path, headers=side["api_headers"])
    else:
        response = side["client"].get(path)
    assert response.status_code == 200, (page, response.status_code)
    return (time.perf_counter() - started) * 1000


def main(argv: list[str]) -> int:
    positional = [a for i, a in enumerate(argv)
                  if not a.startswith("--") and (i == 0 or argv[i - 1] not in ("--samples", "--explain"))]
    sqlite_folder, pg_folder, pg_url, *wanted = positional
    samples, explain = _option(argv, "--samples", 40), _option(argv, "--explain", 0)
    sqlite_folder, pg_folder = Path(sqlite_folder), Path(pg_folder)
    sides = {}
    sqlite_url = f"sqlite:///{sqlite_folder / 'kb.sqlite3'}"
    for name, instance in (("SQLite", scale.Instance(sqlite_folder, sqlite_url, sqlite_folder / "index")),
                           ("PG", scale.Instance(pg_folder, pg_url, pg_folder / "index"))):
        if "--no-init" not in argv:
            instance.flask("init")
        sides[name] = _side(instance)
    if sides["SQLite"]["ids"] != sides["PG"]["ids"]:
        print(f"warning: other records: SQLite {sides['SQLite']['ids']} PG {sides['PG']['ids']}")
    wanted = wanted or ["home", "group"]
    times: dict[tuple[str, str], list[float]] = {(s, p): [] for s in sides for p in wanted}
    for _ in range(3):
        for page in wanted:
            for side in sides.values():
                _get(side, page)
    for _ in range(samples):
        for page in wanted:
            for name, side in sides.items():
                times[(name, page)].append(_get(side, page))
    print(f"{'page':<12}{'SQLite p50':>11}{'PG p50':>8}{'ratio':>7}{'stmts S/PG':>12}{'SQL ms S/PG':>13}")
    per_statement = {}
    for page in wanted:
        figures = {}
        for name, side in sides.items():
            runs = []
            for _ in range(VISITS_PER_STATEMENT):
                side["recorded"].clear()
                _get(side, page)
                runs.append(list(side["recorded"]))
            # the median time of each statement (by its place in the page's sequence) over the visits that ran
            # the usual number of statements (the background index catch-up may add one to a visit)
            usual = statistics.mode(len(run) for run in runs)
            runs = [run for run in runs if len(run) == usual]
            per_statement[(name, page)] = [
                (statistics.median(run[i][0] for run in runs), *runs[-1][i][1:]) for i in range(len(runs[-1]))]
            figures[name] = (len(runs[-1]), sum(t for t, *_ in per_statement[(name, page)]) * 1000)
        s, p = statistics.median(times[("SQLite", page)]), statistics.median(times[("PG", page)])
        print(f"{page:<12}{s:>11.1f}{p:>8.1f}{p / s:>6.2f}×{figures['SQLite'][0]:>6}/{figures['PG'][0]:<5}"
              f"{figures['SQLite'][1]:>7.1f}/{figures['PG'][1]:.1f}")
    for page in wanted:
        pg, lite = per_statement[("PG", page)], per_statement[("SQLite", page)]
        print(f"\nstatements of {page}, PostgreSQL's slowest first (median ms of {VISITS_PER_STATEMENT} "
              "visits; SQLite's at the same place):")
        order = sorted(range(len(pg)), key=lambda i: pg[i][0], reverse=True)
        for i in order[:TOP]:
            other = f"{lite[i][0] * 1000:6.2f}" if i < len(lite) else "     -"
            print(f"  #{i:<3}{pg[i][0] * 1000:6.2f} {other}  {' '.join(pg[i][1].split())[:200]}")
        for i in order[:explain]:
            seconds, statement, params = pg[i]
            print(f"\nEXPLAIN (ANALYZE, BUFFERS) #{i} ({seconds * 1000:.2f} ms): "
                  f"{' '.join(statement.split())[:160]}")
            with sides["PG"]["engine"].connect() as conn:
                plan = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
                print("\n".join("    " + row[0][:300] for row in plan))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
