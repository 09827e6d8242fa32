"""Request examples for /api/v1/openapi.json, in Chinese, that work on the demo data (`flask kb demo`).

EXAMPLES: the request body of an operation (by operationId); EXAMPLE_PATHS: the path parameters it is
sent to; EXAMPLE_USERS: the demo login that sends it (default `ar@demo.kb`, 王芳, AR of 运营商客户群, group
1, whose accounts include 1 华东移动通信有限公司). A `version` is the demo record's own version (send the
one you read). tests/test_api_examples_replay.py sends every example to a fresh demo and expects success.
"""
from __future__ import annotations

from typing import Any

EXAMPLES: dict[str, Any] = {
    "create_account": {
        "name": "华东移动无锡分公司", "name_en": "ECMC Wuxi Branch", "customer_group_id": 1,
        "aliases": ["无锡移动", "ECMC Wuxi"], "industry": "电信", "region": "华东", "tier": "key",
        "coverage": "direct", "description": "华东移动在苏南的重点地市分公司，物联网与车联网业务增长最快。"},
    "update_account": {"region": "华东", "tier": "strategic", "version": 1},
    "create_stakeholder": {
        "name": "韩立群", "name_en": "Han Liqun", "title": "副总经理（分管网络与 IT）",
        "department": "公司领导", "decision_role": "decision_maker", "attitude": "support",
        "influence": "high", "layer": "key", "relationship_level": 4,
        "notes": "技术出身，认可我们的 5GC 稳定性，对 AIOps 很感兴趣。"},
    "update_stakeholder": {"attitude": "neutral", "version": 1},
    "create_interaction": {
        "occurred_on": "2026-10-22", "kind": "executive_meeting",
        "title": "年度高层战略会谈：算力网络与 AIOps 合作",
        "summary": "客户确认 FY2027 算力收入占比目标 25%，AIOps 要从试点走向全网。", "visibility": "org",
        "next_steps": [{"text": "准备 AIOps 全网 TCO 测算", "due_on": "2026-11-10"}]},
    "update_interaction": {"title": "年度高层战略会谈（纪要已确认）", "version": 1},
    "create_group": {"name": "互联网与传媒客户群", "name_en": "Internet & media"},
    "save_plan": {"status": "draft", "comment": "补充算力网络目标", "version": 3},
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

#: The path parameters each example is sent to (demo ids: account 1 华东移动通信有限公司, its stakeholder 1
#: 周建国, interaction 1, plan FY2027; opportunity 1 (open) and 8 AIOps 智能运维试点, won, no contract yet).
EXAMPLE_PATHS: dict[str, dict[str, int | str]] = {
    "update_account": {"account_id": 1},
    "create_stakeholder": {"account_id": 1},
    "update_stakeholder": {"stakeholder_id": 1},
    "create_interaction": {"account_id": 1},
    "update_interaction": {"interaction_id": 1},
    "save_plan": {"account_id": 1, "period": "FY2027"},
    "create_opportunity_risk": {"opportunity_id": 1},
    "create_contract": {"opportunity_id": 8},
}

#: The demo login that sends each example, when not `ar@demo.kb` (admins only: groups and handovers).
EXAMPLE_USERS: dict[str, str] = {"create_group": "admin@demo.kb", "create_handover": "admin@demo.kb"}
DEFAULT_EXAMPLE_USER = "ar@demo.kb"
