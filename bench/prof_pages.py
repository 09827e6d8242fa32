"""Profile pages in-process on a kept bench folder.

python prof_pages.py FOLDER [pages...] [--profile] [--tottime]

(The coordinator's tool, /work/wt/_tools/prof_pages.py, with --tottime: the profile by own time.)"""
import cProfile, pstats, statistics, sys, time, io
from pathlib import Path
sys.path.insert(0, "bench")
from sqlalchemy import event, select, func
import scale
folder = Path(sys.argv[1])
inst = scale.Instance(folder, f"sqlite:///{folder/'kb.sqlite3'}", folder / "index")
inst.flask("init")
app, ids, token = scale.in_process(inst)
client = app.test_client()
r = client.post("/login", data={"email": scale.AR_EMAIL, "password": scale.PASSWORD})
assert r.status_code == 302, r.status_code
pages = {"home": "/", "group": f"/groups/{ids['group']}", "accounts": "/accounts",
         "account": f"/accounts/{ids['account']}", "onboarding": f"/accounts/{ids['account']}/onboarding",
         "stakeholder": f"/stakeholders/{ids['stakeholder']}",
         "plan": f"/accounts/{ids['account']}/plans/{ids['period']}",
         "api_account": f"/api/v1/accounts/{ids['account']}", "api_accounts": "/api/v1/accounts"}
api = app.test_client()  # the API as bench/scale.py times it: a bearer token, no session cookie
headers = {"Authorization": f"Bearer {token}"}
def get(url):
    return api.get(url, headers=headers) if url.startswith("/api/") else client.get(url)
want = [a for a in sys.argv[2:] if not a.startswith("--")] or list(pages)
from kb.db import session
stmts = []
with app.app_context():
    eng = session.get_bind()
@event.listens_for(eng, "before_cursor_execute")
def _b(conn, cur, s, p, c, many):
    conn.info["t0"] = time.perf_counter()
@event.listens_for(eng, "after_cursor_execute")
def _a(conn, cur, s, p, c, many):
    stmts.append((time.perf_counter() - conn.info["t0"], s))
for name in want:
    url = pages[name]
    for _ in range(3):
        assert get(url).status_code == 200
    times = []
    for _ in range(25):
        t = time.perf_counter(); get(url); times.append((time.perf_counter() - t) * 1000)
    stmts.clear(); get(url)
    sql = sum(t for t, _ in stmts) * 1000
    print(f"{name:12} p50 {statistics.median(times):6.1f} ms  min {min(times):6.1f}  stmts {len(stmts)}  sql {sql:5.1f} ms")
    for t, s in sorted(stmts, reverse=True)[:4]:
        print(f"      {t*1000:5.2f}  {' '.join(s.split())[:150]}")
    if "--profile" in sys.argv:
        pr = cProfile.Profile(); pr.enable()
        for _ in range(10): get(url)
        pr.disable(); s = io.StringIO(); pstats.Stats(pr, stream=s).sort_stats("tottime" if "--tottime" in sys.argv else "cumulative").print_stats(45); print(s.getvalue()[:9000])
