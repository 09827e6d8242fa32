"""Demo data: hand-written key interactions (拜访记录), and templates for the routine ones.

Key row: (account, date, kind, title, summary, stakeholder keys, attendee user keys, visibility,
          next steps [(text, owner user key, due date, done)]).
Kinds: visit, call, event, executive_meeting. Visibility: org, team (account team only).
"""
from __future__ import annotations

from datetime import date as d

KEY_INTERACTIONS: list[tuple] = [
    ("ecmc", d(2026, 10, 22), "executive_meeting", "年度高层战略会谈：算力网络与 AIOps 合作",
     "李明陪同我方 CTO 与 **周建国** 总经理、**韩立群** 副总会谈。\n\n"
     "- 客户确认 FY2027 算力收入占比目标 25%，AIOps 要从试点走向全网；\n"
     "- 韩总希望我们参与“自智网络 L4”联合创新实验室；\n"
     "- 周总提到集采评分中商务分占比可能提高，提醒我们关注 TCO。",
     ["ecmc_ceo", "ecmc_cto"], ["wangfang", "chenqiang", "liming"], "org",
     [("起草联合创新实验室合作框架", "chenqiang", d(2026, 11, 20), False),
      ("准备 AIOps 全网 TCO 测算", "wangfang", d(2026, 11, 10), False)]),
    ("ecmc", d(2026, 9, 15), "visit", "采购中心关系重建",
     "首次拜访采购中心 **钱卫东** 主任（原对接人黄涛已离职，关系断档近一年）。\n\n"
     "钱主任坦言：二期 5GC 扩容拆包是因为“单一厂家份额过高”的审计意见。"
     "我们的商务响应偏慢，报价澄清两次超期。",
     ["ecmc_pur"], ["wangfang"], "team",
     [("整理近三年集采评分表，找出商务失分项", "wangfang", d(2026, 10, 15), False),
      ("约钱主任参加年底供应商交流会", "wangfang", d(2026, 12, 5), False)]),
    ("ecmc", d(2026, 6, 18), "event", "云网融合峰会（杭州）",
     "华东移动网络部、信息技术部 20 余人参会。**许文静** 做了算力网络平台的主题演讲，"
     "点名希望我们提供 AIOps 的根因分析（RCA）能力。会后与 **马骏** 交流告警数据接入方案。",
     ["ecmc_it", "ecmc_ops"], ["chenqiang", "zhaolei"], "org",
     [("提交告警数据接入方案", "zhaolei", d(2026, 7, 10), True)]),
    ("ecmc", d(2025, 11, 6), "visit", "5GC 扩容二期技术澄清",
     "与网络部 **沈涛** 澄清二期扩容技术方案。沈总明确多厂家策略：单一厂家份额不超过 60%。"
     "我们现网份额 58%，二期最多拿一个标包。",
     ["ecmc_net"], ["chenqiang", "wangfang"], "org",
     [("评估拆包后的报价策略", "wangfang", d(2025, 11, 20), True)]),
    ("ecmc_sz", d(2026, 8, 27), "visit", "园区 5G 专网样板进度检查",
     "与 **蒋敏**、**杨帆** 检查样板进度：10 家企业中 6 家已开通。"
     "MEC 与计费系统对接仍未完成，客户财务部 **孔德明** 对投资回收期有疑问。",
     ["sz_gov", "sz_net"], ["zhaolei", "chenqiang"], "org",
     [("完成 MEC 计费接口联调", "zhaolei", d(2026, 9, 30), False),
      ("准备投资回收模型给财务部", "wangfang", d(2026, 10, 20), False)]),
    ("sut", d(2026, 10, 9), "call", "AIOps 告警压缩率未达标",
     "与 **何俊杰** 电话沟通：试点告警压缩率 78%，合同承诺 85%。客户要求两个月内整改，否则不推广。"
     "主要差距在光传输告警的关联规则。",
     ["sut_ops"], ["zhaolei", "chenqiang"], "team",
     [("输出告警关联规则整改计划", "zhaolei", d(2026, 10, 23), True),
      ("整改后复测告警压缩率", "zhaolei", d(2026, 12, 15), False)]),
    ("sut", d(2026, 4, 21), "executive_meeting", "CIO 欧阳明来访总部",
     "**欧阳明** CIO 带队参观我司展厅和数据库实验室。欧阳总明确：去 O 是三年战略，"
     "2027 年核心账务系统要迁移到分布式数据库，希望我们派驻架构师团队。\n\n"
     "私下提到对北辰软件的服务响应不满意。",
     ["sut_cio", "sut_arch"], ["chenqiang", "wangfang", "liming"], "org",
     [("派驻 2 名数据库架构师", "chenqiang", d(2026, 5, 15), True),
      ("输出账务系统迁移路线图（roadmap）", "chenqiang", d(2026, 6, 30), True)]),
    ("sut", d(2025, 9, 3), "visit", "首席网络官拜访未果",
     "原计划拜访首席网络官 **黄志勇**，临时被取消，只见到助理。黄总对我们的 FTTR 方案仍持怀疑态度。"
     "网络域高层关系是最大短板。",
     ["sut_cno"], ["wangfang"], "team",
     [("请公司高层出面邀请黄志勇参加技术峰会", "liming", d(2025, 10, 31), False)]),
    ("asiatel", d(2026, 7, 14), "visit", "Kuala Lumpur: BSS PoC kick-off",
     "BSS 替换 PoC 在吉隆坡启动（kick-off）。**Priya Nair** 要求 TM Forum Open API 全兼容，"
     "并在 8 周内演示 5G 切片计费。**Tan Eng Kong** 出席并表示 PoC 结果将直接进入董事会材料。",
     ["at_cto", "at_bss"], ["chenqiang", "zhaolei", "wangfang"], "org",
     [("Deliver slice-charging demo", "chenqiang", d(2026, 9, 8), True),
      ("确认本地合作伙伴人选", "wangfang", d(2026, 8, 15), True)]),
    ("asiatel", d(2026, 10, 28), "call", "采购总监电话：Managed Services 评分",
     "**Ryan Lee** 透露 Managed Services 评分中本地化服务能力占 30%，Nordtel 在本地有 80 人团队。"
     "建议我们与本地伙伴联合投标。",
     ["at_proc"], ["wangfang"], "team",
     [("与本地伙伴签署合作备忘录（MoU）", "wangfang", d(2026, 11, 30), False)]),
    ("cjcb", d(2026, 9, 25), "executive_meeting", "核心系统二期启动会",
     "**刘思源** 副行长主持二期启动会。一期割接延期 6 周的复盘结论：割接演练次数不足。"
     "二期要求三轮全量演练，风险合规部 **孙浩然** 将列席每周例会。",
     ["cj_cio", "cj_tech", "cj_risk"], ["zhangwei", "wujing", "zhoujie"], "org",
     [("制定三轮割接演练计划", "zhoujie", d(2026, 10, 15), True),
      ("与风险合规部建立周例会机制", "zhangwei", d(2026, 10, 10), True),
      ("完成第一轮全量演练", "zhoujie", d(2026, 11, 25), False)]),
    ("cjcb", d(2026, 5, 12), "visit", "风险合规部关系交接",
     "徐浩轮岗后首次由张伟、吴静拜访 **孙浩然** 总经理。孙总对一期割接延期仍有意见，"
     "关系需要重新建立。后续建议请徐浩一起做一次正式交接。",
     ["cj_risk"], ["zhangwei", "wujing"], "team",
     [("安排徐浩参与关系交接拜访", "zhangwei", d(2026, 6, 15), False)]),
    ("cjcb", d(2026, 2, 3), "visit", "数据中台需求调研",
     "与数据管理部 **周雨桐** 调研供应链金融风控需求：核心企业 ERP 数据接入、物流轨迹、发票验真。"
     "周总愿意牵头内部立项。",
     ["cj_data"], ["wujing"], "org",
     [("输出数据中台需求规格书", "wujing", d(2026, 3, 15), True)]),
    ("xtl", d(2026, 8, 6), "visit", "智能核保 POC 结果汇报",
     "向 **高雅琴** CTO 和 **邓伟** 汇报 POC：自动核保率从 41% 提升到 82%，核保时效 8 分钟。"
     "高总认可效果，但预算推迟到 2027 年一季度。",
     ["xt_cto", "xt_uw"], ["zhangwei", "wujing"], "org",
     [("准备 2027 年立项材料", "wujing", d(2026, 12, 20), False)]),
    ("hhs", d(2026, 5, 20), "call", "合并消息确认",
     "**姚远** 确认瀚海证券将被长江证券吸收合并，低时延网络项目暂停。姚总将任长江证券副 CIO。",
     ["hh_cio"], ["zhangwei"], "org",
     [("把姚远关系交接到长江证券机会", "zhangwei", d(2026, 7, 31), True)]),
    ("npg", d(2026, 10, 16), "visit", "电力安全防护测评进展",
     "与网络安全处 **冷冰** 沟通测评进展：还有 3 项整改未关闭（日志审计、国密算法、边界隔离）。"
     "冷处长态度强硬，要求全部整改后才能进入二期招标。",
     ["np_sec"], ["xuhao", "linna"], "team",
     [("关闭 3 项安全整改", "xuhao", d(2026, 10, 30), False),
      ("提交整改报告", "xuhao", d(2026, 11, 15), False)]),
    ("npg", d(2026, 7, 2), "executive_meeting", "数字化领导小组汇报",
     "向 **白云飞** 副总汇报电力 5G 专网一期成效：故障定位时间从 2 小时降到 6 分钟。"
     "白总希望联合申报国家“新型电力系统示范项目”。**郭晓东** 负责申报材料。",
     ["np_dgm", "np_dig"], ["maxiaoyu", "xuhao", "liming"], "org",
     [("提供示范项目申报的技术章节", "xuhao", d(2026, 8, 20), True)]),
    ("npg", d(2025, 12, 10), "visit", "配电部首次拜访",
     "首次拜访配电部 **齐建平** 主任。齐主任担心改造期间的停电时户数考核，希望分批次夜间割接。",
     ["np_dist"], ["linna", "maxiaoyu"], "org",
     [("制定分批夜间割接方案", "linna", d(2026, 1, 20), True)]),
    ("bwa", d(2026, 9, 9), "visit", "宁波工厂停线复盘",
     "5G 改造 POC 期间焊装线停线 40 分钟。与 **钟华** 复盘：根因是 AGV 切换基站时的时延抖动。"
     "钟总信心下降，要求整改报告。",
     ["bw_plant"], ["linna", "xuhao"], "team",
     [("提交停线根因报告与整改方案", "linna", d(2026, 9, 30), False)]),
    ("bwa", d(2026, 4, 16), "event", "上海车展 · 车联网出海论坛",
     "**罗佳琪** CDO 在论坛上分享出海合规挑战：欧洲车型只能关闭部分联网功能。"
     "会后交流我们的多区域 TSP 方案，罗总有兴趣。",
     ["bw_cdo", "bw_sec"], ["maxiaoyu", "xuhao"], "org",
     [("提交欧洲合规 TSP 方案", "xuhao", d(2026, 6, 30), True)]),
    ("cypm", d(2026, 8, 19), "visit", "机器视觉质检试点复盘",
     "与 **魏红** 部长复盘试点：漏检率 0.12%，目标 0.05%。主要漏检在反光件划痕，需要补充样本。",
     ["cy_quality"], ["xuhao", "maxiaoyu"], "org",
     [("补采 5,000 张反光件样本", "linna", d(2026, 9, 15), True),
      ("新模型复测", "xuhao", d(2026, 10, 20), False)]),
    ("jzbdb", d(2026, 9, 3), "visit", "政务云扩容方案评审",
     "**严俊** 处长评审方案：信创比例 55%，要求提高到 70%。数据要素试点由 **温婉** 处长牵头，进展顺利。",
     ["jz_cloud", "jz_data"], ["hemin", "sunli"], "org",
     [("调整方案信创比例到 70%", "sunli", d(2026, 10, 10), True),
      ("约财政局信息化预算科沟通", "hemin", d(2026, 10, 31), False)]),
    ("jzbdb", d(2026, 3, 26), "executive_meeting", "局长调研城市运行管理中心",
     "**方正** 局长带队调研我方参与的城市运行管理中心。方局长强调“一网统管”年度考核，"
     "希望事件处置时效再提升 30%。",
     ["jz_dir", "jz_dep"], ["hemin", "sunli", "liming"], "org",
     [("提交事件处置时效提升方案", "sunli", d(2026, 4, 30), True)]),
    ("renhe", d(2026, 10, 13), "visit", "影像云订阅制报价沟通",
     "与 **程曦** 主任和财务总监 **伍建华** 沟通影像云合同模式。伍总坚持订阅制，三年总价不高于买断价的 110%。",
     ["rh_cio", "rh_fin"], ["hemin", "sunli"], "team",
     [("设计订阅制报价方案", "hemin", d(2026, 10, 27), False)]),
    ("renhe", d(2026, 6, 11), "event", "华南智慧医院论坛",
     "仁和医疗 **莫晓婷** 主任发表影像云应用演讲，提到我们的 AI 辅助阅片。会上与 **谭卫国** 结识。",
     ["rh_radio", "rh_med"], ["gaoyuan", "hemin"], "org",
     [("邀请莫主任做学术合作", "gaoyuan", d(2026, 7, 31), True)]),
    ("hxrcb", d(2026, 7, 8), "visit", "与渠道伙伴联合拜访",
     "与渠道伙伴闽信科技联合拜访 **郑海燕**。了解到省联社将统一采购信创设备，县级行选型权上收。",
     ["hx_it"], ["guojun"], "org",
     [("拜访省联社科技部", "guojun", d(2026, 9, 30), False)]),
    ("yxmart", d(2026, 5, 28), "call", "门店网络开通周期",
     "**刘敏** 反馈新店网络开通要 10 天，影响开业。渠道伙伴北方联创承诺缩短到 3 天。",
     ["yx_ops"], ["guojun"], "org",
     [("跟踪伙伴的开通流程改进", "guojun", d(2026, 7, 15), True)]),
    ("hyhw", d(2025, 10, 15), "call", "渠道季度回顾",
     "与渠道伙伴粤达信息回顾宏远五金：工厂 Wi-Fi 改造已验收，**梁国强** 总经理满意，ERP 上云明年再议。",
     ["hy_boss"], ["guojun"], "org", []),
]

