"""Request examples for /api/v1/openapi.json, in Chinese, taken from the demo data (kb/demo/)."""
from __future__ import annotations

from typing import Any

EXAMPLES: dict[str, Any] = {
    "create_account": {
        "name": "华东移动苏州分公司", "name_en": "ECMC Suzhou Branch",
        "aliases": ["苏州移动", "ECMC Suzhou"], "industry": "电信", "region": "华东", "tier": "key",
        "coverage": "direct", "description": "华东移动最大的地市分公司，工业园区 5G 专网项目的试点单位。"},
    "update_account": {"region": "华东", "tier": "strategic", "version": 3},
    "create_stakeholder": {
        "name": "韩立群", "name_en": "Han Liqun", "title": "副总经理（分管网络与 IT）",
        "department": "公司领导", "decision_role": "decision_maker", "attitude": "support",
        "influence": "high", "layer": "key", "relationship_level": 4,
        "notes": "技术出身，认可我们的 5GC 稳定性，对 AIOps 很感兴趣。"},
    "update_stakeholder": {"attitude": "neutral", "version": 2},
    "create_interaction": {
        "occurred_on": "2026-10-22", "kind": "executive_meeting",
        "title": "年度高层战略会谈：算力网络与 AIOps 合作",
        "summary": "客户确认 FY2027 算力收入占比目标 25%，AIOps 要从试点走向全网。", "visibility": "org",
        "next_steps": [{"text": "准备 AIOps 全网 TCO 测算", "due_on": "2026-11-10"}]},
    "update_interaction": {"title": "年度高层战略会谈（纪要已确认）", "version": 1},
    "create_group": {"name": "运营商客户群", "name_en": "Carriers"},
    "save_plan": {"status": "draft", "comment": "补充算力网络目标", "version": 2},
    "create_lead": {"title": "工业园区 5G 专网二期", "account_id": 2, "source": "customer_request",
                    "estimated_amount": "3200000.00", "currency": "CNY"},
    "create_opportunity": {"account_id": 1, "name": "AIOps 全网推广", "stage": "validate",
                           "amount": "12500000.00", "currency": "CNY"},
    "create_opportunity_risk": {"description": "集采评分中商务分占比可能提高", "due_on": "2026-12-15"},
    "create_contract": {"number": "HT-2026-0815", "signed_on": "2026-08-15", "amount": "8600000.00",
                        "currency": "CNY", "notes": "5GC 扩容一期"},
    "create_handover": {"from_user_id": 2, "to_user_id": 3, "dry_run": True,
                        "note": "王芳调岗，客户交接给陈强"},
}
