"""The large organisation of issue 9, generated in bulk on top of the demo data (used by bench/scale.py).

At `fraction=1`: 2,000 accounts in 40 customer groups, 200 users, 40,000 stakeholders, 207,000 visits with
285,000 next steps, 4,000 plans with 3 revisions each. Deterministic (a seeded random), bilingual (zh names
and English names, Chinese and English visit notes), written with executemany INSERTs in batches straight
through the models' tables (no ORM objects, no search capture: the index is then built by `kb reindex`).
The demo AR (ar@demo.kb) also holds the AR seat of the first generated group, so the pages the benchmark
signs in to see have a realistic team of about 50 accounts at scale.
"""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone
from typing import Any, Iterable

from sqlalchemy import Engine, func, insert, select

from kb.account_keys import account_pinyin_key, account_search_key, account_sort_key
from models import (
    Account, AccountPlan, Attitude, CustomerGroup, DecisionRole, Influence, Interaction, InteractionKind,
    NextStep, PlanRevision, RelationshipLayer, SeatRole, Stakeholder, StakeholderOwner, Tier, TriangleSeat,
    User, UserRole, Visibility, interaction_attendee, interaction_stakeholder, plan_decision_maker,
)

FULL = {"groups": 40, "accounts": 2000, "users": 200, "stakeholders": 40_000, "visits": 207_000,
        "next_steps": 285_000, "plans": 4000, "revisions_per_plan": 3}
BATCH = 5000
DEMO_AR = "ar@demo.kb"

CITIES = [("华东", "East China"), ("华南", "South China"), ("华北", "North China"), ("西南", "Southwest"),
          ("长江", "Yangtze"), ("东方", "Oriental"), ("南方", "Southern"), ("新华", "Xinhua"),
          ("中信", "CITIC"), ("招商", "Merchants")]
KINDS = [("电网", "Power Grid", "能源"), ("银行", "Bank", "金融"), ("保险", "Insurance", "金融"),
         ("移动", "Mobile", "运营商"), ("汽车", "Motors", "制造"), ("钢铁", "Steel", "制造"),
         ("医药", "Pharma", "医疗"), ("物流", "Logistics", "交通")]