#: Routine interactions: (kind, title, [summary variants], [next-step texts]). One variant is picked per
#: visit, so the same kind of visit reads differently at different accounts. Placeholders: {short} account
#: short name, {topic} one of its topics, {rival} its main competitor, {sh}/{sh_title} the first person met,
#: {pct} a percentage (3–15), {weeks} a number of weeks (4–10), {n} a head count (6–30).
TEMPLATES: list[tuple[str, str, list[str], list[str]]] = [
    ("visit", "{topic} 需求交流", [
        "拜访 **{sh}**（{sh_title}），交流 **{topic}** 的需求与预算。\n\n"
        "- 关注投资回报和上线周期；\n- 提到 {rival} 上个月做过一次方案宣讲；\n- 预算预计在下一财年列支。",
        "与 **{sh}** 过了一遍 {topic} 的需求清单，{n} 项里有一半是“必须项”。{sh_title}更在意和现网的兼容，"
        "对新功能兴趣一般。",
        "{sh} 介绍了{short}今年在 {topic} 上的痛点：现有方案扩容慢、运维人手紧。"
        "他私下说 {rival} 的报价“低得离谱”，但担心后续服务。",
    ], ["提交 {topic} 初步方案", "约技术交流会"]),
    ("visit", "{topic} 技术交流会", [
        "为{short}技术团队做 {topic} 技术交流，{sh} 出席。提问集中在架构开放性和运维工作量，"
        "会后索要同行业案例。",
        "{topic} 技术交流，{short}来了 {n} 位工程师。**{sh}** 追问了三次故障切换的细节，"
        "对我们的演示环境印象不错。",
        "下午的 {topic} 交流会开成了答疑会：{sh} 带来的问题单有 {n} 条，一半和 {rival} 的对比有关。",
    ], ["发送同行业案例材料", "安排样板点参观"]),
    ("call", "{topic} 项目进展电话", [
        "与 **{sh}** 电话同步 {topic} 项目进展：整体按计划推进，一个接口问题待对方确认。",
        "{sh} 来电：{topic} 进度比计划慢约 {weeks} 周，原因是机房改造。对方不希望调整里程碑。",
        "和 **{sh}** 对了一下 {topic} 的里程碑。第一阶段已验收，第二阶段的测试用例还缺 {n} 条。",
    ], ["确认接口规范"]),
    ("visit", "月度例行拜访", [
        "例行拜访 **{sh}**。了解到{short}近期组织调整：采购决策权进一步上收到总部（采购决策权逐层上缴），"
        "决策链需要更新。",
        "例行拜访，{sh} 刚从总部开会回来，说明年 IT 预算压缩约 {pct}%，新项目要“一事一议”。",
        "月度拜访 **{sh}**，聊得比较轻松：他更关心团队里两位骨干的去留，对 {topic} 暂时没有新要求。",
    ], ["更新决策链与关键人信息"]),
    ("event", "{short} 供应商大会", [
        "参加{short}年度供应商大会，**{sh}** 介绍了明年的重点方向，{topic} 被列为重点项目。"
        "会上与多位部门负责人交换了联系方式。",
        "{short}供应商大会上 {sh} 公布了供应商考评结果，我们排第三，{rival} 第一；交付及时率是主要失分项。",
        "供应商大会茶歇时与 **{sh}** 聊了十分钟，他提醒明年的集采会把服务评分提高 {pct} 个百分点。",
    ], ["整理会议纪要发给项目组", "跟进新认识的部门负责人（普遍关系）"]),
    ("visit", "{topic} POC 方案确认", [
        "与 **{sh}** 确认 {topic} POC 范围、成功标准和时间表。对方希望 {weeks} 周内完成，"
        "成功标准需量化（SLA、性能指标）。",
        "POC 方案评审：{sh} 删掉了两个“锦上添花”的测试项，加了一项压力测试，要求并发提高 {pct}%。",
        "{topic} POC 的测试环境由{short}提供，**{sh}** 答应下周开通账号；{rival} 的 POC 已经先做完。",
    ], ["输出 POC 测试方案", "准备 POC 环境"]),
    ("call", "商务澄清", [
        "{sh} 来电澄清报价：关注三年 TCO 和维保条款，认为我们的维保价格比 {rival} 高 {pct}%。",
        "商务澄清电话：{sh} 逐项核对了报价清单，指出两项软件许可重复计价，要求重新报价。",
        "{sh} 询问付款方式能否改为按里程碑分 {n} 期；财务那边对预付款比例有意见。",
    ], ["重新测算三年 TCO", "内部申请价格授权"]),
    ("executive_meeting", "高层互访", [
        "我方高层与 **{sh}**（{sh_title}）会谈，回顾合作成果，探讨 {topic} 的战略合作。"
        "对方希望形成联合创新，共同打造行业标杆（构筑战略伙伴关系）。",
        "高层互访：{sh} 直言去年两次重大故障影响了信任，希望我们的总裁亲自挂帅 {topic} 项目。",
        "**{sh}** 回访我司总部，参观了研发中心。会谈中他把 {topic} 称为“明年最重要的一件事”。",
    ], ["起草战略合作备忘录", "安排下次高层会谈"]),
    ("visit", "交付满意度回访", [
        "交付经理回访 **{sh}**：上一阶段交付总体满意，提出两点改进：变更通知要提前、文档要中文版。",
        "满意度回访打分 {n}/30。{sh} 表扬了驻场工程师，但抱怨备件到货慢。",
        "回访 **{sh}**：系统上线后投诉量下降 {pct}%，他愿意在行业会议上做案例分享。",
    ], ["修订变更通知流程", "补齐中文运维文档"]),
    ("visit", "{topic} 招标前沟通", [
        "了解 {topic} 招标安排：预计下季度发标，评分中技术 60%、商务 40%。{sh} 提醒关注资质要求。",
        "{sh} 透露 {topic} 将公开招标，预计 {weeks} 周后挂网，{rival} 已在做资质准备。",
        "招标前沟通：{sh} 希望技术规范书里写进开放接口要求，这对我们有利。",
    ], ["准备资质文件", "分析评分办法并制定应标策略"]),
    ("call", "Weekly sync：{topic}", [
        "与 {sh} 的周例会（weekly sync）：{topic} 本周完成联调，下周进入用户验收测试（UAT）。",
        "Weekly sync with {sh}: {topic} UAT found {n} issues, two of them blocking; go-live moves by a week.",
        "周例会：{sh} 要求每周五提供 {topic} 的风险清单，本周新增一个数据迁移风险。",
    ], ["跟踪 UAT 问题清单"]),
    ("event", "行业沙龙", [
        "邀请{short}多个部门参加我方行业沙龙，主题为 {topic}。{sh} 参加并在圆桌环节发言。",
        "行业沙龙（{topic}）来了 {n} 位嘉宾，{short}的 **{sh}** 分享了他们的数字化经验，反响很好。",
        "{topic} 主题沙龙上，{sh} 和另外两家同业交流了选型经验，会后主动加了我们的专家微信。",
    ], ["发送沙龙材料", "邀请参会者参观实验室"]),
]
