"""Scale scores in the evaluation (format 1.1): the TSES total and subscales before and after,
checked against independent computations (scipy's Welch test, Hedges' g by hand, the design
mean straight from ``survey_mean``, alpha by its formula); suppression. Pure, no database."""

from __future__ import annotations

import datetime as dt
import math

import msgspec
import numpy as np
import polars as pl
import pytest
from scipy import special, stats

from pmp_surveys.analysis.design import SurveyDesign, survey_mean
from pmp_surveys.catalogue.loader import load_catalogue
from pmp_surveys.catalogue.schema import Catalogue
from pmp_surveys.cli.analyze import render_table
from pmp_surveys.indicators.evaluate import EvaluationInputs, evaluate
from pmp_surveys.indicators.schemas import FORMAT_VERSION, Evaluation, ScaleResult
from pmp_surveys.instruments.definition import Instrument
from pmp_surveys.instruments.loader import load_instrument_dir
from pmp_surveys.settings import project_root
from tests.reports.conftest import wave

ROOT = project_root()
TSES = [f"tses_{i:02d}" for i in range(1, 13)]
SUBSCALES = {
    "tses_total": TSES,
    "tses_engagement": ["tses_02", "tses_04", "tses_07", "tses_11"],
    "tses_instruction": ["tses_05", "tses_09", "tses_10", "tses_12"],
    "tses_management": ["tses_01", "tses_03", "tses_06", "tses_08"],
}
HEAD_COUNTS = {1: 30, 2: 18, 3: 25, 4: 12}


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(ROOT / "analysis")


@pytest.fixture(scope="module")
def teacher_instrument() -> Instrument:
    found = {x.key: x.instrument for x in load_instrument_dir(ROOT / "surveys")}
    return found["teacher-self-efficacy"]


def _answers(rng: np.random.Generator, n: int, shift: float) -> list[dict[str, int | None]]:
    rows = []
    for i in range(n):
        school = 1 + i % 4
        latent = 5.5 + shift + 0.4 * school + rng.normal(0, 1.0)
        row: dict[str, int | None] = {"school_id": school}
        for item in TSES:
            row[item] = int(np.clip(round(latent + rng.normal(0, 0.9)), 1, 9))
        if i % 9 == 0:
            row["tses_05"] = None  # one blank item: still scored (min_valid)
        rows.append(row)
    return rows


def _teachers() -> pl.DataFrame:
    return pl.DataFrame(
        {"school_id": list(HEAD_COUNTS), "teachers": list(HEAD_COUNTS.values())},
        schema={"school_id": pl.Int32, "teachers": pl.Int64},
    )


def _evaluate(catalogue: Catalogue, instrument: Instrument, now: list, before: list, **kw: object) -> Evaluation:
    inputs = EvaluationInputs(
        responses={
            ("teacher-self-efficacy", 2026): wave(instrument, 2026, now),
            ("teacher-self-efficacy", 2022): wave(instrument, 2022, before),
        },
        teachers=_teachers(),
    )
    generated = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    return evaluate(catalogue.municipality("riga"), 2026, inputs, baseline=2022, generated_at=generated, **kw)  # type: ignore[arg-type]


