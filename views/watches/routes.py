"""Pages: the four watches (`/watches`, `/groups/<id>/watches`) and the meeting pack
(`/meeting-pack`, `/groups/<id>/meeting-pack`). Read-only: load → read through the services → render."""
from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_login import current_user

from kb import clock
from kb.db import session
from kb.form_errors import on_service_error
from kb.services.meeting_pack import Meeting, default_since, meeting_pack
from kb.services.watch_period import default_period, parse_period
from kb.services.watches import four_watches
from models import CustomerGroup

from . import bp
from .charts import account_charts, stage_charts
from .forms import MeetingPackForm, PeriodForm


def _group(group_id: int | None) -> CustomerGroup | None:
    if group_id is None:
        return None
    return session.get(CustomerGroup, group_id) or abort(404)


def _limit() -> int:
    return current_app.config["ACCOUNT_PAGE_LIMIT"] * 4


def _watches_page(group: CustomerGroup | None):
    today = clock.today()
    form = PeriodForm(request.args)
    form.validate()
    on_service_error(form, lambda: (render_template("watches/index.html", form=form, group=group, w=None),
                                    422))
    if form.errors:
        return render_template("watches/index.html", form=form, group=group, w=None), 422
    period = parse_period(form.period.data, today=today)
    form.period.data = period.label
    w = four_watches(viewer=current_user, period=period, group=group, today=today, limit=_limit())
    return render_template("watches/index.html", form=form, group=group, w=w,
                           stage_charts=stage_charts(w.kpi), account_charts=account_charts(w.kpi),
                           default_period=default_period(today))


@bp.route("/watches")
def index():
    """The four watches across every customer group, for the period in `?period=`."""
    return _watches_page(None)


@bp.route("/groups/<int:group_id>/watches")
def group(group_id: int):
    """The four watches of one customer group."""
    return _watches_page(_group(group_id))


def _pack_page(group: CustomerGroup | None):
    today = clock.today()
    form = MeetingPackForm(request.args)
    form.validate()
    on_service_error(form, lambda: (render_template("watches/meeting_pack.html", form=form, group=group,
                                                    pack=None), 422))
    if form.errors:
        return render_template("watches/meeting_pack.html", form=form, group=group, pack=None), 422
    since = form.since.data or default_since(today)
    form.since.data = since
    pack = meeting_pack(viewer=current_user, since=since, meeting=Meeting(form.meeting.data), group=group,
                        today=today, limit=_limit())
    return render_template("watches/meeting_pack.html", form=form, group=group, pack=pack)


@bp.route("/meeting-pack")
def meeting_pack_all():
    """The printable meeting pack across every customer group (`?since=YYYY-MM-DD&meeting=`)."""
    return _pack_page(None)


@bp.route("/groups/<int:group_id>/meeting-pack")
def group_meeting_pack(group_id: int):
    """The printable meeting pack of one customer group."""
    return _pack_page(_group(group_id))
