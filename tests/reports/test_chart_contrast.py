"""Chart labels meet 4.5:1 contrast (WCAG 2.1 AA 1.4.3, EN 301 549 9.1.4.3) — issue #11."""

from __future__ import annotations

import re

import pytest

from pmp_surveys.reports.charts import _ink, _palette, contrast, likert_charts, summary_chart
from pmp_surveys.reports.model import Report
from pmp_surveys.reports.strings import Strings
from tests.reports.test_suppression import small_report

__all__ = ["small_report"]  # the fixture, shared


def test_contrast_formula_against_wcag_examples() -> None:
    # WCAG 2.x definitions: black on white is 21:1; #777 on white is 4.48:1 (WebAIM contrast checker).
    assert contrast("#000", "#fff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    # The case: white on #5a96c5 is 3.18:1.
    assert contrast("#fff", "#5a96c5") == pytest.approx(3.18, abs=0.01)


@pytest.mark.parametrize("points", range(2, 12))
def test_labels_on_every_segment_colour_meet_aa(points: int) -> None:
    for colour in [*_palette(points), "#8c8c8c"]:
        assert contrast(_ink(colour), colour) >= 4.5, colour


_TEXT_FILL = re.compile(r"<text[^>]*fill='(#[0-9a-fA-F]{3,6})'")


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_chart_text_on_the_page_background_meets_aa(small_report: Report, lang: str) -> None:
    t = Strings(lang)  # type: ignore[arg-type]
    svgs = [summary_chart(small_report, t)]
    for section in small_report.surveys:
        svgs.extend(likert_charts(section, t, small_report.threshold))
    fills = {fill for svg in svgs for fill in _TEXT_FILL.findall(svg)} - {"#fff", "#000"}
    assert fills
    for fill in fills:  # text drawn on the page or its light row band
        assert contrast(fill, "#f5f6f8") >= 4.5, fill
