"""Demo contract (LTC "MCE"): the won 工厂私有云 opportunity of 北汽制造 (demo key `cloud`) signed, with its
milestones — delivered, accepted, two payments received, the invoice and the warranty payment still to come.

Dates are day offsets from kb.demo.context.ANCHOR (the opportunity closed at -110); amounts in CNY.
"""
from __future__ import annotations

#: The won demo opportunity (its name in kb/demo/data_ltc.py) and its contract.
OPPORTUNITY_NAME = "工厂私有云 (factory private cloud)"
CONTRACT = {"number": "HT-2026-0715", "signed": -105, "amount": "15800000",
            "notes": "三地工厂私有云与容灾；含三年维保 (three factories' private cloud with DR; 3-year support)"}

#: (kind, title, planned day, planned amount, actual day or None, actual amount or None)
MILESTONES = [
    ("payment", "预付款 30% (advance payment)", -95, "4740000", -92, "4740000"),
    ("delivery", "三地设备到货 (equipment delivered)", -60, None, -55, None),
    ("acceptance", "初验 (preliminary acceptance)", -20, None, -18, None),
    ("payment", "初验款 60% (acceptance payment)", -10, "9480000", -4, "9480000"),
    ("invoicing", "质保金发票 (warranty invoice)", 40, "1580000", None, None),
    ("payment", "质保金 10% (warranty payment)", 200, "1580000", None, None),
]
