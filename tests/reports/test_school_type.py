"""Teacher indicators by school type, from the catalogue's schools register (issue #11).

Bauska's register (analysis/municipalities/bauska.toml) gives every school a type; the teachers'
answers carry their school; the report groups each teacher indicator by that type, with the same
suppression as every subgroup. The group sizes are checked against a count made independently in
SQL (responses joined to schools) and the catalogue's types."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.catalogue.schema import Catalogue
from pmp_surveys.indicators.subgroups import SCHOOL_KINDS, SCHOOL_TYPE
from pmp_surveys.reports.build import build_report
from pmp_surveys.reports.html import render_html
from tests.reports.readback import html_tables

_LV = {kind: lv for kind, lv, _ in SCHOOL_KINDS}


async def test_teacher_indicators_by_school_type(session: AsyncSession, demo_data: Catalogue) -> None:
    bauska = demo_data.municipality("bauska")
    report = await build_report(session, bauska, 2026)
    teacher_codes = [i.code for i in bauska.indicators if i.survey and i.survey.instrument == "teacher-self-efficacy"]
    tables = {s.indicator: s for s in report.subgroups if s.grouping == SCHOOL_TYPE}
    assert set(tables) == set(teacher_codes)
    # independently: the released teacher responses of 2026 per school code, typed by the catalogue
    rows = await session.execute(
        text(
            """
            SELECT s.code FROM responses r
              JOIN campaigns c ON c.id = r.campaign_id
              JOIN instrument_versions v ON v.id = r.instrument_version_id
              JOIN schools s ON s.id = r.school_id
             WHERE c.municipality = 'bauska' AND v.key = 'teacher-self-efficacy' AND c.wave = 2026
            """
        )
    )
    kinds = {s.code: s.kind for s in bauska.schools}
    by_kind = Counter(kinds[code] for (code,) in rows if kinds.get(code))  # untyped schools: no group
    assert len(by_kind) >= 2, "the demo has teachers in more than one type of school"
    threshold = report.threshold
    for code, table in tables.items():
        indicator_n = next(r.n for r in report.evaluation.indicators if r.code == code)
        assert indicator_n is not None
        shown = {r.label_lv: r for r in table.rows}
        assert set(shown) <= set(_LV.values())
        for kind, count in by_kind.items():
            row = shown.get(_LV[kind])
            if row is None:
                continue  # nobody of that type answered this indicator's question
            if row.suppressed:
                assert row.n is None and row.value is None and row.ci_low is None
                continue
            assert row.n is not None and row.n >= threshold
            assert row.n <= count  # answered the indicator's question, of the teachers of that type
            assert row.ci_low is not None and row.ci_high is not None and row.value is not None
            assert row.ci_low <= row.value <= row.ci_high
        assert sum(r.n or 0 for r in table.rows) <= indicator_n
    assert any(not r.suppressed for t in tables.values() for r in t.rows), "some school type is shown"
    assert any(t.test_p_value is not None for t in tables.values()), "and tested (Rao–Scott)"
    html_rows = html_tables(render_html(report, "lv"))["teacher-self-efficacy.subgroups"]
    assert any(r["grouping"] == "Skolas veids" for r in html_rows)
