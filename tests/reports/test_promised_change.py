"""Expected results whose names promise a change (Rīga's RT1–RT4, "increased number of teachers
who …") show that change in the council's summary, or say precisely why they cannot (issue #11)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.catalogue.schema import Catalogue
from pmp_surveys.indicators.evaluate import EvaluationInputs, evaluate
from pmp_surveys.instruments.definition import Instrument
from pmp_surveys.reports.build import assemble_report, build_report
from pmp_surveys.reports.plain import _EN, _LV, plain_summary
from pmp_surveys.reports.strings import ReportLang, Strings
from tests.reports.conftest import wave

PROMISED = ("RT1", "RT2", "RT3", "RT4")
TSES = [f"tses_{i:02d}" for i in range(1, 13)]


def _words(lang: ReportLang) -> dict[str, str]:
    return _LV if lang == "lv" else _EN


def _head(text: str) -> str:
    """The fixed words of a template, before its first field."""
    return text.split("{", 1)[0]


@pytest.mark.parametrize("lang", ["lv", "en"])
async def test_the_promised_change_is_shown_against_the_earlier_teacher_wave(
    session: AsyncSession, demo_data: Catalogue, lang: ReportLang
) -> None:
    report = await build_report(session, demo_data.municipality("riga"), 2026)
    w = _words(lang)
    sentences = dict(plain_summary(report, Strings(lang)).sentences)
    rows = {r.code: r for r in report.evaluation.indicators}
    verdicts = [_head(w[k]) for k in ("promise_shown", "promise_against", "promise_unclear")]
    for code in PROMISED:
        row, sentence = rows[code], sentences[code]
        assert row.baseline_year == 2024 and row.change is not None, code
        assert "2024" in sentence, sentence  # compared with the 2024 teacher wave
        assert any(v in sentence for v in verdicts), sentence
        assert w["no_target"] not in sentence, sentence
    # "increased number of teachers": the plan counts, the survey measures a share, and says so
    for code in ("RT1", "RT2"):
        assert _head(w["count_as_share"]) in sentences[code]


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_a_first_teacher_wave_says_why_no_change_can_be_shown(
    catalogue: Catalogue, instruments: dict[str, Instrument], lang: ReportLang
) -> None:
    riga = catalogue.municipality("riga")
    teachers = [
        {"support_leadership": 1 + i % 5, "support_colleagues": 1 + (i * 2) % 5, "learned_identification": i % 2}
        | {item: 5 + (i + k) % 5 for k, item in enumerate(TSES)}
        for i in range(40)
    ]
    inputs = EvaluationInputs(
        responses={("teacher-self-efficacy", 2024): wave(instruments["teacher-self-efficacy"], 2024, teachers)}
    )
    generated = dt.datetime(2024, 11, 1, tzinfo=dt.UTC)
    w = _words(lang)
    for choice, why in ((None, "why_first_wave"), ("published", "why_plan_none"), (2022, "why_no_such_year")):
        evaluation = evaluate(riga, 2024, inputs, baseline=choice, generated_at=generated)
        report = assemble_report(riga, evaluation, inputs)
        sentences = dict(plain_summary(report, Strings(lang)).sentences)
        for code in PROMISED:
            sentence = sentences[code]
            assert _head(w["promise_unknown"]) in sentence, (choice, sentence)
            assert _head(w[why]) in sentence, (choice, sentence)
