"""The report workbook stores text starting with '=' as text, never as a live formula; the
fieldwork table states the mix of collection modes."""

from __future__ import annotations

import io

import msgspec
import openpyxl

from pmp_surveys.reports.html import render_html
from pmp_surveys.reports.model import CampaignInfo, Label, Report
from pmp_surveys.reports.strings import Strings
from pmp_surveys.reports.tables import mode_mix
from pmp_surveys.reports.xlsx import render_xlsx

from .test_suppression import small_report  # noqa: F401 - fixture


def test_a_title_starting_with_equals_stays_text(small_report: Report) -> None:  # noqa: F811
    evil = Label(lv='=HYPERLINK("http://x","y")', en='=HYPERLINK("http://x","y")')
    report = msgspec.structs.replace(small_report, plan_title=evil)
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report, "lv")))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(c.value == evil.lv for c in cells)


def test_mode_mix_in_the_fieldwork_table(small_report: Report) -> None:  # noqa: F811
    assert mode_mix({"web": 120, "paper": 14, "tablet": 0}, 5, Strings("lv")) == "papīra anketas 14, tīmeklī 120"
    # One mode under the threshold: no counts at all, since total − web would give the 3 away.
    assert mode_mix({"web": 40, "paper": 3}, 5, Strings("en")) == "paper, web"
    # A withheld campaign count: its breakdown would give it back, so modes only.
    assert mode_mix({"web": 40, "paper": 14}, 5, Strings("en"), total_shown=False) == "paper, web"
    assert mode_mix({}, 5, Strings("en")) == "—"
    campaign = CampaignInfo(
        id=1,
        slug="x",
        title="Vecāki 2026",
        status="closed",
        opens_at=None,
        closes_at=None,
        responses=43,
        demo=False,
        modes={"web": 40, "paper": 3},
    )
    section = msgspec.structs.replace(small_report.surveys[0], campaigns=(campaign,))
    report = msgspec.structs.replace(small_report, surveys=(section, *small_report.surveys[1:]))
    html = render_html(report, "lv")
    # a mode under the threshold: the modes are named without counts (total − web would give it)
    assert "Atbilžu veidi" in html and "papīra anketas, tīmeklī" in html
