"""The report's instrument-quality table: item–rest r and alpha if deleted for every scale item.

The figures come from ``analysis.scale_reliability`` (tested against psych::alpha in
tests/analysis/test_reliability.py); here they are checked against an independent path — the
existing ``cronbach_alpha`` (complete cases) on the scale without the item — and across HTML and
XLSX.
"""

from __future__ import annotations

import math

import polars as pl
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.analysis.scales import cronbach_alpha
from pmp_surveys.catalogue.schema import Catalogue
from pmp_surveys.indicators.scales import scale_rules
from pmp_surveys.indicators.service import load_inputs
from pmp_surveys.instruments.coding import DONT_KNOW_CODE
from pmp_surveys.instruments.definition import LikertQuestion
from pmp_surveys.reports.build import build_report
from pmp_surveys.reports.html import render_html
from pmp_surveys.reports.xlsx import render_xlsx
from tests.reports.readback import html_tables, numbers_in, table_rows, xlsx_sheets


async def test_item_quality_table_agrees_with_alpha_without_the_item(
    session: AsyncSession, demo_data: Catalogue
) -> None:
    riga = demo_data.municipality("riga")
    report = await build_report(session, riga, 2026, baseline=2022)
    teachers = next(s for s in report.surveys if s.instrument == "teacher-self-efficacy")
    assert {q.scale for q in teachers.item_quality} == {a.scale for a in teachers.reliability}
    inputs = await load_inputs(session, riga, 2026, 2022)
    data = inputs.responses[("teacher-self-efficacy", 2026)]
    frame = data.aligned()
    checked = 0
    for instrument, rule in scale_rules(data):
        questions = [instrument.question(i) for i in rule.items]
        reverse = [q.id for q in questions if isinstance(q, LikertQuestion) and q.reverse]
        points = max(q.points for q in questions if isinstance(q, LikertQuestion))
        items = frame.select(
            [
                pl.when(pl.col(i) == DONT_KNOW_CODE).then(None).otherwise(pl.col(i)).cast(pl.Float64).alias(i)
                for i in rule.items
            ]
        ).drop_nulls()  # complete cases of the whole scale, as the table
        rows = [q for q in teachers.item_quality if q.scale == rule.id]
        assert [q.item for q in rows] == list(rule.items)
        for row in rows:
            rest = [i for i in rule.items if i != row.item]
            without = cronbach_alpha(items, rest, reverse=[i for i in reverse if i != row.item], points=points)
            assert row.alpha_if_deleted is not None and without.estimate is not None
            assert math.isclose(row.alpha_if_deleted, without.estimate, rel_tol=1e-9)
            assert row.item_rest_r is not None and -1.0 <= row.item_rest_r <= 1.0
            assert row.reversed == (row.item in reverse)
            checked += 1
    assert checked >= 12
    html = html_tables(render_html(report, "en"))["teacher-self-efficacy.item_quality"]
    sheet = table_rows(xlsx_sheets(render_xlsx(report, "en"))["Teachers Item quality"])
    assert len(html) == len(sheet) == len(teachers.item_quality)
    for h, x, q in zip(html, sheet, teachers.item_quality, strict=True):
        assert x[2] == q.item_rest_r and x[3] == q.alpha_if_deleted
        assert q.alpha_if_deleted is not None
        assert math.isclose(numbers_in(h["alpha_if_deleted"])[0], q.alpha_if_deleted, abs_tol=0.0051)
