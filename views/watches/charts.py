"""The charts of the four-watches page, one per currency: pipeline by stage; target vs won vs weighted
pipeline per account. Shapes the service's numbers for kb.charts_ltc (no rule lives here)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup

from kb.charts_ltc import Series, bar_chart
from kb.labels import label
from kb.services.watches import Kpi

#: Target lines whose amount is comparable with won amounts (when their unit is the currency).
AMOUNT_METRICS = frozenset({"revenue", "orders"})


@dataclass(frozen=True)
class Chart:
    currency: str
    svg: Markup


def _value(value: Any) -> str:
    return str(getattr(value, "value", value) or "").lower()


def target_amount(targets: list[Any] | None, currency: str) -> Decimal | None:
    """The account's revenue (else orders) target in `currency`, if its plan has one."""
    for metric in ("revenue", "orders"):
        for line in targets or []:
            if (_value(line.metric) == metric and _value(line.unit).upper() == currency
                    and line.target is not None):
                return Decimal(str(line.target))
    return None


def currencies(kpi: Kpi) -> list[str]:
    """Every currency in the numbers, CNY first."""
    found = set(kpi.won) | set(kpi.pipeline) | {c for money in kpi.by_stage.values() for c in money}
    return sorted(found, key=lambda c: (c != "CNY", c))


def stage_charts(kpi: Kpi) -> list[Chart]:
    """Open pipeline per stage, one chart per currency."""
    return [Chart(currency, bar_chart(
        title=_("Pipeline by stage"), currency=currency, series=[Series(_("Pipeline"))],
        rows=[(str(label(stage)), [money.get(currency, Decimal("0"))])
              for stage, money in kpi.by_stage.items()]))
        for currency in currencies(kpi)]


def account_charts(kpi: Kpi) -> list[Chart]:
    """Target, won and weighted pipeline per account (accounts with any of them), one chart per currency."""
    charts = []
    for currency in currencies(kpi):
        rows = []
        for account in kpi.accounts:
            values = [target_amount(account.targets, currency), account.won.get(currency),
                      account.weighted.get(currency)]
            if any(v is not None for v in values):
                rows.append((account.name, values))
        if rows:
            charts.append(Chart(currency, bar_chart(
                title=_("Target vs won vs pipeline"), currency=currency,
                series=[Series(_("Target")), Series(_("Won")), Series(_("Weighted pipeline"))], rows=rows)))
    return charts
