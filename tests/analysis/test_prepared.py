"""The prepared design (sufficient statistics) against the row-level estimator of `design.py`.

`design.py` is itself checked against R's survey package (test_design.py, reference/); here every
figure of `PreparedDesign` must equal it to 1e-12 (relative), on the R reference data and on a
larger synthetic frame with missing values, zero weights, lonely PSUs and a census stratum.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from pmp_surveys.analysis.design import (
    DesignEstimate,
    SurveyDesign,
    survey_mean,
    survey_mean_by,
    survey_proportion,
    survey_proportion_by,
)
from pmp_surveys.analysis.prepared import prepare_design
from pmp_surveys.analysis.weighting import rake

REFERENCE = Path(__file__).parent / "reference"
REFS: dict[str, Any] = json.loads((REFERENCE / "design_refs.json").read_text())
TEACHERS = pl.read_csv(REFERENCE / "teachers.csv", null_values="NA").with_columns(pop=pl.lit(400))
RTOL = 1e-12

DESIGNS = {
    "srs": SurveyDesign(),
    "srs_fpc": SurveyDesign(fpc="pop"),
    "weighted": SurveyDesign(weights="w"),
    "stratified": SurveyDesign(weights="w", strata="region"),
    "clustered": SurveyDesign(weights="w", clusters="school"),
    "clustered_fpc": SurveyDesign(weights="w", clusters="school", strata="region", fpc="schools_in_region"),
    "school_strata": SurveyDesign(strata="school", fpc="teachers"),
    "school_strata_certainty": SurveyDesign(strata="school", fpc="teachers", lonely_psu="certainty"),
    "school_strata_remove": SurveyDesign(strata="school", fpc="teachers", lonely_psu="remove"),
}
FIELDS = ("estimate", "std_error", "ci_low", "ci_high", "deff", "effective_n", "weight_total")
COUNTS = ("n", "n_missing", "df", "n_psu", "n_strata")


def same(a: DesignEstimate, b: DesignEstimate) -> None:
    for name in (*COUNTS, "method", "confidence_level"):
        assert getattr(a, name) == getattr(b, name), name
    for name in FIELDS:
        x, y = getattr(a, name), getattr(b, name)
        assert (x is None) == (y is None), name
        if x is not None:
            assert x == pytest.approx(y, rel=RTOL, abs=1e-300), name


@pytest.mark.parametrize("key", list(DESIGNS))
@pytest.mark.parametrize("method", ["logit", "beta", "mean"])
def test_proportions_equal_row_level_estimates(key: str, method: str) -> None:
    design = DESIGNS[key]
    prepared = prepare_design(TEACHERS, design)
    assert prepared.uses_aggregates
    found = prepared.proportions(TEACHERS.select("y", "y_na", "zero"), method=method)  # type: ignore[arg-type]
    for name in ("y", "y_na", "zero"):
        same(found[name], survey_proportion(TEACHERS, name, design, method=method))  # type: ignore[arg-type]
    domain = TEACHERS.get_column("role") == "support"
    one = prepared.proportions(TEACHERS.select("y"), method=method, domain=domain)["y"]  # type: ignore[arg-type]
    same(one, survey_proportion(TEACHERS, "y", design, method=method, domain=pl.col("role") == "support"))  # type: ignore[arg-type]


@pytest.mark.parametrize("key", list(DESIGNS))
def test_means_and_domains_equal_row_level_estimates(key: str) -> None:
    design = DESIGNS[key]
    prepared = prepare_design(TEACHERS, design)
    same(prepared.means(TEACHERS.select("x"))["x"], survey_mean(TEACHERS, "x", design))
    table = prepared.mean_by(TEACHERS.select("x", "y"), TEACHERS.get_column("role"))
    for name in ("x", "y"):
        expected = survey_mean_by(TEACHERS, name, design, "role")
        got = table.filter(pl.col("variable") == name).drop("variable")
        assert got.columns == expected.columns
        assert got.select("role", *COUNTS).equals(expected.select("role", *COUNTS))
        for field in FIELDS:
            np.testing.assert_allclose(got[field].to_numpy(), expected[field].to_numpy(), rtol=RTOL)
    props = prepared.proportion_by(TEACHERS.select("y"), TEACHERS.get_column("role"), method="beta")
    expected = survey_proportion_by(TEACHERS, "y", design, "role", method="beta")
    np.testing.assert_allclose(props["ci_low"].to_numpy(), expected["ci_low"].to_numpy(), rtol=RTOL)
    np.testing.assert_allclose(props["std_error"].to_numpy(), expected["std_error"].to_numpy(), rtol=RTOL)


def test_matches_r_through_the_prepared_path() -> None:
    """svyciprop(~y, svydesign(ids=~1, strata=~school, fpc=~teachers), method='beta') (reference/)."""
    ref = REFS["school_strata_prop_adjust"]
    result = prepare_design(TEACHERS, DESIGNS["school_strata"]).proportions(TEACHERS.select("y"), method="beta")["y"]
    assert result.estimate == pytest.approx(ref["estimate"], rel=1e-9)
    assert result.std_error == pytest.approx(ref["std_error"], rel=1e-9)
    assert (result.ci_low, result.ci_high) == pytest.approx(ref["beta"], rel=1e-7)


def _synthetic(n: int = 20_000) -> pl.DataFrame:
    rng = np.random.default_rng(7)
    school = rng.integers(0, 60, size=n)
    school[:1] = 99  # one lonely respondent
    head = np.where(school % 7 == 0, 1200, 1000)
    y = (rng.random(n) < 0.3 + 0.005 * (school % 40)).astype(float)
    y[rng.random(n) < 0.05] = np.nan
    score = 3.2 + rng.normal(0.0, 0.8, size=n) + 0.01 * school
    score[rng.random(n) < 0.03] = np.nan
    w = rng.gamma(4.0, 25.0, size=n)
    w[rng.random(n) < 0.01] = 0.0
    census = school == 5
    frame = pl.DataFrame({"school": school, "head": head, "y": y, "score": score, "w": w})
    frame = frame.with_columns(
        pl.when(pl.Series(census)).then(pl.len().over("school")).otherwise(pl.col("head")).alias("head"),
        (pl.col("school") % 5).alias("region"),
        # constant within a school (the fast path), zero for one school
        pl.when(pl.col("school") == 3).then(0.0).otherwise(pl.col("head") / pl.len().over("school")).alias("w_school"),
        pl.Series("wave", rng.choice([2024, 2026, 0], size=n, p=[0.45, 0.45, 0.1])).replace(0, None),
    )
    return frame.with_columns(pl.col("y").fill_nan(None), pl.col("score").fill_nan(None))


SYNTHETIC_DESIGNS = [
    SurveyDesign(strata="school", fpc="head", weights="w_school"),
    SurveyDesign(strata="school", fpc="head"),
    SurveyDesign(strata="school", fpc="head", weights="w"),
    SurveyDesign(weights="w", clusters="school", strata="region"),
    SurveyDesign(clusters="school"),
]


@pytest.mark.parametrize("design", SYNTHETIC_DESIGNS)
def test_large_frame_with_gaps_equals_row_level_estimates(design: SurveyDesign) -> None:
    frame = _synthetic()
    prepared = prepare_design(frame, design)
    got = prepared.proportion_by(frame.select("y"), frame.get_column("wave"), method="beta")
    expected = survey_proportion_by(frame, "y", design, "wave", method="beta")
    for field in FIELDS:
        np.testing.assert_allclose(got[field].to_numpy(), expected[field].to_numpy(), rtol=RTOL)
    assert got.select(*COUNTS).equals(expected.select(*COUNTS))
    same(prepared.means(frame.select("score"))["score"], survey_mean(frame, "score", design))


def test_calibrated_design_uses_the_microdata_and_agrees() -> None:
    residents = pl.read_csv(REFERENCE / "residents.csv")
    margins = {
        name: {
            str(k): float(v) for k, v in zip(*residents.get_column(name).value_counts().to_dict().values(), strict=True)
        }
        for name in ("age", "sex")
    }
    weighted, _ = rake(residents, margins, base_weight="base_w", tolerance=1e-13, max_iter=500)
    design = SurveyDesign(weights="weight", raked_on=("age", "sex"))
    prepared = prepare_design(weighted, design)
    assert not prepared.uses_aggregates
    found = prepared.proportions(weighted.select("aware"), method="beta")["aware"]
    same(found, survey_proportion(weighted, "aware", design, method="beta"))


def test_bad_input_is_a_value_error() -> None:
    prepared = prepare_design(TEACHERS, DESIGNS["srs"])
    with pytest.raises(ValueError, match="0/1"):
        prepared.proportions(TEACHERS.select("x"))
    with pytest.raises(ValueError, match="rows"):
        prepared.proportions(TEACHERS.head(3).select("y"))
    with pytest.raises(ValueError, match="numeric"):
        prepared.means(TEACHERS.select("role"))
    with pytest.raises(ValueError, match="method"):
        prepared.proportions(TEACHERS.select("y"), method="wald")  # type: ignore[arg-type]


def test_sums_are_at_least_as_exact_as_the_row_level_path() -> None:
    """On 200,000 rows the per-school counts are exact integers, so the prepared design's standard
    error can be checked against exact rational arithmetic of the same formula (Fractions):
    ``V = Σ_h f_h n_h/(n_h − 1) (Σz² − (Σz)²/n_h)``, ``z = w_h(y − p̂)/W`` (design.py's notes)."""
    from fractions import Fraction

    rng = np.random.default_rng(11)
    n = 200_000
    school = rng.integers(0, 40, size=n)
    y = (rng.random(n) < 0.35 + 0.01 * (school % 9)).astype(float)
    y[rng.random(n) < 0.03] = np.nan
    frame = pl.DataFrame({"school": school, "y": y}).with_columns(
        pl.col("y").fill_nan(None), (pl.len().over("school") * 3).alias("head")
    )
    design = SurveyDesign(strata="school", fpc="head")
    got = prepare_design(frame, design).proportions(frame.select("y"), method="mean")["y"]
    row_level = survey_proportion(frame, "y", design, method="mean")
    cells = frame.group_by("school").agg(
        pl.len().alias("n_h"), pl.col("head").first(), pl.col("y").count().alias("k"), pl.col("y").sum().alias("x")
    )
    rows = [(int(a), int(b), int(c), int(d)) for a, b, c, d in cells.select("n_h", "head", "k", "x").iter_rows()]
    w = {n_h: Fraction(head, n_h) for n_h, head, _, _ in rows}
    total = sum(w[n_h] * k for n_h, _, k, _ in rows)
    p = sum(w[n_h] * x for n_h, _, _, x in rows) / total
    variance = Fraction(0)
    for n_h, head, k, x in rows:
        s1 = w[n_h] * (x - p * k) / total
        s2 = w[n_h] ** 2 * (x * (1 - p) ** 2 + (k - x) * p * p) / total**2
        variance += Fraction(head - n_h, head) * Fraction(n_h, n_h - 1) * (s2 - s1 * s1 / n_h)
    exact = float(variance) ** 0.5
    assert got.estimate == pytest.approx(float(p), rel=1e-14)
    assert got.std_error == pytest.approx(exact, rel=1e-13)
    assert row_level.std_error == pytest.approx(exact, rel=1e-11)
    assert abs(got.std_error - exact) <= abs(row_level.std_error - exact) + 1e-16 * exact  # type: ignore[operator]


def test_no_variables_and_all_missing() -> None:
    prepared = prepare_design(TEACHERS, DESIGNS["school_strata"])
    assert prepared.proportions(TEACHERS.select()) == {}
    blank = prepared.proportions(pl.DataFrame({"y": [None] * TEACHERS.height}, schema={"y": pl.Float64}))["y"]
    same(
        blank,
        survey_proportion(TEACHERS.with_columns(pl.lit(None, pl.Float64).alias("b")), "b", DESIGNS["school_strata"]),
    )
    assert blank.estimate is None and blank.n == 0 and blank.n_missing == TEACHERS.height
