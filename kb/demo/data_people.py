"""Demo data: our people (users) and the customer groups with their iron-triangle seat history.

Dates are fixed; the loader computes nothing from the clock. Seat rotations follow the services' rule:
the old seat ends on the day the new one starts.
"""
from __future__ import annotations

from datetime import date

#: (key, email, name, role, active, joined) — the first five are the documented demo logins.
USERS: list[tuple[str, str, str, str, bool, date]] = [
    ("liming", "admin@demo.kb", "李明", "admin", True, date(2021, 1, 4)),
    ("wangfang", "ar@demo.kb", "王芳", "member", True, date(2021, 1, 4)),
    ("chenqiang", "sr@demo.kb", "陈强", "member", True, date(2021, 1, 4)),
    ("zhaolei", "fr@demo.kb", "赵磊", "member", True, date(2023, 8, 21)),
    ("liuyang", "viewer@demo.kb", "刘洋", "viewer", True, date(2024, 3, 11)),
    ("zhangwei", "zhangwei@demo.kb", "张伟", "member", True, date(2021, 1, 4)),
    ("sunli", "sunli@demo.kb", "孙丽", "member", True, date(2021, 12, 6)),
    ("zhoujie", "zhoujie@demo.kb", "周杰", "member", True, date(2021, 1, 4)),
    ("wujing", "wujing@demo.kb", "吴静", "member", True, date(2021, 5, 17)),
    ("xuhao", "xuhao@demo.kb", "徐浩", "member", True, date(2021, 5, 17)),
    ("maxiaoyu", "maxiaoyu@demo.kb", "马晓宇", "member", True, date(2021, 12, 6)),
    ("huangtao", "huangtao@demo.kb", "黄涛", "member", False, date(2021, 1, 4)),
    ("linna", "linna@demo.kb", "林娜", "member", True, date(2021, 12, 6)),
    ("guojun", "guojun@demo.kb", "郭军", "member", True, date(2022, 4, 18)),
    ("hemin", "hemin@demo.kb", "何敏", "member", True, date(2024, 6, 3)),
    ("gaoyuan", "gaoyuan@demo.kb", "高远", "member", True, date(2022, 11, 14)),
]

#: What each demo login is for (shown in the README).
LOGIN_ROLES = {
    "admin@demo.kb": "管理员 · 李明",
    "ar@demo.kb": "客户经理 · 王芳",
    "sr@demo.kb": "解决方案经理 · 陈强",
    "fr@demo.kb": "交付经理 · 赵磊",
    "viewer@demo.kb": "只读 · 刘洋",
}

#: Customer groups (客户群) and their seats: (role, user key, started_on, ended_on or None, note).
GROUPS: list[dict] = [
    {
        "key": "carriers",
        "name": "运营商客户群",
        "name_en": "Carriers",
        "created": date(2021, 3, 1),
        "description": (
            "覆盖国内三家区域运营商、广电网络和海外运营商。客户决策权逐步上收到集团和省公司，"
            "铁三角需要同时做厚集团与地市两级客户界面。\n\n"
            "Covers regional carriers, a cable operator and one overseas carrier (AsiaTel)."
        ),
        "seats": [
            ("AR", "huangtao", date(2021, 3, 1), date(2024, 7, 1), "组建客户群时的首任客户经理"),
            ("AR", "wangfang", date(2024, 7, 1), None, "黄涛离职，王芳从金融客户群轮岗接任"),
            ("SR", "chenqiang", date(2021, 3, 1), None, "5G 核心网与云网融合方案负责人"),
            ("FR", "zhoujie", date(2021, 3, 1), date(2023, 9, 1), ""),
            ("FR", "zhaolei", date(2023, 9, 1), None, "周杰调往金融客户群，赵磊接任交付经理"),
        ],
    },
    {
        "key": "finance",
        "name": "金融客户群",
        "name_en": "Financial services",
        "created": date(2021, 6, 1),
        "description": (
            "银行、保险与证券客户。核心诉求是分布式核心系统改造、信创替代和数据合规；"
            "采购流程长，科技部与风险合规部共同评估。\n\n"
            "Banks, insurers and securities firms: core-system modernisation, compliance, data platforms."
        ),
        "seats": [
            ("AR", "wangfang", date(2021, 6, 1), date(2024, 7, 1), ""),
            ("AR", "zhangwei", date(2024, 7, 1), None, "王芳轮岗到运营商客户群，张伟接任"),
            ("SR", "xuhao", date(2021, 6, 1), date(2025, 3, 1), ""),
            ("SR", "wujing", date(2025, 3, 1), None, "徐浩调往能源与制造客户群"),
            ("FR", "zhoujie", date(2023, 9, 1), None, "从运营商客户群调入"),
        ],
    },
    {
        "key": "energy",
        "name": "能源与制造客户群",
        "name_en": "Energy & manufacturing",
        "created": date(2022, 1, 1),
        "description": (
            "电网、汽车和精密制造客户，重点是新型电力系统、工业互联网与 5G 专网。"
            "小型制造客户由渠道伙伴覆盖。\n\n"
            "Power grid, automotive and precision manufacturing; small accounts are channel-covered."
        ),
        "seats": [
            ("AR", "maxiaoyu", date(2022, 1, 1), None, ""),
            ("SR", "sunli", date(2022, 1, 1), date(2025, 3, 1), ""),
            ("SR", "xuhao", date(2025, 3, 1), None, "从金融客户群轮岗"),
            ("FR", "linna", date(2022, 1, 1), None, ""),
        ],
    },
    {
        "key": "public",
        "name": "政企与医疗客户群",
        "name_en": "Government, healthcare & retail",
        "created": date(2023, 1, 1),
        "description": (
            "数字政府、医疗集团与零售连锁。政府项目以年度预算为准，医疗客户重视数据安全与互联互通评级。\n\n"
            "Digital government, hospital groups and retail chains."
        ),
        "seats": [
            ("AR", "zhangwei", date(2023, 1, 1), date(2024, 7, 1), ""),
            ("AR", "hemin", date(2024, 7, 1), None, "张伟调往金融客户群，何敏新入职接任"),
            ("SR", "wujing", date(2023, 1, 1), date(2025, 3, 1), ""),
            ("SR", "sunli", date(2025, 3, 1), None, "从能源与制造客户群轮岗"),
            ("FR", "gaoyuan", date(2023, 1, 1), None, ""),
        ],
    },
]
