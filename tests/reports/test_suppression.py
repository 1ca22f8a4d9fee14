"""Small groups: a figure of fewer than 5 respondents never appears as a number — in the HTML,
the XLSX, the charts or the JSON. Pure: hand-made waves, no database."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from pmp_surveys.catalogue.schema import Catalogue
from pmp_surveys.indicators.evaluate import EvaluationInputs, evaluate
from pmp_surveys.instruments.definition import Instrument
from pmp_surveys.reports.build import assemble_report
from pmp_surveys.reports.charts import summary_chart
from pmp_surveys.reports.html import render_html
from pmp_surveys.reports.model import Report
from pmp_surveys.reports.strings import Strings
from pmp_surveys.reports.xlsx import render_xlsx
from tests.reports.conftest import wave
from tests.reports.readback import html_tables, numbers_in, table_rows, text_of, xlsx_sheets

TSES = [f"tses_{i:02d}" for i in range(1, 13)]


@pytest.fixture
def small_report(catalogue: Catalogue, instruments: dict[str, Instrument]) -> Report:
    """Rīga 2026: 3 parents (suppressed); 30 teachers, of whom only 3 answered the TSES items and
    3 learned the identification practice (so its follow-up question was shown to 3)."""
    parents = wave(instruments["parent-satisfaction"], 2026, [{"programme": 1, "overall_satisfaction": 5}] * 3)
    teachers = []
    for i in range(30):
        answers: dict[str, int | None] = {
            "support_leadership": 1 + i % 5,
            "support_colleagues": 1 + (i * 2) % 5,
            "learned_identification": 1 if i < 3 else 0,
            "uses_identification": 1 if i < 3 else None,
            "attended_supervision": i % 2,
        }
        if i < 3:
            answers.update({item: 6 + (i + k) % 3 for k, item in enumerate(TSES)})
        teachers.append(answers)
    inputs = EvaluationInputs(
        responses={
            ("parent-satisfaction", 2026): parents,
            ("teacher-self-efficacy", 2026): wave(instruments["teacher-self-efficacy"], 2026, teachers),
        }
    )
    riga = catalogue.municipality("riga")
    generated = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    evaluation = evaluate(riga, 2026, inputs, baseline=2022, generated_at=generated)
    return assemble_report(riga, evaluation, inputs)


def only_threshold(text: str) -> bool:
    """The cell says "fewer than 5 …" and shows no other number."""
    return numbers_in(text) == [5.0]


def test_engine_withholds_the_small_groups(small_report: Report) -> None:
    data = json.loads(small_report.evaluation.to_json())
    rows = {r["code"]: r for r in data["indicators"]}
    for code in ("R1", "RT4"):
        assert rows[code]["suppressed"] is True
        for field in ("value", "ci_low", "ci_high", "n", "change", "change_p_value"):
            assert rows[code][field] is None, (code, field)
    assert rows["RT1"]["suppressed"] is False and rows["RT1"]["n"] == 30


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_html_says_suppressed_and_shows_no_number(small_report: Report, lang: str) -> None:
    t = Strings(lang)  # type: ignore[arg-type]
    words = t.suppressed(5)
    html = render_html(small_report, lang)  # type: ignore[arg-type]
    tables = html_tables(html)
    summary = {r["code"]: r for r in tables["summary"]}
    for code in ("R1", "RT4"):
        row = summary[code]
        for col in ("value", "change", "n", "verdict"):
            assert words in row[col] and only_threshold(row[col]), (code, col, row[col])
        tests = {r["code"]: r for r in tables["tests"]}[code]
        for col in ("change_p", "change_holm", "change_bh", "verdict_p", "verdict_holm", "verdict_bh"):
            assert words in tests[col] and only_threshold(tests[col]), (code, col, tests[col])
    # the parents' survey: no figure of its answers at all
    parents = text_of(html.split('id="survey-parent-satisfaction"', 1)[1].split("</section>", 1)[0])
    assert words in parents
    after_title = re.sub(r"\bR\w*:", "", parents.split("2026", 1)[1])  # indicator codes (R1: …) aside
    assert all(n == 5.0 for n in numbers_in(after_title)), "not even the count of 3 responses"
    assert "parent-satisfaction.distributions" not in tables and "parent-satisfaction.nonresponse" not in tables
    # the teachers: alpha (3 complete cases), the TSES item distributions and the show-if question
    for row in tables["teacher-self-efficacy.reliability"]:
        assert only_threshold(row["alpha"]) and only_threshold(row["n"])
    # the self-efficacy scale means (3 scores): no figure in any column
    assert len(tables["teacher-self-efficacy.scales"]) == 4
    for row in tables["teacher-self-efficacy.scales"]:
        assert all(only_threshold(v) for k, v in row.items() if k != "scale"), row
    # questions are shown by their label only (no variable id): find them through the section
    section = next(s for s in small_report.surveys if s.instrument == "teacher-self-efficacy")
    tses = {d.label.get(lang) for d in section.distributions if d.question.startswith("tses_")}  # type: ignore[arg-type]
    for row in tables["teacher-self-efficacy.distributions"]:
        if row["question"] in tses:
            assert all(only_threshold(v) for k, v in row.items() if k != "question"), row
        else:
            assert numbers_in(row["n"]) == [30.0]
    uses_label = next(q.label.get(lang) for q in section.nonresponse if q.question.startswith("uses_"))  # type: ignore[arg-type]
    uses = next(r for r in tables["teacher-self-efficacy.nonresponse"] if r["question"] == uses_label)
    assert all(only_threshold(v) for k, v in uses.items() if k != "question")


def test_chart_draws_nothing_for_a_suppressed_indicator(small_report: Report) -> None:
    svg = summary_chart(small_report, Strings("en"))
    assert "fewer than 5 responses" in svg
    assert "<title>R1:" not in svg and "<title>RT4:" not in svg
    assert "<title>RT1:" in svg


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_xlsx_holds_words_not_numbers(small_report: Report, lang: str) -> None:
    t = Strings(lang)  # type: ignore[arg-type]
    words = t.suppressed(5)
    sheets = xlsx_sheets(render_xlsx(small_report, lang))  # type: ignore[arg-type]
    summary = sheets[t("table_summary")]
    header = summary[1]
    rows = {r[0]: dict(zip(header, r, strict=False)) for r in table_rows(summary)}
    data_columns = [h for h in header if isinstance(h, str) and re.match(r"^(Vērtība|Value|Izmaiņas|Change|p|n)\b", h)]
    assert len(data_columns) >= 7
    tests = sheets[t("table_tests")]
    test_rows = {r[0]: r for r in table_rows(tests)}
    for code in ("R1", "RT4"):
        for column in data_columns:
            value = rows[code][column]
            assert value is None or value == words, (code, column, value)
        assert rows[code][data_columns[0]] == words
        # the appendix sheet of tests: words for every p-value, never a number
        assert all(test_rows[code][i] == words for i in (2, 3, 4, 6, 7, 8)), test_rows[code]
    assert isinstance(rows["RT1"][data_columns[0]], float)
    scales = table_rows(sheets[f"{t('short_teacher-self-efficacy')} {t('sheet_scales_teacher-self-efficacy')}"])
    assert len(scales) == 4
    for row in scales:
        assert not any(isinstance(v, float) for v in row[1:]), row
        assert row[1] == words
    reliability = sheets[f"{t('short_teacher-self-efficacy')} {t('sheet_alpha')}"]
    for row in table_rows(reliability):
        assert not any(isinstance(v, float) for v in row[2:]), row
        assert words in row
    assert not any(name.startswith(t("short_parent-satisfaction") + " " + t("sheet_distributions")) for name in sheets)


def test_methods_list_only_what_ran(small_report: Report) -> None:
    html = render_html(small_report, "en")
    methods = html.split('id="methods"', 1)[1]
    keys = re.findall(r'data-method="([^"]+)"', methods)
    assert "weighted" not in keys and "Deming WE" not in methods, "no resident answers: nothing was weighted"
    assert set(keys) == {"simple", "suppression"}, "R1 is suppressed, R2 has no data: no comparison ran"
    assert "Newcombe RG (1998b)" not in methods
    assert "Wilson EB (1927)" in methods
    assert "fewer than 5 respondents" in methods
