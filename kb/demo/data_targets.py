"""Demo plan targets (issue 10 §5): the plan in numbers on a few FY2026 and FY2027 plans, with performance
and opportunity gaps, and one won opportunity so a computed actual is more than zero.

Plans keep one target list (no English field: a custom metric names itself in both languages, as the LTC
demo data names opportunities). Amounts are strings (Decimal, CNY unless the unit says otherwise).
"""
from __future__ import annotations

#: (account key, period, [(metric, custom name, unit, baseline, target, typed actual, gap kind)])
TARGETS = [
    ("ecmc", "FY2026", [
        ("orders", "", "CNY", "300000000", "400000000", None, "performance"),
        ("share_of_wallet", "", "%", "52", "55", "53", "performance"),
    ]),
    ("ecmc", "FY2027", [
        ("orders", "", "CNY", "340000000", "420000000", None, "performance"),
        ("custom", "AIOps 全网推广省份数 (provinces on AIOps)", "个", "1", "6", "1", "opportunity"),
        ("customer_satisfaction", "", "分", "82", "88", "84", None),
    ]),
    ("bwa", "FY2027", [
        ("revenue", "", "CNY", "15800000", "30000000", None, "opportunity"),
        ("new_products", "", "个", "1", "3", "1", "opportunity"),
    ]),
    ("cjcb", "FY2027", [
        ("revenue", "", "CNY", "0", "18500000", None, "performance"),
        ("customer_satisfaction", "", "分", "78", "90", "84", "performance"),
    ]),
    ("renhe", "FY2027", [
        ("custom", "互联网医院上线院区数 (hospital sites live)", "个", "0", "5", "0", "opportunity"),
        ("share_of_wallet", "", "%", "8", "20", "8", "opportunity"),
    ]),
]

#: One more won opportunity, in the rows of kb/demo/data_ltc.OPPORTUNITIES: the AIOps pilot ecmc's
#: FY2026 plan aimed at ("AIOps 试点"), closed 2026-05-30, so its orders target has a computed actual.
WON_FOR_TARGETS = [
    ("aiops", "ecmc", None, "AIOps 智能运维试点 (AIOps pilot)", "closed", "won", -300,
     [30, 45, 40, 30], "12000000", 100, "友商H", "核心网 **AIOps** 试点：故障自愈与容量预测。",
     "试点指标全部达成，客户 CTO 认可", "org", None, [("AR", "wangfang"), ("SR", "xuhao"), ("FR", "zhaolei")]),
]
