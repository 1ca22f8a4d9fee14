"""The report's trend: every wave evaluated so far against the plan's target path (issue #11).

Each trend point must be what the evaluation of that wave publishes: the same value and interval
as ``evaluate_municipality`` for that year, and no figure for a group under the threshold."""

from __future__ import annotations

import datetime as dt
import math

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.catalogue.schema import Catalogue
from pmp_surveys.indicators import evaluate_municipality
from pmp_surveys.indicators.evaluate import EvaluationInputs, evaluate
from pmp_surveys.instruments.definition import Instrument
from pmp_surveys.reports.build import assemble_report, build_report
from pmp_surveys.reports.html import render_html
from pmp_surveys.reports.strings import Strings
from pmp_surveys.reports.trend import trend_series
from pmp_surveys.reports.trend_chart import trend_chart
from pmp_surveys.reports.xlsx import render_xlsx
from tests.reports.conftest import wave
from tests.reports.readback import html_tables, numbers_in, table_rows, xlsx_sheets


async def test_trend_shows_every_wave_as_its_own_evaluation_publishes_it(
    session: AsyncSession, demo_data: Catalogue
) -> None:
    bauska = demo_data.municipality("bauska")
    report = await build_report(session, bauska, 2026)
    earlier = await evaluate_municipality(session, bauska, 2024, baseline="published")
    assert [s.code for s in report.trend] == [i.code for i in bauska.indicators]
    by_code = {s.code: s for s in report.trend}
    then = {r.code: r for r in earlier.indicators}
    now = {r.code: r for r in report.evaluation.indicators}
    teachers = [i.code for i in bauska.indicators if i.survey and i.survey.instrument == "teacher-self-efficacy"]
    assert teachers
    for code in teachers:
        points = {p.year: p for p in by_code[code].points}
        assert {2024, 2026} <= set(points), code  # the baseline wave and this one
        for year, row in ((2024, then[code]), (2026, now[code])):
            point = points[year]
            assert point.suppressed == row.suppressed
            shown = (point.value, point.ci_low, point.ci_high)
            published = (row.value, row.ci_low, row.ci_high)
            assert all(
                (a is None and b is None) or (a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9))
                for a, b in zip(shown, published, strict=True)
            ), (code, year, shown, published)  # the same sums in another order: equal to rounding
    # the target path: the plan's targets (and printed baseline where it has one), in year order
    for ind in bauska.indicators:
        path = by_code[ind.code].path
        assert [(p.year, p.value) for p in path if p.kind != "baseline"] == sorted(
            (t.year, t.value) for t in ind.targets
        )
        assert [p.year for p in path] == sorted(p.year for p in path)
    for lang in ("lv", "en"):
        html = render_html(report, lang)
        assert "id='trend-title'" in html
        assert "data-year='2024'" in html and "data-year='2026'" in html
        rows = {r["code"]: r for r in html_tables(html)["trend"]}
        assert set(rows) == {i.code for i in bauska.indicators}
        t = Strings(lang)
        for code in teachers:
            row = rows[code]
            value = then[code].value
            assert value is not None
            assert row["y2024"].startswith(" ".join(t.percent(value).split())), row
        sheets = xlsx_sheets(render_xlsx(report, lang))
        sheet = table_rows(sheets[Strings(lang)("table_trend")])
        assert [r[0] for r in sheet] == [i.code for i in bauska.indicators]


def test_trend_point_of_a_small_wave_has_no_figure(catalogue: Catalogue, instruments: dict[str, Instrument]) -> None:
    """Rīga: 3 parents in 2024 (under k = 5, suppressed), 40 in 2026 (shown)."""
    riga = catalogue.municipality("riga")
    parent = instruments["parent-satisfaction"]
    inputs = EvaluationInputs(
        responses={
            ("parent-satisfaction", 2024): wave(parent, 2024, [{"programme": 1, "overall_satisfaction": 5}] * 3),
            ("parent-satisfaction", 2026): wave(
                parent, 2026, [{"programme": 1, "overall_satisfaction": 1 + i % 5} for i in range(40)]
            ),
        }
    )
    generated = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    evaluations = [evaluate(riga, y, inputs, baseline="published", generated_at=generated) for y in (2024, 2026)]
    report = assemble_report(riga, evaluations[1], inputs)
    report = msgspec.structs.replace(report, trend=trend_series(riga, evaluations))
    parent_codes = [i.code for i in riga.indicators if i.survey and i.survey.instrument == "parent-satisfaction"]
    assert parent_codes
    for series in report.trend:
        if series.code not in parent_codes:
            continue
        points = {p.year: p for p in series.points}
        assert points[2024].suppressed and points[2024].value is None and points[2024].n is None
        assert not points[2026].suppressed and points[2026].value is not None
    t = Strings("en")
    svg = trend_chart(report, t)
    assert "data-year='2024'" not in svg and "data-year='2026'" in svg
    assert t.suppressed(5) in svg
    rows = {r["code"]: r for r in html_tables(render_html(report, "en"))["trend"]}
    for code in parent_codes:
        assert numbers_in(rows[code]["y2024"]) == [5.0], rows[code]
