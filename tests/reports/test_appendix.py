"""p-values, Holm/BH and method names are in the appendix and the XLSX, not in the summary table
at the top of the report (issue #11)."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.catalogue.schema import Catalogue
from pmp_surveys.reports.build import build_report
from pmp_surveys.reports.html import render_html
from pmp_surveys.reports.strings import ReportLang, Strings
from pmp_surveys.reports.xlsx import render_xlsx
from tests.reports.readback import html_tables, numbers_in, table_rows, text_of, xlsx_sheets

P_FIELDS = {
    "change_p": "change_p_value",
    "change_holm": "change_p_holm",
    "change_bh": "change_p_bh",
    "verdict_p": "verdict_p_value",
    "verdict_holm": "verdict_p_holm",
    "verdict_bh": "verdict_p_bh",
}


@pytest.mark.parametrize("lang", ["lv", "en"])
async def test_tests_are_in_the_appendix_and_the_workbook_not_the_summary(
    session: AsyncSession, demo_data: Catalogue, lang: ReportLang
) -> None:
    report = await build_report(session, demo_data.municipality("riga"), 2026, baseline=2022)
    data: dict[str, Any] = json.loads(report.evaluation.to_json())
    by_code = {r["code"]: r for r in data["indicators"]}
    assert any(r["change_p_holm"] is not None for r in by_code.values()), "the demo has tests to show"
    t = Strings(lang)
    html = render_html(report, lang)
    tables = html_tables(html)
    # the summary table at the top: no p-value column, no adjustment, no test names
    summary_html = html.split('id="summary"', 1)[1].split("</section>", 1)[0]
    summary_text = text_of(summary_html)
    assert all("p" not in row and "p_holm" not in row for row in tables["summary"])
    for word in ("Holm", "Hochberg", "Hohberg", t("col_p")):
        assert word not in summary_text, word
    methods = {t.method(r.change_method) for r in report.evaluation.indicators if r.change_method}
    methods |= {t.method(r.verdict_test) for r in report.evaluation.indicators if r.verdict_test}
    for name in methods:
        assert name not in summary_text, name
    # the appendix (inside the methods section) has every p-value with its Holm and BH adjustment
    appendix = html.split('id="methods"', 1)[1]
    assert 'data-table="tests"' in appendix
    rows = {r["code"]: r for r in tables["tests"]}
    checked = 0
    for code, j in by_code.items():
        for col, field in P_FIELDS.items():
            value = j[field]
            shown = rows[code][col]
            if value is None:
                continue
            if value >= 0.001:
                assert math.isclose(numbers_in(shown)[0], value, abs_tol=0.0005 + 1e-9), (code, col, shown)
            else:
                assert numbers_in(shown) == [0.001], (code, col, shown)
            checked += 1
    assert checked >= 10
    # the workbook: the exact numbers on the tests sheet
    sheet = xlsx_sheets(render_xlsx(report, lang))[t("table_tests")]
    header = sheet[1]
    assert header.count(t("col_holm")) == 2 and header.count(t("col_bh")) == 2
    positions = {col: i for i, col in enumerate(P_FIELDS)}
    for row in table_rows(sheet):
        j = by_code[row[0]]
        numbers = [row[2], row[3], row[4], row[6], row[7], row[8]]
        for col, field in P_FIELDS.items():
            expected, got = j[field], numbers[positions[col]]
            assert (expected is None and got is None) or math.isclose(got, expected, rel_tol=1e-9), (row[0], col)
