"""The report on the synthetic demo data: every indicator with a verdict, and the HTML, XLSX and
JSON showing the same numbers."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.catalogue.schema import Catalogue
from pmp_surveys.reports.build import build_report
from pmp_surveys.reports.files import surveys_json
from pmp_surveys.reports.html import render_html
from pmp_surveys.reports.strings import Strings
from pmp_surveys.reports.xlsx import render_xlsx
from tests.reports.readback import html_tables, numbers_in, table_rows, xlsx_pane, xlsx_sheets

VERDICTS = ("achieved", "not_achieved", "not_yet_distinguishable", "no_data", "suppressed", "no_target")
VERDICT_WORDS = {lang: {Strings(lang).verdict(v, 5) for v in VERDICTS} for lang in ("lv", "en")}


def _close(shown: float, exact: float | None, digits: int) -> bool:
    """`shown` is `exact` rounded to `digits` decimals (half a unit of tolerance)."""
    assert exact is not None
    return math.isclose(shown, exact, abs_tol=0.5 * 10**-digits + 1e-9)


@pytest.mark.parametrize(("municipality", "baseline"), [("riga", 2022), ("bauska", None)])
async def test_every_indicator_of_the_plan_has_a_verdict(
    session: AsyncSession, demo_data: Catalogue, municipality: str, baseline: int | None
) -> None:
    plan = demo_data.municipality(municipality)
    report = await build_report(session, plan, 2026, baseline=baseline)
    assert report.demo, "demo campaigns are detected"
    for lang in ("lv", "en"):
        html = render_html(report, lang)
        assert ("SINTĒTISKI DEMO DATI" if lang == "lv" else "SYNTHETIC DEMO DATA") in html
        rows = html_tables(html)["summary"]
        assert [r["code"] for r in rows] == [i.code for i in plan.indicators]
        for row in rows:
            verdict = row["verdict"].split(" ", 1)[1]
            assert verdict in VERDICT_WORDS[lang], row
        sheets = xlsx_sheets(render_xlsx(report, lang))
        summary = sheets[Strings(lang)("table_summary")]
        assert [r[0] for r in table_rows(summary)] == [i.code for i in plan.indicators]
    # the demo is made so that the verdicts differ: a report that says only "no data" is broken
    judged = {r.verdict for r in report.evaluation.indicators if r.target_value is not None}
    assert judged & {"achieved", "not_achieved", "not_yet_distinguishable"}
    assert all(s.responses > 0 for s in report.surveys)


async def test_html_xlsx_and_json_agree(session: AsyncSession, demo_data: Catalogue) -> None:
    report = await build_report(session, demo_data.municipality("riga"), 2026, baseline=2022)
    data: dict[str, Any] = json.loads(report.evaluation.to_json())
    by_code = {r["code"]: r for r in data["indicators"]}
    t = Strings("lv")
    html_rows = {r["code"]: r for r in html_tables(render_html(report, "lv"))["summary"]}
    book = render_xlsx(report, "lv")
    sheets = xlsx_sheets(book)
    summary = sheets[t("table_summary")]
    header = summary[1]
    xlsx_rows = {r[0]: dict(zip(header, r, strict=False)) for r in table_rows(summary)}
    assert xlsx_pane(book, 1) == "A3", "title and header rows are frozen"
    checked = 0
    for code, j in by_code.items():
        h, x = html_rows[code], xlsx_rows[code]
        if j["value"] is None:
            continue
        if j["inference"] == "census":
            # A complete count: the value alone, no interval anywhere.
            assert _close(numbers_in(h["value"])[0], j["value"] * 100, 1) and len(numbers_in(h["value"])) == 1
            assert math.isclose(x["Vērtība 2026"], j["value"], rel_tol=1e-9)
            assert x["Vērtība 2026 — apakšējā robeža"] is None and x["Vērtība 2026 — augšējā robeža"] is None
            assert x["Vērtējums"] == t.verdict(j["verdict"], 5) == h["verdict"].split(" ", 1)[1]
            checked += 1
            continue
        # HTML: value and interval in percent with one decimal
        value, low, high = numbers_in(h["value"])
        assert _close(value, j["value"] * 100, 1) and _close(low, j["ci_low"] * 100, 1)
        assert _close(high, j["ci_high"] * 100, 1)
        # XLSX: the exact fractions
        assert math.isclose(x["Vērtība 2026"], j["value"], rel_tol=1e-9)
        assert math.isclose(x["Vērtība 2026 — apakšējā robeža"], j["ci_low"], rel_tol=1e-9)
        assert math.isclose(x["Vērtība 2026 — augšējā robeža"], j["ci_high"], rel_tol=1e-9)
        assert numbers_in(h["n"]) == [j["n"]] and x["n"] == j["n"]
        if j["baseline_value"] is not None:
            assert _close(numbers_in(h["baseline"])[0], j["baseline_value"] * 100, 1)
            assert math.isclose(x["Bāzes vērtība"], j["baseline_value"], rel_tol=1e-9)
        if j["change"] is not None:
            change, c_low, c_high = numbers_in(h["change"])
            assert _close(change, j["change"] * 100, 1) and _close(c_low, j["change_ci_low"] * 100, 1)
            assert _close(c_high, j["change_ci_high"] * 100, 1)
            assert math.isclose(x["Izmaiņas, p.p."], j["change"] * 100, rel_tol=1e-9)
        if j["target_value"] is not None:
            assert _close(numbers_in(h["target"])[0], j["target_value"] * 100, 1)
            assert math.isclose(x["Mērķis"], j["target_value"], rel_tol=1e-9)
            assert x["Mērķa gads"] == j["target_year"] and numbers_in(h["target"])[1] == j["target_year"]
        assert x["Vērtējums"] == t.verdict(j["verdict"], 5) == h["verdict"].split(" ", 1)[1]
        checked += 1
    assert checked >= 12


async def test_survey_details_of_the_teacher_wave(session: AsyncSession, demo_data: Catalogue) -> None:
    report = await build_report(session, demo_data.municipality("riga"), 2026, baseline=2022)
    teachers = next(s for s in report.surveys if s.instrument == "teacher-self-efficacy")
    assert teachers.rates, "response rates by school"
    assert sum(r.responses for r in teachers.rates) == teachers.responses
    assert {a.scale for a in teachers.reliability} == {
        "tses_total",
        "tses_engagement",
        "tses_instruction",
        "tses_management",
    }
    for alpha in teachers.reliability:
        assert alpha.estimate is not None and alpha.ci_low is not None and alpha.ci_high is not None
        assert alpha.ci_low < alpha.estimate < alpha.ci_high <= 1
    assert len(teachers.distributions) == 14  # 12 TSES items and 2 support items
    for d in teachers.distributions:
        assert d.shares is not None
        if not d.hidden:  # cells withheld by cell suppression have no share (test_item_disclosure.py)
            assert math.isclose(sum(s or 0.0 for s in d.shares) + (d.dont_know or 0), 1.0)
        else:
            assert all((s is None) == (f"p{i + 1}" in d.hidden) for i, s in enumerate(d.shares))
    # a question shown only to some (show-if) counts only those it was shown to
    uses = next(q for q in teachers.nonresponse if q.question == "uses_identification")
    learned = next(q for q in teachers.nonresponse if q.question == "learned_identification")
    assert uses.shown is not None and learned.shown is not None and uses.shown < learned.shown
    html = render_html(report, "en")
    tables = html_tables(html)
    assert len(tables["teacher-self-efficacy.rates"]) == len(teachers.rates)
    assert "Korn EL, Graubard BI (1998)" in html and "Tschannen-Moran M, Woolfolk Hoy A (2001)" in html
    assert "Feldt LS (1965)" in html and "Newcombe RG (1998b)" in html


async def test_survey_tables_agree_across_html_xlsx_and_json(session: AsyncSession, demo_data: Catalogue) -> None:
    report = await build_report(session, demo_data.municipality("riga"), 2026, baseline=2022)
    details = json.loads(surveys_json(report))
    teachers = next(s for s in details if s["instrument"] == "teacher-self-efficacy")
    tables = html_tables(render_html(report, "en"))
    sheets = xlsx_sheets(render_xlsx(report, "en"))
    # alpha with its interval
    html_alpha = tables["teacher-self-efficacy.reliability"]
    xlsx_alpha = table_rows(sheets["Teachers Alpha"])
    assert len(html_alpha) == len(xlsx_alpha) == len(teachers["reliability"]) == 4
    for h, x, j in zip(html_alpha, xlsx_alpha, teachers["reliability"], strict=True):
        assert h["scale"] == x[0] == j["label"]["en"]
        alpha, low, high = numbers_in(h["alpha"])
        assert _close(alpha, j["estimate"], 2) and _close(low, j["ci_low"], 2) and _close(high, j["ci_high"], 2)
        assert x[3:6] == [j["estimate"], j["ci_low"], j["ci_high"]]
        assert numbers_in(h["n"]) == [j["n"]] == [x[2]]
    # response rates by school
    html_rates = tables["teacher-self-efficacy.rates"]
    xlsx_rates = table_rows(sheets["Teachers Response rates"])
    for h, x, j in zip(html_rates, xlsx_rates, teachers["rates"], strict=True):
        assert h["school"] == x[0] == j["name"]
        assert numbers_in(h["responses"]) == [j["responses"]] == [x[2]]
        assert _close(numbers_in(h["rate"])[0], j["rate"] * 100, 1) and math.isclose(x[3], j["rate"])
    # item shares
    html_items = tables["teacher-self-efficacy.distributions"]
    xlsx_items = table_rows(sheets["Teachers Distributions"])
    for h, x, j in zip(html_items, xlsx_items, teachers["distributions"], strict=True):
        for point, share in enumerate(j["shares"], start=1):
            if share is None:  # withheld: no number in either output
                assert numbers_in(h[f"p{point}"]) in ([], [5]) and not isinstance(x[1 + point], float)
                continue
            assert _close(numbers_in(h[f"p{point}"])[0], share * 100, 1)
            assert math.isclose(x[1 + point], share)


@pytest.mark.parametrize("lang", ["lv", "en"])
async def test_scale_table_agrees_across_html_xlsx_and_json(
    session: AsyncSession, demo_data: Catalogue, lang: str
) -> None:
    report = await build_report(session, demo_data.municipality("riga"), 2026, baseline=2024)
    data: dict[str, Any] = json.loads(report.evaluation.to_json())
    assert data["format_version"] == "1.3"
    scales = [s for s in data["scales"] if s["instrument"] == "teacher-self-efficacy"]
    assert [s["rule"] for s in scales] == ["tses_total", "tses_engagement", "tses_instruction", "tses_management"]
    t = Strings(lang)  # type: ignore[arg-type]
    html = render_html(report, lang)  # type: ignore[arg-type]
    assert t("scales_teacher-self-efficacy") in html
    rows = html_tables(html)["teacher-self-efficacy.scales"]
    sheet_name = f"{t('short_teacher-self-efficacy')} {t('sheet_scales_teacher-self-efficacy')}"
    xlsx = table_rows(xlsx_sheets(render_xlsx(report, lang))[sheet_name])  # type: ignore[arg-type]
    assert len(rows) == len(xlsx) == len(scales) == 4
    for h, x, j in zip(rows, xlsx, scales, strict=True):
        assert h["scale"] == x[0] == (j["name_lv"] if lang == "lv" else j["name"])
        assert j["mean"] is not None and j["welch_t"] is not None and j["hedges_g"] is not None
        assert numbers_in(h["n"]) == [j["n"]] == [x[1]]
        for col, (key, low, high), at in (
            ("mean", ("mean", "ci_low", "ci_high"), 2),
            ("baseline", ("baseline_mean", "baseline_ci_low", "baseline_ci_high"), 5),
            ("change", ("change", "change_ci_low", "change_ci_high"), 8),
            ("hedges_g", ("hedges_g", "hedges_g_ci_low", "hedges_g_ci_high"), 14),
            ("alpha", ("alpha", "alpha_ci_low", "alpha_ci_high"), 17),
        ):
            shown = numbers_in(h[col])
            assert len(shown) == 3, (col, h[col])
            for number, name in zip(shown, (key, low, high), strict=True):
                assert _close(number, j[name], 2), (col, name)
            for got, want in zip(x[at : at + 3], (j[key], j[low], j[high]), strict=True):
                assert math.isclose(got, want, rel_tol=1e-12), col
        for at, key in ((11, "change_p_value"), (12, "welch_t"), (13, "welch_p_value")):
            assert math.isclose(x[at], j[key], rel_tol=1e-12), key
        assert _close(numbers_in(h["welch_t"])[0], j["welch_t"], 2)
        for col, key in (("p", "change_p_value"), ("welch_p", "welch_p_value")):
            p = j[key]
            if p >= 0.001:
                assert _close(numbers_in(h[col])[0], p, 3)
            else:
                assert h[col] == "< " + t.number(0.001, 3)
    # alpha in the scale rows is the reliability table's alpha
    teachers = next(s for s in report.surveys if s.instrument == "teacher-self-efficacy")
    by_rule = {s["rule"]: s for s in scales}
    for a in teachers.reliability:
        assert a.estimate == by_rule[a.scale]["alpha"] and a.n == by_rule[a.scale]["alpha_n"]
    # the methods name Welch's t and Hedges' g with the reference
    assert "Hedges LV, Olkin I (1985)" in html and "Welch BL (1947)" in html
