"""Demo data: FY2027 account plans of the carriers and financial-services accounts.

Each plan: the five 30-second answers and the sections (Markdown), `dm` (decision-maker stakeholder
keys), `status`, and `stale` — answers written in the first revision, more than 12 months before the
anchor date, and never touched since (so the page flags them).
"""
from __future__ import annotations

PLANS_A: dict[str, dict] = {
    "ecmc": {
        "status": "reviewed", "stale": ["customers_customer"], "dm": ["ecmc_ceo", "ecmc_cto", "ecmc_net"],
        "strategy": """
            集团“算力网络”战略的区域落地者：**2027 年算力与 DICT 收入占比从 18% 提升到 25%**。
            - 网络侧：5G SA 全覆盖、核心网云化，支撑 RedCap 与 5G-A 商用；
            - 业务侧：从流量经营转向“连接 + 算力 + 能力”，重点是政企专网和行业云；
            - 运营侧：网络运维人员冻结编制，要求通过 AIOps 实现“自智网络 L4”。
        """,
        "customers_customer": """
            - **个人用户** 4,200 万（ARPU 48 元，持续下滑）；
            - **家庭宽带** 1,100 万户；
            - **政企客户**：制造园区、政府、医院、学校——增长最快，DICT 收入年增 22%；
            - 下级地市分公司（如苏州移动）本身也是集团能力的“客户”。
        """,
        "profit_model": """
            收入 = 个人移动（58%）+ 家庭宽带（17%）+ 政企 DICT（25%）。
            利润主要来自个人移动业务的规模效应；政企项目毛利低（集成占比高），但带动专线与云的长期收入。
            资本开支占收入 26%，集团考核 **EBITDA 率** 和 **算力收入增速**。
        """,
        "weakest_product": """
            **政企 DICT 集成项目**毛利率仅 8%～12%，大量外采第三方设备，交付周期长。
            我们的提升路径：
            1. 用标准化的 *5G 专网 + MEC 一体机* 替代项目化集成，把交付周期从 90 天压到 30 天；
            2. 专网按月订阅计费，让一次性集成收入变成持续的连接 + 算力收入；
            3. AIOps 降低专网运维人力，单项目毛利预计提升 6～8 个百分点。
        """,
        "decision_makers": """
            **韩立群**（副总，分管网络与 IT）对技术路线拍板；**周建国**（总经理）批准 5,000 万以上投资；
            网络部 **沈涛** 主导技术评分。集采商务部分由采购中心执行，评分权重 40%。
        """,
        "sections": {
            "strategic_intent": """
                成为华东移动在 **算力网络与 AIOps** 领域的首选合作伙伴；
                FY2027 目标：5GC 份额保持 55% 以上，AIOps 从试点走向全网（合同额 1.2 亿元）。
            """,
            "performance_gap": """
                FY2026 订货 3.4 亿元，比目标少 0.6 亿：5GC 扩容二期被拆分成两个标包，我们只中一个。
                根因：集采商务分偏低、采购中心关系断档（黄涛离职后无人接手）。
            """,
            "opportunity_gap": """
                政企专网是新的增长点，但我们没有面向地市的标准化产品包和渠道伙伴，
                需要新的业务设计：与苏州移动联合打造“园区专网样板”，再复制到其他 12 个地市。
            """,
            "competitors": """
                - **天擎科技**：5GC 份额 40%，价格激进，本地服务团队 200 人；
                - 北辰软件：在 IT 域有运维平台，AIOps 的潜在竞争者。
            """,
            "objectives": """
                1. Q1 完成 AIOps 全网方案评审（责任人：陈强）；
                2. Q2 之前重建采购中心关系，安排高层拜访（责任人：王芳）；
                3. 苏州园区专网样板 Q3 验收（责任人：赵磊）；
                4. 客户群铁三角（AR 王芳、SR 陈强、FR 赵磊）每月联合拜访一次，统一对客户的口径。
            """,
        },
    },
    "ecmc_sz": {
        "status": "draft", "stale": [], "dm": ["sz_gm", "sz_gov"],
        "strategy": """
            争做华东移动 **政企收入第一的地市**：以苏州工业园区为样板，2027 年 5G 专网客户从 35 家增至 120 家。
        """,
        "customers_customer": """
            园区内的电子、精密制造和生物医药企业（约 4,000 家），以及园区管委会。
            典型客户：外资电子厂，要求网络隔离、时延 < 20ms、数据不出园区。
        """,
        "profit_model": """
            专线与专网的月租收入 + 一次性集成收入 + 云资源收入。省公司按“收入 + 新增客户数”考核地市。
        """,
        "weakest_product": """
            **中小企业专线**：价格战严重，毛利不足 10%。
            换成我们的 *轻量化 5G 专网套餐*（共享 UPF、按终端数计费），可打包安全与上云，
            单客户月收入预计从 3,000 元提到 8,000 元。
        """,
        "decision_makers": """
            总经理 **陆晓峰** 拍板；政企客户部 **蒋敏** 提需求并推动立项；投资需报省公司网络部备案。
        """,
        "sections": {
            "strategic_intent": "把苏州园区专网做成全省可复制的样板项目，带动省公司集采。",
            "performance_gap": "专网样板进度落后 2 个月：MEC 与现网计费对接未完成。",
            "opportunity_gap": "园区中小企业需要“专网 + 安全 + 上云”一站式套餐，目前没有产品包。",
            "competitors": "天擎科技在昆山已有 2 个专网案例，报价低 15%。",
            "objectives": "1. 完成 MEC 计费对接；\n2. 签约 10 家样板企业；\n3. 与财务部沟通投资回收模型。",
        },
    },
    "sut": {
        "status": "reviewed", "stale": ["profit_model"], "dm": ["sut_chair", "sut_cio", "sut_cno"],
        "strategy": """
            从“管道提供商”转型为 **云网一体的 ICT 服务商**：
            - 2027 年云业务收入突破 50 亿元；
            - IT 系统全面去 O，核心系统迁移到分布式数据库；
            - 家庭市场推 FTTR 全光家庭，提升宽带 ARPU。
        """,
        "customers_customer": """
            家庭宽带用户（2,600 万户）、中小企业（云与专线）、政府和大型企业（数据中心与混合云）。
        """,
        "profit_model": """
            固网宽带与专线收入是利润基本盘（毛利 45%）；IDC 与云增长快但折旧重；
            移动业务依赖转售，利润薄。
        """,
        "weakest_product": """
            **IDC 机柜出租**：同质化，上架率 68%，价格年降 5%。
            用我们的 *云网融合平台* 把机柜升级为“算力 + 专线”一体化服务，按需计费，
            同一机房收入预计提升 30%，并锁定三年以上合同。
        """,
        "decision_makers": """
            **林振华**（董事长）定战略方向；IT 域由 CIO **欧阳明** 决策；网络域由首席网络官 **黄志勇** 决策，
            他目前偏向友商，是关系上的最大风险。
        """,
        "sections": {
            "strategic_intent": "IT 域成为第一供应商（分布式数据库 + AIOps），网络域实现 FTTR 零的突破。",
            "performance_gap": "AIOps 试点告警压缩率 78%，低于合同承诺的 85%，影响推广。",
            "opportunity_gap": "网络域没有决策层关系：黄志勇只与已离职的黄涛接触过，需要新的高层关系布局。",
            "competitors": "北辰软件（IT 域老牌集成商，服务响应慢）；网络域友商（华为、中兴）合作十年。",
            "objectives": """
                1. AIOps 告警压缩率 Q1 达到 85%（赵磊）；
                2. 安排我方 CTO 与黄志勇会谈（李明、王芳）；
                3. 分布式数据库完成 3 个核心系统迁移（陈强）。
            """,
        },
    },
    "ylcn": {
        "status": "draft", "stale": [], "dm": ["yl_gm"],
        "strategy": "依托 700M 5G 共建共享，从有线电视运营商转型为 **“广电 5G + 智慧乡村”** 的区域服务商。",
        "customers_customer": "全省 380 万有线电视用户（农村占 60%）、县乡政府（智慧乡村、应急广播）。",
        "profit_model": "有线电视收视费（逐年下降 8%）+ 宽带 + 政府项目；5G 业务刚起步，尚未盈利。",
        "weakest_product": """
            **有线电视基本收视**：用户流失严重，毛利为负。
            我们的 *机顶盒云化 + 智慧乡村平台* 让机顶盒成为乡村治理与应急广播终端，
            由县政府购买服务，每户每年新增收入约 60 元。
        """,
        "decision_makers": "总经理 **杨国庆** 决策；技术部 **李春梅** 负责方案评估；财务总监意见影响投资节奏。",
        "sections": {
            "strategic_intent": "成为云岭广电 5G 与智慧乡村的唯一平台伙伴。",
            "performance_gap": "FY2026 目标 3,000 万，实际 1,800 万：智慧乡村平台只在 2 个县落地。",
            "opportunity_gap": "需要与省乡村振兴局形成联合方案，争取专项资金。",
            "competitors": "天擎科技承建了 700M 基站，正延伸到平台层。",
            "objectives": "1. 再落地 5 个县；\n2. 与财务总监建立关系；\n3. 推动分期建设方案。",
        },
    },
    "asiatel": {
        "status": "reviewed", "stale": [], "dm": ["at_ceo", "at_cto"],
        "strategy": """
            Board 目标：**2027 年底 5G SA 覆盖 80% 人口**，企业业务收入占比从 9% 提升到 15%。
            同时替换老旧 BSS（billing）系统，实现 5G 切片按需计费。
            Our strategy: lead with the 5G SA core, then replace the BSS so slicing can be billed on demand.
        """,
        "customers_customer": "马来西亚预付费个人用户（70%）、中小企业和政府机构；新兴的 FWA 家庭宽带用户。",
        "profit_model": "预付费移动收入为主，ARPU 低（约 RM 35）；通过 Managed Services 外包降本。",
        "weakest_product": """
            **FWA 固定无线宽带**：终端补贴高、流失率高。
            用我们的 *5G SA 核心网 + 新 BSS* 做速率分级与切片套餐，高端套餐溢价 30%，
            并通过 Managed Services 把运维成本降 20%。
        """,
        "decision_makers": """
            CTO **陈永康（Tan Eng Kong）** 提名技术方案，CEO **Azman Rashid** 与董事会批准；
            采购总监 Ryan Lee 影响商务评分。
        """,
        "sections": {
            "strategic_intent": "Win the 5G SA core and the BSS replacement; become AsiaTel's strategic partner.",
            "performance_gap": "本地交付团队只有 12 人，Managed Services 投标被质疑服务能力。",
            "opportunity_gap": "需要与本地合作伙伴组建联合交付中心，满足 Bumiputera 本地化要求。",
            "competitors": "**Nordtel**（欧洲厂商，现网 4G 核心网供应商，采购总监支持）。"
                           "Its pricing strategies undercut us on the 4G renewal.",
            "objectives": "1. Q1 完成 BSS PoC；\n2. 与本地伙伴签署合作备忘录；\n3. 安排 CEO 访华参观。",
        },
    },
    "cjcb": {
        "status": "reviewed", "stale": ["customers_customer", "profit_model"], "dm": ["cj_pres", "cj_cio", "cj_tech"],
        "strategy": """
            “**数字长江**”战略：三年内完成分布式核心系统替换，打造区域领先的数字化城商行。
            - 零售转型：个人客户数字化经营，手机银行 MAU 从 320 万到 500 万；
            - 对公：深耕长江经济带制造业与供应链金融；
            - 科技：信创替代率 2027 年达到 80%。
        """,
        "customers_customer": """
            - 零售客户 1,100 万（以湖北本地为主）；
            - 对公客户 8 万户，重点是专精特新制造企业与核心企业上下游；
            - 地方政府与国企（代发、财政资金）。
        """,
        "profit_model": """
            利息净收入占 78%（净息差 1.62%，持续收窄）；中间业务收入 22%，以代理理财和结算为主。
            降本增效是管理层第一诉求：成本收入比目标从 34% 降至 30%。
        """,
        "weakest_product": """
            **供应链金融**：业务规模大但坏账率偏高、人工审核成本高，ROA 只有 0.3%。
            我们的 *数据中台 + 实时风控* 打通核心企业 ERP 与物流数据，授信审批从 5 天缩短到 1 天，
            预计业务规模增长 40%、不良率下降 0.5 个百分点。
        """,
        "decision_makers": """
            副行长兼 CIO **刘思源** 是项目总指挥；金融科技部 **赵晨** 决定技术路线；
            **王志远**（行长）批准 1 亿元以上投资；风险合规部 **孙浩然** 对割接有一票否决。
        """,
        "sections": {
            "strategic_intent": "分布式核心系统和数据中台双项目中标，成为长江银行第一科技伙伴。",
            "performance_gap": "核心系统一期割接延期 6 周，交付满意度从 92 分降到 85 分。",
            "opportunity_gap": "供应链金融风控是新机会，需要联合行业 ISV 形成方案。",
            "competitors": "北辰软件（现有核心系统集成商）；启明云（信创云报价低 20%）。",
            "objectives": """
                1. 二期割接零事故（周杰）；
                2. 与风险合规部建立定期沟通机制，完成关系交接（张伟、吴静）；
                3. 数据中台 Q2 立项（吴静）。
            """,
        },
    },
    "xtl": {
        "status": "draft", "stale": [], "dm": ["xt_gm", "xt_cto"],
        "strategy": "“科技赋能代理人”：代理人队伍从 8 万精简到 5 万，人均产能提升 60%；理赔与核保全面智能化。",
        "customers_customer": "中高收入家庭（重疾险、年金险），银行渠道客户；代理人本身也是公司的“内部客户”。",
        "profit_model": "保费规模 + 利差（投资收益）+ 死差；新业务价值（NBV）是核心考核指标。",
        "weakest_product": """
            **短期健康险**：赔付率 75%，人工核保成本高。
            我们的 *智能核保引擎* 把自动核保率从 40% 提到 80%，
            核保时效从 2 天缩短到 10 分钟，带动转化率提升约 15%。
        """,
        "decision_makers": "CTO **高雅琴** 决策技术方案；总经理 **冯建军** 批准预算；核保核赔部 **邓伟** 做业务评估。",
        "sections": {
            "strategic_intent": "以智能核保为切入点，进入混合云平台建设。",
            "performance_gap": "智能核保 POC 效果达标，但预算推迟到 2027 年。",
            "opportunity_gap": "代理人展业 App 需要与 CRM 深度整合，需引入行业 ISV。",
            "competitors": "启明云（已承建公有云部分）。",
            "objectives": "1. 争取 Q1 立项；\n2. 完成核保引擎与核心业务系统的接口设计。",
        },
    },
    "hxrcb": {
        "status": "draft", "stale": ["weakest_product"], "dm": ["hx_pres"],
        "strategy": "服务县域“三农”与小微企业，完成监管要求的信创替代。",
        "customers_customer": "县域农户、个体工商户与小微企业。",
        "profit_model": "存贷利差为主，中间业务很少。",
        "weakest_product": """
            **网点柜面业务**：人力成本高。渠道伙伴提供的 *网点云桌面* 让柜面终端集中运维，
            每网点运维成本下降 30%，释放人员去做上门营销。
        """,
        "decision_makers": "行长 **吴春生** 决策；科技信息部 **郑海燕** 负责选型。",
        "sections": {
            "strategic_intent": "通过渠道伙伴闽信科技覆盖，保持信创替代项目份额。",
            "performance_gap": "渠道伙伴报价过高，丢了一个 200 万的小项目。",
            "opportunity_gap": "省联社统一采购是新变化：需要提前影响省联社的技术规范。",
            "competitors": "启明云通过省联社短名单进入。",
            "objectives": "1. 与渠道伙伴联合拜访省联社；\n2. 培训伙伴售前 2 人。",
        },
    },
    "hhs": {
        "status": "reviewed", "stale": [], "dm": ["hh_cio"],
        "strategy": "（已被长江证券吸收合并）原战略：以低时延交易系统吸引量化私募客户。",
        "customers_customer": "量化私募、高净值个人投资者、机构客户。",
        "profit_model": "经纪佣金 + 两融利息 + 自营投资。",
        "weakest_product": """
            **经纪业务**佣金率持续下降。原计划用我们的 *低时延交易网络* 吸引量化客户，
            交易量提升弥补佣金率下降。合并后该项目暂停。
        """,
        "decision_makers": "原 CIO **姚远** 决策，现任长江证券副 CIO，关系应在长江证券继续经营。",
        "sections": {
            "strategic_intent": "合并后转为经营长江证券的机会。",
            "performance_gap": "低时延网络项目因合并中止，订单损失约 800 万。",
            "opportunity_gap": "长江证券的交易系统整合项目。",
            "competitors": "北辰软件。",
            "objectives": "1. 把姚远的关系交接到长江证券客户计划；\n2. 归档本客户资料。",
        },
    },
}
