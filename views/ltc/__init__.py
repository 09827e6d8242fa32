"""Lead to Cash pages: leads (线索), opportunities (机会点) with their project triangle and key-project light,
risks and open issues (风险及遗留问题); and the account page's LTC panel (`ltc_panel` template global)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("ltc", __name__)

from . import leads, opportunities, panel, risks  # noqa: E402,F401
from . import contracts  # noqa: E402,F401  (contracts and milestones, MCE)
