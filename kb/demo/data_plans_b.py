"""Demo data: FY2027 plans of the energy, manufacturing, government, healthcare and retail accounts,
and the older FY2026 plans of five accounts (reviewed, shorter, superseded)."""
from __future__ import annotations

PLANS_B: dict[str, dict] = {
    "npg": {
        "status": "reviewed", "stale": ["customers_customer"], "dm": ["np_gm", "np_dgm", "np_dig"],
        "strategy": """
            建设 **新型电力系统**：新能源装机占比 2027 年达到 45%，新能源利用率保持 97% 以上。
            - 配网数字化：配电自动化覆盖率从 60% 提升到 90%；
            - 电力 5G 专网：替代光纤难以覆盖的配网末端通信；
            - 数据驱动：建设“电网一张图”与新能源功率预测平台。
        """,
        "customers_customer": """
            - 五省 3,800 万工商业与居民用户；
            - 新能源发电企业（风电、光伏场站）——既是客户也是“供应方”；
            - 地方政府（供电可靠性、营商环境考核中的“获得电力”指标）。
        """,
        "profit_model": """
            输配电价（准许收入 = 准许成本 + 准许收益），由国家核定，利润空间受监管。
            提升利润的唯一办法是 **降低运维成本** 和 **提高资产利用率**；数字化投资可纳入有效资产。
        """,
        "weakest_product": """
            **配网运维**：故障定位平均 2 小时、人工巡检成本高，是供电可靠性考核的最大扣分项。
            我们的 *电力 5G 专网 + 配网故障智能定位* 把故障定位缩短到 5 分钟，
            减少停电时户数约 30%，并让分布式光伏“可观可测可控”，提高新能源消纳带来的输配电收入。
        """,
        "decision_makers": """
            **张海峰**（总经理）对 5 亿元以上投资拍板；**白云飞**（副总，数字化领导小组组长）主导；
            数字化部 **郭晓东** 牵头技术方案；网络安全处 **冷冰** 的安全测评是前置条件。
        """,
        "sections": {
            "strategic_intent": "成为北方电网电力 5G 专网和配网数字化的主力供应商，联合申报国家示范项目。",
            "performance_gap": "FY2026 订货 1.6 亿，目标 2 亿：安全测评延误导致 5G 专网二期推迟到 FY2027。",
            "opportunity_gap": "新能源功率预测与虚拟电厂是新方向，需要与新能源场站和售电公司形成生态。",
            "competitors": "**天擎科技**（电力通信老供应商，关系深）；本地电力信通公司（内部单位，价格优势）。",
            "objectives": """
                1. Q1 通过电力安全防护测评（徐浩）；
                2. 二期专网 Q2 招标，份额 ≥ 50%（马晓宇）；
                3. 与配电部建立关系，降低停电考核顾虑（林娜）。
            """,
        },
    },
    "bwa": {
        "status": "draft", "stale": [], "dm": ["bw_ceo", "bw_cdo"],
        "strategy": """
            **智能化 + 出海**：2027 年销量 60 万辆，海外占 25%（欧洲、东南亚）；
            智能座舱与车联网自研，数据合规满足 GDPR 与国内数据出境要求。
        """,
        "customers_customer": "25～40 岁的城市家庭用户；海外经销商与车队客户（网约车、租赁公司）。",
        "profit_model": """
            整车销售毛利 12%；软件与服务（OTA 订阅、智能驾驶包）毛利 60% 以上，是利润增长的关键。
        """,
        "weakest_product": """
            **海外车型的车联网服务**：各国数据合规要求不同，只能关闭部分功能，订阅收入几乎为零。
            用我们的 *多区域 TSP 平台 + 数据出境合规方案*，在欧洲本地部署，
            让海外车型开通全部订阅服务，预计每车每年增加 600 元软件收入。
        """,
        "decision_makers": "CEO **秦朗** 决策快、直接拍板；CDO **罗佳琪** 负责平台选型；合规负责人阎明有否决权。",
        "sections": {
            "strategic_intent": "拿下车联网海外平台，并以宁波工厂 5G 改造切入智能制造。",
            "performance_gap": "宁波工厂 5G 改造 POC 出现一次停线，智能制造总监信心下降。",
            "opportunity_gap": "海外 TSP 平台需要欧洲本地数据中心伙伴，是新的业务设计。",
            "competitors": "启明云（国内 TSP 现供应商）；欧洲本地云厂商。",
            "objectives": "1. 停线问题根因报告与整改（林娜）；\n2. 欧洲合规方案 Q2 交付（徐浩）；\n3. CEO 层会谈。",
        },
    },
    "cypm": {
        "status": "draft", "stale": ["profit_model"], "dm": ["cy_gm"],
        "strategy": "从“代工”走向“精密制造 + 数字化服务”，2027 年进入两家新能源车企的一级供应商名录。",
        "customers_customer": "蓝鲸汽车等整车厂（占收入 55%）、Tier-1 零部件企业。",
        "profit_model": "按件计价的零部件与模具销售；利润受原材料价格和整车厂年降（每年 3%～5%）挤压。",
        "weakest_product": """
            **外观件**：人工目检漏检率高，整车厂索赔多，毛利仅 6%。
            我们的 *机器视觉质检* 把漏检率降到 0.05% 以下，PPM 达到整车厂要求，
            从而拿到更多定点项目，预计年增收 8,000 万元。
        """,
        "decision_makers": "总经理 **邱子轩** 推动并决策 500 万以下投资；更大投资需董事长 **邱德胜** 同意。",
        "sections": {
            "strategic_intent": "以机器视觉质检为切入，建设工业互联网平台。",
            "performance_gap": "试点产线漏检率 0.12%，未达 0.05% 目标。",
            "opportunity_gap": "借助蓝鲸汽车的供应链数字化要求，联合推广到其他供应商。",
            "competitors": "天擎科技（工业互联网平台），本地视觉算法公司。",
            "objectives": "1. 优化算法模型；\n2. 准备董事长汇报材料。",
        },
    },
    "hyhw": {
        "status": "draft", "stale": ["strategy", "weakest_product"], "dm": ["hy_boss"],
        "strategy": "稳住欧美订单，开拓东南亚市场；控制成本是第一要务。",
        "customers_customer": "欧美五金零售商与电商平台卖家。",
        "profit_model": "OEM 出口，薄利多销，毛利约 15%，受汇率影响大。",
        "weakest_product": """
            **电商小批量订单**：订单碎、排产乱、交付慢。
            渠道伙伴提供的 *ERP 上云 + 工厂 Wi-Fi 改造* 让订单直接进排产，交期缩短 3 天，小单接单量可提升 20%。
        """,
        "decision_makers": "总经理 **梁国强** 一人决策。",
        "sections": {
            "strategic_intent": "渠道伙伴粤达信息维护，保持网络与 ERP 上云份额。",
            "performance_gap": "无。",
            "opportunity_gap": "可作为渠道伙伴复制到同类出口型企业的样板。",
            "competitors": "本地集成商。",
            "objectives": "1. 每季度与渠道伙伴回顾一次。",
        },
    },
    "jzbdb": {
        "status": "reviewed", "stale": [], "dm": ["jz_dir", "jz_dep"],
        "strategy": """
            建设 **“一网通办、一网统管、一网协同”**：2027 年城市运行管理中心接入 60 个部门的数据；
            政务云信创比例达到 70%；推进公共数据授权运营（数据要素流通）。
        """,
        "customers_customer": "全市 900 万市民与 80 万市场主体；市直部门与区县政府是政务云的内部用户。",
        "profit_model": """
            财政预算单位，不以盈利为目标；考核是“一网通办”满意度、城市治理事件处置时效和数据开放数量。
            公共数据授权运营可带来非税收入。
        """,
        "weakest_product": """
            **公共数据开放平台**：数据集多但调用量低，几乎没有产生价值。
            我们的 *数据要素流通平台（隐私计算 + 数据沙箱）* 让金融、医疗机构在合规前提下使用公共数据，
            形成授权运营收入，首年预计 3,000 万元。
        """,
        "decision_makers": """
            局长 **方正** 决策；副局长 **苏晴** 分管并主导立项；预算审批在市财政局（包建），目前无人建立关系。
        """,
        "sections": {
            "strategic_intent": "政务云扩容与数据要素流通平台两个项目都进入财政预算。",
            "performance_gap": "政务云扩容方案信创比例 55%，低于 70% 要求，需要调整。",
            "opportunity_gap": "数据授权运营需要与市属国资公司合作，是新的业务设计。",
            "competitors": "北辰软件（现政务云集成商）。",
            "objectives": "1. 修改方案满足信创比例；\n2. 建立与财政局的沟通渠道；\n3. 数据要素试点 Q2 上线。",
        },
    },
    "renhe": {
        "status": "draft", "stale": ["decision_makers"], "dm": ["rh_chair", "rh_cio"],
        "strategy": "**互联互通五级乙等** 评级 + 互联网医院，集团 2027 年门诊量增长 20%，开设 2 家新院区。",
        "customers_customer": "华南中高端患者、商业保险公司（直付结算）、企业体检客户。",
        "profit_model": "医疗服务收入（门诊、住院、体检）为主；药品耗材利润因集采下降；商保直付客户利润最高。",
        "weakest_product": """
            **体检中心**：设备利用率只有 55%，报告出具慢，复购低。
            我们的 *医疗影像云 + 数据中台* 让影像报告 2 小时出具并推送到手机，
            连接商保公司做健康管理，预计体检收入增长 25%。
        """,
        "decision_makers": "董事长 **黎仁和** 拍板；集团信息中心 **程曦** 主导；财务总监伍建华严控资本开支。",
        "sections": {
            "strategic_intent": "医疗数据中台 + 影像云，成为仁和医疗的数字化底座供应商。",
            "performance_gap": "影像云 POC 已完成，但财务总监要求改为订阅制，合同模式需调整。",
            "opportunity_gap": "商保直付需要与保险公司系统对接，可联合金融客户群的鑫泰人寿。",
            "competitors": "启明云（医疗云报价低，医院 HIS 厂商的伙伴）。",
            "objectives": "1. 设计订阅制报价；\n2. 组织影像科学术合作；\n3. 推动两个客户群联合方案。",
        },
    },
    "yxmart": {
        "status": "draft", "stale": [], "dm": ["yx_gm"],
        "strategy": "社区生鲜 + 即时配送，门店从 420 家扩张到 600 家。",
        "customers_customer": "社区家庭用户，尤其是 35 岁以上的家庭主妇和老年人。",
        "profit_model": "商品进销差价，毛利 22%；生鲜损耗是利润黑洞。",
        "weakest_product": """
            **生鲜品类**：损耗率 8%。渠道伙伴提供的 *门店 SD-WAN + 会员数据平台* 支撑按需订货和晚间折扣推送，
            损耗率可降到 5%。
        """,
        "decision_makers": "总经理 **董立新** 决策；营运副总 **刘敏** 影响很大。",
        "sections": {
            "strategic_intent": "由渠道伙伴北方联创覆盖，保持门店网络份额。",
            "performance_gap": "新开门店网络开通周期 10 天，影响开业。",
            "opportunity_gap": "会员数据平台是新机会。",
            "competitors": "本地集成商。",
            "objectives": "1. 开通周期缩短到 3 天；\n2. 会员平台 POC。",
        },
    },
}

