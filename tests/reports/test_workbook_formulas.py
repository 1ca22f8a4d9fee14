"""The report workbook stores text starting with '=' as text, never as a live formula."""

from __future__ import annotations

import io

import msgspec
import openpyxl

from pmp_surveys.reports.model import Label, Report
from pmp_surveys.reports.xlsx import render_xlsx

from .test_suppression import small_report  # noqa: F401 - fixture


def test_a_title_starting_with_equals_stays_text(small_report: Report) -> None:  # noqa: F811
    evil = Label(lv='=HYPERLINK("http://x","y")', en='=HYPERLINK("http://x","y")')
    report = msgspec.structs.replace(small_report, plan_title=evil)
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report, "lv")))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(c.value == evil.lv for c in cells)
