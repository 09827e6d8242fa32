"""The domain's closed vocabularies. Stored by value; labels live in kb/labels.py."""
from __future__ import annotations

import enum


class UserRole(str, enum.Enum):
    ADMIN = "admin"
    MEMBER = "member"
    VIEWER = "viewer"


class SeatRole(str, enum.Enum):
    """Iron triangle roles: account, solution and fulfilment responsible."""

    AR = "AR"
    SR = "SR"
    FR = "FR"


class SeatState(str, enum.Enum):
    """Where a triangle seat stands on a given day (see `TriangleSeat.state_on`)."""

    SCHEDULED = "scheduled"  # recorded ahead: starts after that day
    IN_FORCE = "in_force"  # from its start date until (not including) its end date
    ENDED = "ended"


class Coverage(str, enum.Enum):
    DIRECT = "direct"
    CHANNEL = "channel"


class Tier(str, enum.Enum):
    STRATEGIC = "strategic"
    KEY = "key"
    GROWTH = "growth"
    STANDARD = "standard"


class PlanStatus(str, enum.Enum):
    DRAFT = "draft"
    REVIEWED = "reviewed"


class DecisionRole(str, enum.Enum):
    DECISION_MAKER = "decision_maker"
    INFLUENCER = "influencer"
    EVALUATOR = "evaluator"
    PURCHASER = "purchaser"
    USER = "user"
    COACH = "coach"
    BLOCKER = "blocker"
    UNKNOWN = "unknown"  # not yet known: a new stakeholder is never counted as a decision-maker


class Attitude(str, enum.Enum):
    SUPPORT = "support"
    NEUTRAL = "neutral"
    OPPOSE = "oppose"
    UNKNOWN = "unknown"


class Influence(str, enum.Enum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    UNKNOWN = "unknown"


class RelationshipLayer(str, enum.Enum):
    KEY = "key"
    BROAD = "broad"
    ORGANISATIONAL = "organisational"


class InteractionKind(str, enum.Enum):
    VISIT = "visit"
    CALL = "call"
    EVENT = "event"
    EXECUTIVE_MEETING = "executive_meeting"


class Visibility(str, enum.Enum):
    ORG = "org"
    TEAM = "team"


# --- Lead to Cash (LTC): leads, opportunities, key projects, risks ---------------------------------

class LeadSource(str, enum.Enum):
    """Where a lead (线索) came from."""

    MARKETING_EVENT = "marketing_event"
    CUSTOMER_REQUEST = "customer_request"
    PARTNER = "partner"
    OUR_VISIT = "our_visit"
    OTHER = "other"


class LeadStatus(str, enum.Enum):
    NEW = "new"
    CULTIVATING = "cultivating"
    QUALIFIED = "qualified"
    CONVERTED = "converted"  # became an opportunity (needs a confirmed budget)
    DROPPED = "dropped"  # with a reason


class OpportunityStage(str, enum.Enum):
    """The LTC opportunity stages (MO), in order."""

    VALIDATE = "validate"  # 验证机会点
    PRE_BID = "pre_bid"  # 标前引导
    BID = "bid"  # 制定并提交标书
    NEGOTIATION = "negotiation"  # 谈判和生成合同
    CLOSED = "closed"  # 关闭


class OpportunityStatus(str, enum.Enum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"
    ABANDONED = "abandoned"


class Light(str, enum.Enum):
    """A key project's (山头项目) traffic light."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


class RiskStatus(str, enum.Enum):
    """Risks and open issues (风险及遗留问题)."""

    OPEN = "open"
    RESOLVED = "resolved"


class TargetMetric(str, enum.Enum):
    """What a plan target measures (近期业务目标: profit, growth, share, satisfaction, new products)."""

    REVENUE = "revenue"  # 收入: actual computed from won opportunities
    ORDERS = "orders"  # 订货: actual computed from won opportunities
    SHARE_OF_WALLET = "share_of_wallet"  # 钱包份额
    NEW_PRODUCTS = "new_products"  # 新产品
    CUSTOMER_SATISFACTION = "customer_satisfaction"  # 客户满意度
    CUSTOM = "custom"  # named by the plan (`PlanTarget.custom_name`)


class GapKind(str, enum.Enum):
    """业绩差距 (closable by execution) or 机会差距 (needs a new business design)."""

    PERFORMANCE = "performance"
    OPPORTUNITY = "opportunity"
