"""Downloadable import templates: an `.xlsx` per kind with the headers in the UI language, a sample row,
drop-down lists for the enumerations (data validation) and a sheet of notes."""
from __future__ import annotations

import io
from datetime import date

from flask_babel import gettext as _

from .columns import KINDS, SHEET_TITLES, enum_labels

SAMPLES = {
    # samples that dry-run cleanly on the demo data (its 运营商客户群 and 华东移动通信有限公司 with 周建国)
    "accounts": {"external_key": "A-001", "name": "华东移动通信有限公司", "name_en": "East China Mobile",
                 "aliases": "华东移动; ECM", "group": "运营商客户群", "industry": "电信", "region": "华东"},
    "stakeholders": {"external_key": "S-001", "account": "华东移动通信有限公司", "name": "张伟",
                     "name_en": "Zhang Wei", "title": "首席信息官", "department": "信息技术部",
                     "relationship_level": 3},
    "interactions": {"external_key": "V-001", "account": "华东移动通信有限公司", "occurred_on": date(2026, 11, 20),
                     "title": "数据中心规划交流", "summary": "客户希望明年一季度启动二期建设。", "stakeholders": "周建国"},
}
LAST_ROW = 5000


def template_workbook(kind: str, locale: str) -> bytes:
    """The template of `kind` (accounts | stakeholders | interactions) as .xlsx bytes."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    english = locale.startswith("en")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLES[kind][1 if english else 0]
    lists = workbook.create_sheet("lists")
    sample = SAMPLES.get(kind, {})
    for index, column in enumerate(KINDS[kind], start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.header("en" if english else "zh"))
        if column.required:
            cell.comment = Comment(_("Required."), "Account KB")
        sheet.column_dimensions[letter].width = 18
        value = sample.get(column.key)
        if column.enum is not None:
            labels = [pair[1 if english else 0] for pair in enum_labels(column.enum).values()]
            for row, text in enumerate(labels, start=1):
                lists.cell(row=row, column=index, value=text)
            rule = DataValidation(type="list", formula1=f"=lists!${letter}$1:${letter}${len(labels)}",
                                  allow_blank=True)
            rule.add(f"{letter}2:{letter}{LAST_ROW}")
            sheet.add_data_validation(rule)
            value = labels[0]
        if column.type == "date":
            sheet.cell(row=2, column=index).number_format = "yyyy-mm-dd"
        sheet.cell(row=2, column=index, value=value)
    lists.sheet_state = "hidden"
    notes = workbook.create_sheet(_("Notes"))
    for row, text in enumerate((
        _("Headers may be in Chinese or English; enumerations too (e.g. 决策者 or decision_maker)."),
        _("Dates: an Excel date, or 2026-11-29, 2026/11/29 or 2026年11月29日."),
        _("Lists (aliases, stakeholders met, e-mails): separate items with ; or a line break."),
        _("The external key identifies a row: re-importing the file updates the same records."),
    ), start=1):
        notes.cell(row=row, column=1, value=text)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
