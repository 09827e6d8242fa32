"""Demo Lead to Cash data: leads, opportunities in every stage (won, lost and abandoned ones with their
reasons), key projects in all three lights, project triangles and risks — on the existing accounts and
people. Dates are days before (negative) or after the demo ANCHOR (2026-11-01). Chinese text with the
English product words our teams use; the models keep one text per field.
"""
from __future__ import annotations

#: (key, account key or None, prospect name, title, description, source, estimated amount, owner,
#:  status, drop reason, budget (amount, day offset) or None, visibility)
LEADS = [
    ("edge", "ecmc", "", "边缘计算 MEC 试点", "苏州工业园区三家制造企业提出 **MEC** 低时延需求，客户网络部牵头。",
     "customer_request", "4800000", "wangfang", "qualified", "", ("4500000", -12), "org"),
    ("zhongtai", "cjcb", "", "数据中台咨询 (data platform consulting)", "零售条线希望统一客户数据，预算尚在申请中。",
     "our_visit", "2600000", "zhangwei", "cultivating", "", None, "org"),
    ("port", None, "宁波舟山港集团", "智慧港口 5G 专网", "港口展会上交流，集团信息中心有意向，尚未建为客户。",
     "marketing_event", "12000000", "wangfang", "new", "", None, "org"),
    ("ev", "bwa", "", "充电桩运营平台", "客户战略调整，新能源充电业务并入合资公司。",
     "partner", "3000000", "maxiaoyu", "dropped", "客户将充电业务划入合资公司，不再自建平台", None, "org"),
    ("private5g", "ecmc", "", "5G 专网二期 (5G private network phase II)", "一期验收后客户提出扩容到 12 个园区。",
     "customer_request", "36000000", "wangfang", "converted", "", ("36000000", -150), "org"),
]

#: (key, account key, lead key or None, name, stage, status, opened (offset), stage days [days in each
#:  stage so far], amount, win probability, competitors, solution, close reason, visibility,
#:  key project: (light, reason, owner, next review offset, [(older light, reason, offset)]) or None,
#:  seats: [(role, user key)])
OPPORTUNITIES = [
    ("p5g", "ecmc", "private5g", "5G 专网二期 (5G private network phase II)", "negotiation", "open", -150,
     [30, 45, 40], "36000000", 70, "友商H、友商Z", "12 个园区 **5G** 专网 + MEC 边缘云，分两批交付。", "", "org",
     ("green", "决策链支持，商务条款已基本谈妥", "wangfang", 7,
      [("yellow", "CFO 对投资回报有疑问", -60)]),
     [("AR", "wangfang"), ("SR", "xuhao"), ("FR", "zhaolei")]),  # xuhao: no seat in this group
    ("backbone", "sut", None, "云网融合骨干网升级 (cloud-network backbone)", "bid", "open", -90,
     [20, 40], "52000000", 45, "友商H", "骨干网 400G 升级与 SRv6 云网调度。", "", "team",
     ("yellow", "技术评分领先，但价格高出预算 8%", "chenqiang", 14, []),
     [("AR", "wangfang"), ("SR", "chenqiang")]),
    ("dr", "cjcb", None, "核心系统灾备中心 (core-banking DR site)", "pre_bid", "open", -60,
     [35], "18500000", 30, "友商S、本地集成商", "同城双活 + 异地灾备，满足监管 RTO 要求。", "", "org",
     ("red", "关键决策人换岗，新任 CIO 倾向友商", "zhangwei", 3, []),
     [("AR", "zhangwei"), ("SR", "wujing")]),
    ("meter", "npg", None, "智能电表数据平台 (smart-meter data platform)", "validate", "open", -20,
     [], "9000000", 20, "", "用电数据实时采集与分析。", "", "org", None, [("AR", "maxiaoyu")]),
    ("cloud", "bwa", None, "工厂私有云 (factory private cloud)", "closed", "won", -240,
     [30, 40, 35, 25], "15800000", 100, "友商V", "三地工厂私有云与容灾。", "方案贴合 MES 上云，交付团队口碑好", "org",
     None, [("AR", "maxiaoyu"), ("SR", "xuhao"), ("FR", "linna")]),
    ("hospital", "renhe", None, "互联网医院平台 (internet hospital platform)", "closed", "lost", -200,
     [25, 50, 30], "6400000", 0, "本地 ISV", "互联网医院 + 医保在线结算。", "价格高出 25%，客户选择本地 ISV", "org",
     None, [("AR", "hemin"), ("SR", "sunli")]),
    ("claims", "xtl", None, "车险理赔影像系统 (claims imaging)", "closed", "abandoned", -180,
     [40, 20], "4200000", 0, "", "理赔影像识别与存储。", "客户总部统一采购，分公司项目取消", "org",
     None, [("AR", "zhangwei")]),
]

#: (opportunity key or None, account key, description, owner, due offset, status, resolution)
RISKS = [
    ("p5g", "ecmc", "第二批园区机房改造进度滞后，可能影响交付窗口", "zhaolei", -5, "open", ""),
    ("dr", "cjcb", "新任 CIO 尚未拜访，决策链关系需要重建", "zhangwei", 10, "open", ""),
    ("backbone", "sut", "价格超出客户预算，需要商务方案", "wangfang", 20, "open", ""),
    (None, "npg", "客户年度预算审批推迟到一季度", "maxiaoyu", 30, "open", ""),
    ("p5g", "ecmc", "MEC 与客户现网对接的接口规范未确认", "chenqiang", -40, "resolved",
     "与客户网络部联合测试通过，接口规范已签字确认"),
]