REGIONS = ["华东", "华南", "华北", "西南", "西北", "东北"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉海燕鹏辉"
PINYIN = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou"]
TITLES = ["信息中心主任", "CIO", "采购部经理", "副总经理", "财务总监", "技术专家", "运维处长", "数字化部部长"]
ZH_NOTES = ["客户关注数据中心扩容和云迁移的预算", "与客户讨论了数字化转型的路线图", "客户对竞争对手的报价有疑虑",
            "交流了安全合规方案，客户希望先试点", "高层拜访：客户确认明年预算", "回顾项目交付质量，客户基本满意",
            "客户采购流程调整，需要重新评估决策链", "讨论运维外包和培训需求"]
EN_NOTES = ["Discussed the cloud migration roadmap and budget", "Pilot of the security platform agreed",
            "Customer raised concerns about the competitor's pricing", "Executive meeting on next year's plan",
            "Reviewed delivery quality; the customer asked for training"]
STEPS = ["发送方案建议书", "安排技术交流", "Send the revised quote", "约见采购部经理", "Prepare the pilot plan",
         "跟进预算审批"]
UTC = timezone.utc


def scaled(fraction: float) -> dict[str, int]:
    """The target counts at `fraction` of the issue's organisation (at least one of each)."""
    return {k: v if k == "revisions_per_plan" else max(1, int(v * fraction)) for k, v in FULL.items()}


def _batches(rows: Iterable[dict[str, Any]]) -> Iterable[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert(conn: Any, table: Any, rows: Iterable[dict[str, Any]]) -> None:
    for batch in _batches(rows):
        conn.execute(insert(table), batch)


def _new_ids(conn: Any, column: Any, after: int) -> list[int]:
    return list(conn.scalars(select(column).where(column > after).order_by(column)))


def _max_id(conn: Any, column: Any) -> int:
    return conn.scalar(select(func.coalesce(func.max(column), 0)))


def generate(engine: Engine, *, fraction: float = 1.0, password_hash: str, seed: int = 9) -> dict[str, int]:
    """Add the organisation to a migrated database that holds the demo data; returns the rows added."""
    n, rng = scaled(fraction), random.Random(seed)
    with engine.begin() as conn:
        users = _users(conn, n, password_hash)
        groups = _groups(conn, n, users, rng)
        accounts = _accounts(conn, n, groups, rng)
        people = _stakeholders(conn, n, accounts, users, rng)
        _plans(conn, n, accounts, people, users, rng)
        _visits(conn, n, accounts, people, users, rng)
    return n


def _users(conn: Any, n: dict[str, int], password_hash: str) -> list[int]:
    after = _max_id(conn, User.id)
    _insert(conn, User, (dict(email=f"user{i:04d}@scale.kb", name=SURNAMES[i % 50] + GIVEN[(i // 50) % 30] + str(i),
                              password_hash=password_hash, role=UserRole.MEMBER, locale=None)
                         for i in range(n["users"])))
    return _new_ids(conn, User.id, after)


def _groups(conn: Any, n: dict[str, int], users: list[int], rng: random.Random) -> list[int]:
    after = _max_id(conn, CustomerGroup.id)
    _insert(conn, CustomerGroup, (dict(name=f"规模客户群{g:02d}", name_en=f"Scale group {g:02d}",
                                       description=f"第{g}个客户群 · group {g}") for g in range(n["groups"])))
    groups = _new_ids(conn, CustomerGroup.id, after)
    demo_ar = conn.scalar(select(User.id).where(User.email == DEMO_AR))
    seats = []
    for k, gid in enumerate(groups):
        for j, role in enumerate((SeatRole.AR, SeatRole.SR, SeatRole.FR)):
            holder = demo_ar if (k == 0 and role == SeatRole.AR and demo_ar) else users[(3 * k + j) % len(users)]
            seats.append(dict(customer_group_id=gid, user_id=holder, role=role, started_on=date(2025, 1, 6)))
            seats.append(dict(customer_group_id=gid, user_id=users[(3 * k + j + 7) % len(users)], role=role,
                              started_on=date(2023, 1, 2), ended_on=date(2025, 1, 6)))
    _insert(conn, TriangleSeat, seats)
    return groups


def _accounts(conn: Any, n: dict[str, int], groups: list[int], rng: random.Random) -> list[int]:
    after = _max_id(conn, Account.id)

    def rows() -> Iterable[dict[str, Any]]:
        for i in range(n["accounts"]):
            (city, city_en), (kind, kind_en, industry) = CITIES[i % 10], KINDS[(i // 10) % 8]
            name, name_en = f"{city}{kind}{i:04d}", f"{city_en} {kind_en} {i:04d}"
            aliases = [f"{city}{kind[:1]}{i}"]
            yield dict(name=name, name_en=name_en, aliases=aliases, industry=industry,
                       region=REGIONS[i % len(REGIONS)], tier=list(Tier)[i % 4],
                       description=f"{name}：{industry}行业客户 · {name_en}", customer_group_id=groups[i % len(groups)],
                       search_key=account_search_key(name, name_en, aliases), sort_key=account_sort_key(name),
                       pinyin_key=account_pinyin_key(name, aliases))
    _insert(conn, Account, rows())
    return _new_ids(conn, Account.id, after)


def _stakeholders(conn: Any, n: dict[str, int], accounts: list[int], users: list[int],
                  rng: random.Random) -> dict[int, list[int]]:
    after = _max_id(conn, Stakeholder.id)
    per = n["stakeholders"] // len(accounts) or 1

    def rows() -> Iterable[dict[str, Any]]:
        for a, aid in enumerate(accounts):
            for j in range(per):
                k = a * per + j
                yield dict(account_id=aid, name=SURNAMES[k % 50] + GIVEN[(k // 50) % 30] + GIVEN[(k // 7) % 30],
                           name_en=f"{PINYIN[k % 10]} {k}", title=TITLES[k % len(TITLES)], department="信息部",
                           decision_role=list(DecisionRole)[k % 7], attitude=list(Attitude)[k % 3],
                           influence=list(Influence)[k % 3], layer=list(RelationshipLayer)[k % 3],
                           relationship_level=1 + k % 5, notes=f"关注{rng.choice(ZH_NOTES)}",
                           private_notes="私下：偏好技术交流" if k % 5 == 0 else "")
    _insert(conn, Stakeholder, rows())
    ids = _new_ids(conn, Stakeholder.id, after)
    by_account = {aid: ids[a * per:(a + 1) * per] for a, aid in enumerate(accounts)}
    _insert(conn, StakeholderOwner, (dict(stakeholder_id=s, user_id=users[(k + b) % len(users)], is_primary=b == 0)
                                     for k, s in enumerate(ids) for b in range(1 + k % 2 if len(users) > 1 else 1)))
    return by_account


def _plans(conn: Any, n: dict[str, int], accounts: list[int], people: dict[int, list[int]], users: list[int],
           rng: random.Random) -> None:
    after = _max_id(conn, AccountPlan.id)
    per = max(1, n["plans"] // len(accounts))
    periods = ["FY2027", "FY2026", "FY2025", "FY2024"][:per]
    old = datetime(2025, 3, 1, tzinfo=UTC)

    def rows() -> Iterable[dict[str, Any]]:
        for a, aid in enumerate(accounts):
            for p, period in enumerate(periods):
                by = users[(a + p) % len(users)]
                yield dict(account_id=aid, period=period, version=3,
                           strategy=f"**战略**：{rng.choice(ZH_NOTES)}。Strategy: {rng.choice(EN_NOTES)}.",
                           customers_customer="客户的客户：终端用户与合作伙伴", profit_model="通过规模化运营获取利润",
                           weakest_product="存储产品线份额最低" if a % 2 else "",
                           decision_makers="决策链见关键人列表", sections={"competitors": "主要竞争对手两家"},
                           field_changes={k: {"by": by, "at": (old + timedelta(days=a % 400)).isoformat()}
                                          for k in ("strategy", "customers_customer", "profit_model")})
    _insert(conn, AccountPlan, rows())
    plans = list(conn.execute(select(AccountPlan.id, AccountPlan.account_id).where(AccountPlan.id > after)))
    _insert(conn, PlanRevision, (dict(plan_id=pid, number=r, content={"strategy": f"第{r}版"}, comment=f"修订{r}",
                                      author_id=users[(pid + r) % len(users)])
                                 for pid, _ in plans for r in range(1, n["revisions_per_plan"] + 1)))
    _insert(conn, plan_decision_maker, (dict(plan_id=pid, stakeholder_id=s) for pid, aid in plans
                                        for s in people[aid][:2]))


def _visits(conn: Any, n: dict[str, int], accounts: list[int], people: dict[int, list[int]], users: list[int],
            rng: random.Random) -> None:
    after = _max_id(conn, Interaction.id)
    start = date(2022, 1, 3)

    def rows() -> Iterable[dict[str, Any]]:
        for k in range(n["visits"]):
            aid = accounts[k % len(accounts)]
            zh = k % 3 != 2
            note = rng.choice(ZH_NOTES) if zh else rng.choice(EN_NOTES)
            yield dict(account_id=aid, occurred_on=start + timedelta(days=(k * 7) % 1400),
                       kind=list(InteractionKind)[k % 4], title=("拜访" if zh else "Visit ") + str(k),
                       summary=f"{note}。\n\n- 下一步：{rng.choice(STEPS)}",
                       visibility=Visibility.TEAM if k % 4 == 0 else Visibility.ORG)
    _insert(conn, Interaction, rows())
    visits = list(conn.execute(select(Interaction.id, Interaction.account_id).where(Interaction.id > after)))
    _insert(conn, interaction_stakeholder, (dict(interaction_id=v, stakeholder_id=people[aid][k % len(people[aid])])
                                            for k, (v, aid) in enumerate(visits)))
    _insert(conn, interaction_attendee, (dict(interaction_id=v, user_id=users[k % len(users)])
                                         for k, (v, _) in enumerate(visits)))
    extra = n["next_steps"] - len(visits)  # every visit has one; some have two

    def steps() -> Iterable[dict[str, Any]]:
        for k, (v, _) in enumerate(visits):
            for pos in range(2 if k < extra else 1):
                done = k % 3 != 0
                yield dict(interaction_id=v, position=pos, text=STEPS[(k + pos) % len(STEPS)],
                           owner_id=users[(k + pos) % len(users)], due_on=date(2026, 1, 5) + timedelta(days=k % 500),
                           done=done, done_at=datetime(2026, 2, 1, tzinfo=UTC) if done else None)
    _insert(conn, NextStep, steps())