#: Older plans (FY2026): reviewed, shorter; the answers the FY2027 plan grew from.
PLANS_FY2026: dict[str, dict] = {
    key: {
        "status": "reviewed", "stale": [], "dm": dm, "sections": {
            "strategic_intent": intent, "performance_gap": "", "opportunity_gap": "",
            "competitors": rival, "objectives": goals,
        },
        "strategy": strategy, "customers_customer": cc, "profit_model": pm, "weakest_product": wp,
        "decision_makers": dmt,
    }
    for key, dm, strategy, cc, pm, wp, dmt, intent, rival, goals in [
        ("ecmc", ["ecmc_ceo", "ecmc_cto"], "5G SA 全覆盖，推动核心网云化。", "个人用户、家庭宽带和政企客户。",
         "个人移动业务为主，政企收入占比 20%。", "**政企专线**价格战，毛利低；用 5G 专网提升附加值。",
         "韩立群（副总）决策技术路线，周建国批准投资。", "保持 5GC 份额 55%。", "天擎科技。",
         "1. 5GC 扩容二期中标；\n2. AIOps 试点。"),
        ("sut", ["sut_cio"], "云网一体转型，IT 系统去 O。", "家庭宽带、中小企业与政府。",
         "固网宽带与专线为主。", "**IDC 机柜**上架率低；用云网融合平台提升价值。",
         "CIO 欧阳明决策 IT 项目。", "IT 域分布式数据库突破。", "北辰软件。", "1. 数据库 POC；\n2. AIOps 试点签约。"),
        ("cjcb", ["cj_cio", "cj_tech"], "分布式核心系统替换。", "零售与对公客户。", "利息净收入为主。",
         "**信用卡业务**获客成本高；用数据中台精准营销。", "刘思源（副行长兼 CIO）总指挥。",
         "核心系统一期中标。", "北辰软件。", "1. 一期合同签署；\n2. 组建联合交付团队。"),
        ("npg", ["np_dgm", "np_dig"], "配网数字化与电力 5G 专网试点。", "五省工商业与居民用户。",
         "输配电价，受监管。", "**配网运维**成本高；用 5G 专网实现故障快速定位。",
         "白云飞（副总）主导，郭晓东牵头技术。", "5G 专网试点成功。", "天擎科技。", "1. 试点验收；\n2. 安全测评。"),
        ("jzbdb", ["jz_dep"], "一网通办与政务云建设。", "市民、企业与市直部门。", "财政预算单位。",
         "**政务云**资源利用率低；用云管平台提升利用率。", "副局长苏晴主导立项。",
         "进入政务云扩容短名单。", "北辰软件。", "1. 方案交流；\n2. 参观样板点。"),
    ]
}
