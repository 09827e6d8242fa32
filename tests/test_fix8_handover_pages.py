"""Handover pages (fix 8): specific Chinese column headings; the leaver is never offered as a successor;
conflicting or pointless assignments are refused with a clear message."""
from __future__ import annotations

import re

from sqlalchemy import select

from models import Handover
from tests.test_handover_pages import _form, w  # noqa: F401  (the shared world fixture)

ZH = {"Accept-Language": "zh-CN"}


def _headings(html: str) -> list[str]:
    return re.findall(r"<th[^>]*>([^<]*)</th>", html)


def test_chinese_headings_name_who_handed_over_to_whom(app, client, login_as, w):  # noqa: F811
    login_as(w["admin"])
    preview = client.post("/handovers/new", data=_form(w, "preview"), headers=ZH).get_data(as_text=True)
    assert {"交出人", "接任人"} <= set(_headings(preview))
    assert not {"开始日期", "结束日期", "保存人"} & set(_headings(preview))
    assert client.post("/handovers/new", data=_form(w, "apply")).status_code == 302
    with app.app_context():
        from kb.db import session
        handover_id = session.scalar(select(Handover.id))
    listing = _headings(client.get("/handovers", headers=ZH).get_data(as_text=True))
    assert {"交出人", "接任人", "发起人"} <= set(listing) and not {"开始日期", "结束日期", "保存人"} & set(listing)
    record = _headings(client.get(f"/handovers/{handover_id}", headers=ZH).get_data(as_text=True))
    assert {"交出人", "接任人"} <= set(record) and not {"开始日期", "结束日期"} & set(record)
