"""Precision of the ü spellings (kb.search.pinyin.pinyin_spellings) on the demo names, plus names with ü
and with lu/nu (the demo has none with ü): each indexed pinyin form typed as a query, how many names it
matches as typed and with its spellings (a lesser spelling, `lu` as ü, weighs half: the name as typed
ranks first); and whether ü forms typed as u, yu or ü find every name the v form finds.

    .venv/bin/python bench/pinyin_umlaut.py [extra,names]

Session 10, with the default extra names: 107 names, 1101 forms typed; 6 match more names through a lesser
spelling (lu 6 → 13, ludi 1 → 2, luming 2 → 3, luwei 1 → 2, luyan 1 → 2, nu 1 → 2), none loses a match; the
23 forms with ü typed as u, yu and ü: 69 of 69 find every name the v form finds.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kb.demo.data_accounts import ACCOUNTS
from kb.demo.data_stakeholders import STAKEHOLDERS
from kb.search.pinyin import name_pinyin, pinyin_spellings, folded_pinyin
from kb.search.query import PINYIN_PREFIX_MIN

names = [(a["name"], False) for a in ACCOUNTS] + [(row[1], True) for rows in STAKEHOLDERS.values() for row in rows]
EXTRA = "吕伟,卢伟,吕燕,绿地控股,鲁迪科技,褚略,吕明,女娲科技,努力实业,闾丘明,律新,旅途网络,略阳矿业,虐,卢明,路明"
names += [(n, True) for n in (sys.argv[1] if len(sys.argv) > 1 else EXTRA).split(",")]
forms = {n: set(name_pinyin(n, p)) for n, p in names}

def hits(word):
    out = set()
    for n, fs in forms.items():
        if any(f == word or (len(word) >= PINYIN_PREFIX_MIN and f.startswith(word)) for f in fs):
            out.add(n)
    return out

queries = sorted({f for fs in forms.values() for f in fs if len(f) >= 2 and not f.isdigit()})
extra, worse, total = 0, 0, 0
grew = []
for q in queries:
    typed = hits(q)
    spelled = set().union(*(hits(s) for s in pinyin_spellings(q)))
    total += 1
    if spelled - typed:
        extra += 1
        grew.append((q, len(typed), len(spelled)))
    if not typed <= spelled:
        worse += 1
print(f"names: {len(forms)}, pinyin forms typed as queries: {total}")
print(f"queries matching more names through a lesser spelling (lu/nu as ü): {extra}; queries losing a match: {worse}")
print("examples:", grew[:12])
uq = [f for f in queries if "v" in f]
ok = sum(1 for f in uq for typed in {f.replace("v", "u"), f.replace("lv", "lyu").replace("nv", "nyu"), f.replace("v", "ü")}
         if hits(f) <= set().union(*(hits(s) for s in pinyin_spellings(folded_pinyin(typed) or typed))))
print(f"forms with ü: {len(uq)}; their u/yu/ü typings finding every name the v form finds: {ok} of {3*len(uq)}")