def _scores(rows: list[dict[str, int | None]], items: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(school, score) of every respondent: the mean of the answered items (all answered here
    but for the one blank), by numpy."""
    matrix = np.array([[np.nan if r[i] is None else r[i] for i in items] for r in rows], dtype=float)
    return np.array([r["school_id"] for r in rows]), np.nanmean(matrix, axis=1)


def _design_mean(school: np.ndarray, score: np.ndarray) -> tuple[float, float, float, float]:
    n_h = {s: int((school == s).sum()) for s in HEAD_COUNTS}
    frame = pl.DataFrame(
        {
            "school": school,
            "score": score,
            "fpc": [float(HEAD_COUNTS[s]) for s in school],
            "w": [HEAD_COUNTS[s] / n_h[s] for s in school],
        }
    )
    est = survey_mean(frame, "score", SurveyDesign(strata="school", fpc="fpc", weights="w"))
    assert est.estimate is not None and est.std_error is not None and est.ci_low is not None and est.ci_high is not None
    return est.estimate, est.std_error, est.ci_low, est.ci_high


def _hedges(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    n1, n2 = len(x), len(y)
    m = n1 + n2 - 2
    sp = math.sqrt(((n1 - 1) * x.var(ddof=1) + (n2 - 1) * y.var(ddof=1)) / m)
    j = math.exp(math.lgamma(m / 2) - math.lgamma((m - 1) / 2)) / math.sqrt(m / 2)
    assert abs(j - (1 - 3 / (4 * m - 1))) < 1e-3  # the familiar approximation
    g = j * (x.mean() - y.mean()) / sp
    se = math.sqrt((n1 + n2) / (n1 * n2) + g * g / (2 * (n1 + n2)))
    z = float(special.ndtri(0.975))
    return g, g - z * se, g + z * se


def _alpha(rows: list[dict[str, int | None]], items: list[str]) -> tuple[float, int]:
    matrix = np.array([[r[i] for i in items] for r in rows if all(r[i] is not None for i in items)], dtype=float)
    k = len(items)
    total = matrix.sum(axis=1).var(ddof=1)
    return k / (k - 1) * (1 - matrix.var(axis=0, ddof=1).sum() / total), matrix.shape[0]


def test_scale_rows_agree_with_independent_computation(catalogue: Catalogue, teacher_instrument: Instrument) -> None:
    rng = np.random.default_rng(20261101)
    now, before = _answers(rng, 48, 0.6), _answers(rng, 40, 0.0)
    evaluation = _evaluate(catalogue, teacher_instrument, now, before)
    assert evaluation.format_version == FORMAT_VERSION == "1.3"
    rows = {s.rule: s for s in evaluation.scales}
    assert list(rows) == list(SUBSCALES)
    for rule, items in SUBSCALES.items():
        row = rows[rule]
        assert row.instrument == "teacher-self-efficacy" and row.items == len(items)
        assert row.design_used == "clustered" and not row.suppressed and row.baseline_year == 2022
        school, x = _scores(now, items)
        school0, y = _scores(before, items)
        assert row.n == len(x) and row.baseline_n == len(y)
        # design-based means (schools as strata, head-count fpc, weights N_h/n_h)
        mean, se, low, high = _design_mean(school, x)
        assert row.mean == pytest.approx(mean, rel=1e-12) and row.std_error == pytest.approx(se, rel=1e-9)
        assert row.ci_low == pytest.approx(low, rel=1e-9) and row.ci_high == pytest.approx(high, rel=1e-9)
        mean0, se0, _, _ = _design_mean(school0, y)
        assert row.baseline_mean == pytest.approx(mean0, rel=1e-12)
        # change: difference of two independent design-based estimates, t on the two designs'
        # degrees of freedom (respondents − strata in each wave, added), as R svycontrast + degf
        df = (len(x) - len(set(school))) + (len(y) - len(set(school0)))
        q = float(stats.t.ppf(0.975, df))
        diff, se_d = mean - mean0, math.hypot(se, se0)
        assert row.change == pytest.approx(diff, rel=1e-12)
        assert row.change_ci_low == pytest.approx(diff - q * se_d, rel=1e-9)
        assert row.change_ci_high == pytest.approx(diff + q * se_d, rel=1e-9)
        assert row.change_p_value == pytest.approx(2 * stats.t.sf(abs(diff / se_d), df), rel=1e-9)
        # Welch's t, unweighted, as scipy
        welch = stats.ttest_ind(x, y, equal_var=False)
        assert row.welch_t == pytest.approx(float(welch.statistic), rel=1e-10)
        assert row.welch_p_value == pytest.approx(float(welch.pvalue), rel=1e-9)
        assert row.welch_difference == pytest.approx(x.mean() - y.mean(), rel=1e-12)
        ci = welch.confidence_interval(0.95)
        assert row.welch_ci_low == pytest.approx(ci.low, rel=1e-9)
        assert row.welch_ci_high == pytest.approx(ci.high, rel=1e-9)
        # Hedges' g with the exact J correction and the Hedges-Olkin interval
        g, g_low, g_high = _hedges(x, y)
        assert row.hedges_g == pytest.approx(g, rel=1e-10)
        assert row.hedges_g_ci_low == pytest.approx(g_low, rel=1e-9)
        assert row.hedges_g_ci_high == pytest.approx(g_high, rel=1e-9)
        # Cronbach's alpha of the wave, complete cases
        alpha, complete = _alpha(now, items)
        assert row.alpha == pytest.approx(alpha, rel=1e-10) and row.alpha_n == complete
        assert row.alpha_ci_low is not None and row.alpha_ci_high is not None
        assert row.alpha_ci_low < alpha < row.alpha_ci_high
    # the JSON carries the rows and reads back
    back = msgspec.json.decode(evaluation.to_json(), type=Evaluation)
    assert back.scales == evaluation.scales
    # the CSV stays one row per indicator
    assert evaluation.to_frame().height == len(evaluation.indicators)
    # `pmp-surveys analyze` prints a second table
    text = render_table(evaluation)
    table = text[text.index("Scale scores") :].splitlines()
    total = next(line for line in table if line.startswith("tses_total "))
    row = rows["tses_total"]
    assert row.mean is not None and row.hedges_g is not None
    assert f"{row.mean:.2f}" in total and f"{row.hedges_g:+.2f}" in total and f"t={row.welch_t:.2f}" in total


def _blank(row: ScaleResult) -> bool:
    figures = (
        row.mean, row.ci_low, row.ci_high, row.std_error, row.n, row.n_blank, row.deff,
        row.change, row.change_p_value, row.welch_t, row.welch_p_value, row.hedges_g, row.alpha, row.alpha_n,
    )  # fmt: skip
    return all(v is None for v in figures)


def test_small_groups_give_no_scale_figure(catalogue: Catalogue, teacher_instrument: Instrument) -> None:
    rng = np.random.default_rng(7)
    # 2026: 30 teachers answer the other questions, only 3 the TSES items
    now = [{"school_id": 1 + i % 4, "support_leadership": 1 + i % 5} for i in range(30)]
    for row, answers in zip(now, _answers(rng, 3, 0.0), strict=False):
        row.update(answers)
    before = _answers(rng, 40, 0.0)
    evaluation = _evaluate(catalogue, teacher_instrument, now, before)
    assert len(evaluation.scales) == 4
    for row in evaluation.scales:
        assert row.suppressed and _blank(row)
        assert row.baseline_mean is not None, "the baseline group is large: its mean is shown, as for indicators"
        assert "suppressed" in [c.code for c in row.note_codes]
    # the baseline small, the wave large: the wave's figures, nothing compared
    before_small = [{"school_id": 1 + i % 4, "support_leadership": 1} for i in range(20)]
    for row, answers in zip(before_small, _answers(rng, 4, 0.0), strict=False):
        row.update(answers)
    evaluation = _evaluate(catalogue, teacher_instrument, _answers(rng, 40, 0.5), before_small)
    for row in evaluation.scales:
        assert not row.suppressed and row.mean is not None and row.alpha is not None
        assert row.baseline_suppressed and row.baseline_mean is None and row.baseline_n is None
        assert row.change is None and row.welch_t is None and row.hedges_g is None
        assert "baseline_suppressed" in [c.code for c in row.note_codes]
    text = evaluation.to_json().decode()
    assert '"scales"' in text


def test_no_baseline_wave_no_comparison(catalogue: Catalogue, teacher_instrument: Instrument) -> None:
    rng = np.random.default_rng(11)
    inputs = EvaluationInputs(
        responses={("teacher-self-efficacy", 2026): wave(teacher_instrument, 2026, _answers(rng, 30, 0.0))},
        teachers=_teachers(),
    )
    evaluation = evaluate(catalogue.municipality("riga"), 2026, inputs, baseline="published")
    for row in evaluation.scales:
        assert row.mean is not None and row.baseline_year is None and row.change is None and row.welch_t is None
    assert "scales" in evaluation.methods and "scale-change" not in evaluation.methods
