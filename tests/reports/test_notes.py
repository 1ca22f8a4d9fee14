"""Notes as codes (format 1.1): every code has a Latvian and an English text, counts of
respondents stay masked, and the Latvian report shows Latvian notes (English only for a note
without a code). Pure: hand-made waves, no database."""

from __future__ import annotations

import datetime as dt
import string

import msgspec
import polars as pl
import pytest

from pmp_surveys.catalogue.schema import Catalogue
from pmp_surveys.indicators.evaluate import EvaluationInputs, _safe_note, evaluate
from pmp_surveys.indicators.notes import COUNT_PARAMS, ENGLISH, english, mask, note
from pmp_surveys.indicators.schemas import Evaluation, NoteCode
from pmp_surveys.instruments.definition import Instrument
from pmp_surveys.reports.build import assemble_report
from pmp_surveys.reports.html import render_html
from pmp_surveys.reports.model import Report
from pmp_surveys.reports.notes import LATVIAN, MESSAGES, note_text, notes_text
from pmp_surveys.reports.strings import LANGS, Strings
from tests.reports.conftest import wave
from tests.reports.readback import html_tables

TSES = [f"tses_{i:02d}" for i in range(1, 13)]


def _fields(template: str) -> set[str]:
    return {name.split(".")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


def _sample(name: str, spec_float: bool) -> str | int | float:
    if spec_float:
        return 1.25
    return 3 if name in COUNT_PARAMS or name in {"schools", "rows", "margins"} else 2024


def test_every_code_has_both_languages_with_the_same_fields() -> None:
    assert set(LATVIAN) == set(ENGLISH)
    for lang in LANGS:
        assert set(MESSAGES[lang]) == set(ENGLISH), lang
    for code, template in ENGLISH.items():
        assert _fields(LATVIAN[code]) == _fields(template), code
        floats = {n for _, n, spec, _ in string.Formatter().parse(template) if n and spec and spec[-1] in "fg"}
        params = {n: _sample(n, n in floats) for n in _fields(template)}
        item = NoteCode(code=code, params=params)
        for lang in LANGS:
            text = note_text(item, Strings(lang))
            assert text and "{" not in text, (code, lang)
        masked = mask(item, 5)
        for lang in LANGS:
            assert note_text(masked, Strings(lang)), (code, lang)


def test_counts_of_respondents_are_masked_in_params_and_texts() -> None:
    small = note("responses_without_school", responses=3)
    masked = mask(small, 5)
    assert masked.params == {"responses": "<5"}
    assert (
        english(masked)
        == _safe_note(english(small), 5)
        == "fewer than 5 response(s) without a school form their own stratum"
    )
    assert note_text(masked, Strings("lv")) == "mazāk nekā 5 atbildes bez skolas veido atsevišķu slāni"
    assert mask(note("responses_without_school", responses=12), 5).params == {"responses": 12}
    assert "3" not in msgspec.json.encode(masked).decode()
    # floats in Latvian take a decimal comma
    assert note_text(note("raked", margins=2, deff=1.234), Strings("lv")).endswith("1,23")
    assert note_text(note("raked", margins=2, deff=1.234), Strings("en")).endswith("1.23")


@pytest.fixture
def report(catalogue: Catalogue, instruments: dict[str, Instrument]) -> Report:
    """Rīga 2026 against 2022 (no 2022 data): parents 3 (suppressed), 12 teachers of which 2 have no school."""
    parents = wave(instruments["parent-satisfaction"], 2026, [{"programme": 1, "overall_satisfaction": 5}] * 3)
    teachers = []
    for i in range(12):
        answers: dict[str, int | None] = {item: 5 + (i + k) % 4 for k, item in enumerate(TSES)}
        answers.update({"support_leadership": 1 + i % 5, "school_id": None if i < 2 else 1 + i % 3})
        teachers.append(answers)
    head_counts = {"school_id": [1, 2, 3], "teachers": [20, 20, 20]}
    inputs = EvaluationInputs(
        responses={
            ("parent-satisfaction", 2026): parents,
            ("teacher-self-efficacy", 2026): wave(instruments["teacher-self-efficacy"], 2026, teachers),
        },
        teachers=pl.DataFrame(head_counts, schema={"school_id": pl.Int32, "teachers": pl.Int64}),
    )
    riga = catalogue.municipality("riga")
    evaluation = evaluate(riga, 2026, inputs, baseline=2022, generated_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    return assemble_report(riga, evaluation, inputs)


def test_every_engine_note_has_its_code(report: Report) -> None:
    rows = [*report.evaluation.indicators, *report.evaluation.scales]
    assert any(r.notes for r in rows)
    for r in rows:
        assert len(r.note_codes) == len(r.notes)
        assert [english(c) for c in r.note_codes] == list(r.notes)
    codes = {c.code for r in rows for c in r.note_codes}
    assert {"baseline_year_without_data", "suppressed", "responses_without_school"} <= codes
    # masked: 2 respondents without a school
    masked = [c for r in rows for c in r.note_codes if c.code == "responses_without_school"]
    assert masked and all(c.params["responses"] == "<5" for c in masked)


def test_latvian_report_shows_latvian_notes(report: Report) -> None:
    html = render_html(report, "lv")
    notes = " ".join(r["notes"] for r in html_tables(html)["methods"])
    assert "bāzes gadam 2022 datu nav" in notes
    assert "mazāk par 5 uzskaitītām atbildēm" in notes and "mazāk nekā 5 atbildes bez skolas" in notes
    for english_text in ("no data for the baseline year", "counted: suppressed", "response(s)", "judged against"):
        assert english_text not in notes
    # the methods section has no English technical line in Latvian, and keeps it in English
    assert 'class="technical"' not in html
    # scale means but no before/after: the methods do not mention Welch's t and Hedges' g
    methods = html[html.index('id="methods"') :]
    assert 'data-method="scales"' in methods
    assert "Hedges" not in methods and "Welch" not in methods and "Velča" not in methods
    assert "Taylor linearisation" not in html
    en = render_html(report, "en")
    assert "no data for the baseline year 2022" in " ".join(r["notes"] for r in html_tables(en)["methods"])


def test_a_note_without_a_code_is_shown_in_english(report: Report) -> None:
    t = Strings("lv")
    assert notes_text(["an old note"], [], t) == ["an old note"]
    unknown = NoteCode(code="from_a_newer_version", params={})
    assert notes_text(["newer note"], [unknown], t) == ["newer note"]
    # a 1.0 result (no note_codes) still renders
    old = msgspec.structs.replace(
        report.evaluation,
        indicators=tuple(msgspec.structs.replace(r, note_codes=()) for r in report.evaluation.indicators),
    )
    html = render_html(msgspec.structs.replace(report, evaluation=old), "lv")
    assert "no data for the baseline year 2022" in html
    decoded = msgspec.json.decode(report.evaluation.to_json(), type=Evaluation)
    assert decoded.indicators == report.evaluation.indicators
