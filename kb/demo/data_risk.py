"""Demo data for relationship continuity: stakeholders' contact details and how the decision chain moved.

CONTACTS: stakeholder key → (phone, mobile, email, WeChat ID, assistant's name, assistant's contact); all
fictional (example.cn addresses, 0000-series numbers). HISTORY: (stakeholder key, field, old, new, days
before ANCHOR, our user key who recorded it); reports-to values are stakeholder keys. Together they tell
the story "decision power moves upward" (采购决策权逐层上缴) at East China Mobile.
"""
from __future__ import annotations

CONTACTS: dict[str, tuple[str, str, str, str, str, str]] = {
    "ecmc_ceo": ("021-5000 0001", "139 0000 0001", "zhou.jianguo@ecmc.example.cn", "", "孙秘书 Sun",
                 "021-5000 0002"),
    "ecmc_cto": ("021-5000 0101", "139 0000 0101", "han.liqun@ecmc.example.cn", "hanliqun_ecmc", "", ""),
    "ecmc_net": ("021-5000 0201", "138 0000 0201", "shen.tao@ecmc.example.cn", "shentao-net", "", ""),
    "sz_gm": ("0512-6000 0001", "139 0000 0301", "lu.xiaofeng@ecmc-sz.example.cn", "", "周助理 Zhou",
              "0512-6000 0002"),
}

HISTORY: list[tuple[str, str, str, str, int, str]] = [
    ("ecmc_cto", "title", "网络部总经理", "副总经理（分管网络与 IT）", 420, "wangfang"),
    ("ecmc_net", "reports_to_id", "ecmc_ceo", "ecmc_cto", 420, "wangfang"),
    ("ecmc_net", "decision_role", "decision_maker", "evaluator", 200, "chenqiang"),
    ("ecmc_pur", "attitude", "support", "neutral", 90, "chenqiang"),
]
