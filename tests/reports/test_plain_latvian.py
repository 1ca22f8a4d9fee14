"""The council's summary comes first and the Latvian report is entirely Latvian (issue #11)."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.catalogue.schema import Catalogue
from pmp_surveys.reports.build import build_report
from pmp_surveys.reports.html import render_html
from pmp_surveys.reports.strings import Strings
from pmp_surveys.reports.xlsx import render_xlsx
from tests.reports.latvian_scan import english_words, variable_ids, visible_text
from tests.reports.readback import xlsx_sheets


@pytest.mark.parametrize("municipality", ["riga", "bauska"])
async def test_latvian_report_is_latvian_and_starts_with_the_plain_summary(
    session: AsyncSession, demo_data: Catalogue, municipality: str
) -> None:
    report = await build_report(session, demo_data.municipality(municipality), 2026)
    html = render_html(report, "lv")
    main = html.split("<main>", 1)[1]
    assert main.index('id="plain"') < main.index('id="summary"'), "the plain summary comes first"
    plain = main.split('id="plain"', 1)[1].split("</section>", 1)[0]
    assert plain.count("<li data-indicator=") == len(report.evaluation.indicators)
    assert "p vērtība" not in plain and "tests" not in plain
    text = visible_text(html)
    assert english_words(text) == []
    assert variable_ids(text) == []
    assert "«" not in text and "»" not in text


async def test_latvian_xlsx_is_latvian_and_english_report_is_as_complete(
    session: AsyncSession, demo_data: Catalogue
) -> None:
    report = await build_report(session, demo_data.municipality("bauska"), 2026)
    t = Strings("lv")
    sheets = xlsx_sheets(render_xlsx(report, "lv"))
    assert "Kopsavilkums" in sheets
    words: list[str] = []
    for name, rows in sheets.items():
        for row in rows:
            cells = [c for c in row if isinstance(c, str)]
            if name == t("table_about") and any(c == t("references") for c in cells):
                break  # the bibliography keeps its English titles
            words.extend(cells)
    text = " ".join(words)
    assert english_words(text) == []
    assert variable_ids(text) == []
    # The English report has the same parts, the plain summary first.
    en = render_html(report, "en")
    lv = render_html(report, "lv")
    for part in ('id="plain"', 'id="summary"', 'id="methods"', "data-indicator="):
        assert en.count(part) == lv.count(part) > 0


async def test_subgroups_with_intervals_suppression_and_rao_scott(session: AsyncSession, demo_data: Catalogue) -> None:
    report = await build_report(session, demo_data.municipality("bauska"), 2026)
    by = {(s.indicator, s.grouping): s for s in report.subgroups}
    assert {g for _, g in by} >= {"programme", "district", "role", "experience"}
    role = by[("BT2", "role")]
    assert role.design == "clustered" and role.groups_tested >= 2
    assert role.test_p_value is not None and 0.0 <= role.test_p_value <= 1.0
    for row in role.rows:
        if row.suppressed:
            assert (row.n, row.value, row.ci_low) == (None, None, None)
        else:
            assert row.n is not None and row.n >= report.threshold
            assert row.ci_low is not None and row.ci_high is not None and row.value is not None
            assert row.ci_low <= row.value <= row.ci_high
    shown = sum(not r.suppressed for r in role.rows)
    assert role.groups_tested == shown
    html = render_html(report, "lv")
    assert 'data-table="teacher-self-efficacy.subgroups"' in html
    assert 'data-table="parent-satisfaction.subgroups"' in html
