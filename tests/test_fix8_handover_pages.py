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


def _options(html: str, select_name: str) -> set[str]:
    match = re.search(rf'<select[^>]*name="{re.escape(select_name)}"[^>]*>(.*?)</select>', html, re.S)
    assert match, select_name
    return set(re.findall(r'<option[^>]* value="([^"]*)"', match.group(1)))


def test_leaver_is_not_offered_as_their_own_successor(client, login_as, w):  # noqa: F811
    login_as(w["admin"])
    leaver, heir = str(w["leaver"].id), str(w["heir"].id)
    for page in (client.get(f"/handovers/new?from_user_id={leaver}"),
                 client.post("/handovers/new", data=_form(w, "preview"))):
        html = page.get_data(as_text=True)
        selects = ["to_user_id", f"group-{w['north'].id}", f"group-{w['south'].id}", f"account-{w['a2'].id}"]
        for name in selects:
            options = _options(html, name)
            assert heir in options and leaver not in options, name
        assert leaver in _options(html, "from_user_id")  # still chosen as the one who leaves
