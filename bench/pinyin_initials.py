"""Precision of pinyin initials on the demo names: how many records each indexed initials token finds,
for the scheme kb.search.pinyin uses ("chosen") and for wider ones.

    .venv/bin/python bench/pinyin_initials.py
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from collections import defaultdict
from pypinyin import lazy_pinyin  # noqa: E402
from kb.demo.data_accounts import ACCOUNTS
from kb.demo.data_stakeholders import STAKEHOLDERS
from kb.search.pinyin import company_core
from kb.textnorm import normalize

names = []
for a in ACCOUNTS:
    names.append(("account", a["name"], [a["name"], *a["aliases"]], False))
for rows in STAKEHOLDERS.values():
    for r in rows:
        names.append(("stakeholder", r[1], [r[1]], True))

def initials_of(n):
    return "".join(s[0] for s in lazy_pinyin(normalize(n)) if s.isalpha())

def scheme(kind):
    idx = defaultdict(set)
    for t, rec, ns, person in names:
        for n in ns:
            ini = initials_of(n)
            if not ini or not any('\u4e00' <= c <= '\u9fff' for c in n):
                continue
            if kind == "chosen":  # what kb.search.pinyin indexes: the whole name's, and without company form
                toks = {ini, initials_of(company_core(normalize(n)))}
            elif kind.startswith("runs>="):
                k = int(kind[6:])
                toks = {ini[i:j] for i in range(len(ini)) for j in range(i + k, len(ini) + 1)}
            elif kind.startswith("prefixes>="):
                k = int(kind[10:])
                toks = {ini[:j] for j in range(k, len(ini) + 1)}
            for tok in toks:
                idx[tok].add(rec)
    n = len(idx)
    unique = sum(1 for v in idx.values() if len(v) == 1)
    avg = sum(len(v) for v in idx.values()) / n
    worst = max(len(v) for v in idx.values())
    return n, unique, avg, worst

print("records", len({(t, r) for t, r, _n, _p in names}))
for kind in ("chosen", "prefixes>=3", "prefixes>=2", "runs>=3", "runs>=2"):
    n, unique, avg, worst = scheme(kind)
    print(f"{kind:12s} tokens={n:4d} one-record tokens={unique/n:6.1%} records per token avg={avg:.2f} worst={worst}")
