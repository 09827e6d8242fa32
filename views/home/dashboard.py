"""The team dashboard on the home page (leads and admins) and on each customer-group page (issue 8 §3)."""
from __future__ import annotations

from typing import Any

from flask import current_app
from markupsafe import Markup

from kb.services import dashboard as service
from kb.svg import visits_chart
from views.risk import settings as risk_settings
from models import Account


def dashboard_context(accounts: list[Account], reader: Any, *, more_accounts: int = 0,
                      scope: str = "home", risk_count_accounts: list[int] | None = None) -> dict[str, Any]:
    """Template context of the _dashboard.html partial: the dashboard, its chart, its anchor prefix.
    `risk_count_accounts`: accounts whose relationships at risk the page also counts (dash.risk_counts)."""
    dash = service.build(accounts=accounts, reader=reader, more_accounts=more_accounts,
                         risk_count_accounts=risk_count_accounts,
                         stale_after_days=current_app.config["STALE_AFTER_DAYS"],
                         not_visited_days=current_app.config["NOT_VISITED_DAYS"], risk_days=risk_settings())
    chart: Markup = visits_chart.render(rows=[(a.name, dash.visits[a.id]) for a in dash.accounts],
                                        months=dash.months, id_prefix=f"{scope}-vc")
    return dict(dash=dash, chart_svg=chart, dash_scope=scope)
