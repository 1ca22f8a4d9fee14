"""Raking, post-stratification and Kish's design effect.

Reference weights from ``tests/analysis/reference/make_design_refs.R`` (R 4.2.2, survey 4.1-1).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from pmp_surveys.analysis.design import SurveyDesign, survey_mean_by, survey_proportion
from pmp_surveys.analysis.weighting import kish_design_effect, post_stratify, rake

REFERENCE = Path(__file__).parent / "reference"
REFS: dict[str, Any] = json.loads((REFERENCE / "design_refs.json").read_text())
RESIDENTS = pl.read_csv(REFERENCE / "residents.csv")


def _margins() -> dict[str, dict[Any, float]]:
    margins = REFS["rake"]["margins"]
    return {name: dict(zip(m["levels"], m["totals"], strict=True)) for name, m in margins.items()}


def test_rake_matches_r() -> None:
    """weights(rake(svydesign(ids=~1, weights=~base_w), list(~age,~sex,~district), margins,
    control=list(maxit=200, epsilon=1e-12)))."""
    weighted, report = rake(RESIDENTS, _margins(), base_weight="base_w", tolerance=1e-12, max_iter=200)
    np.testing.assert_allclose(weighted["weight"].to_numpy(), REFS["rake"]["weights"], rtol=1e-8)
    assert report.converged
    assert report.max_relative_error < 1e-12
    assert report.iterations > 1
    assert report.weight_total == pytest.approx(12000)
    assert [m.variable for m in report.margins] == ["age", "sex", "district"]
    assert report.kish == kish_design_effect(weighted["weight"])


def test_raked_weights_in_design_match_r() -> None:
    """svyciprop(~aware, svydesign(ids=~1, weights=~raked_w), method='logit') with the raked weights."""
    ref = REFS["raked_weights_prop"]
    weighted, _ = rake(RESIDENTS, _margins(), base_weight="base_w", tolerance=1e-13, max_iter=500)
    result = survey_proportion(weighted, "aware", SurveyDesign(weights="weight"))
    assert result.estimate == pytest.approx(ref["estimate"], rel=1e-8)
    assert result.std_error == pytest.approx(ref["std_error"], rel=1e-7)
    assert result.deff == pytest.approx(ref["deff"], rel=1e-7)
    assert (result.ci_low, result.ci_high) == pytest.approx(ref["logit"], rel=1e-7)


def test_rake_not_converged_is_reported() -> None:
    _, report = rake(RESIDENTS, _margins(), base_weight="base_w", max_iter=1)
    assert report.iterations == 1
    assert not report.converged
    assert report.max_relative_error > 1e-8


def test_rake_with_trimming_respects_bounds() -> None:
    weighted, report = rake(RESIDENTS, _margins(), trim=(0.7, 1.3), max_iter=50)
    w = weighted["weight"].to_numpy()
    mean = 12000 / RESIDENTS.height
    assert w.min() >= 0.7 * mean * (1 - 1e-12)
    assert w.max() <= 1.3 * mean * (1 + 1e-12)
    assert report.trimmed > 0
    # tighter weights, so a smaller Kish deff than untrimmed raking
    _, untrimmed = rake(RESIDENTS, _margins())
    assert report.kish.deff is not None
    assert untrimmed.kish.deff is not None
    assert report.kish.deff < untrimmed.kish.deff


def test_rake_validates_margins() -> None:
    margins = _margins()
    with pytest.raises(ValueError, match=r"category '55\+' of 'age' is in the data"):
        rake(RESIDENTS, {**margins, "age": {"18-34": 5000, "35-54": 7000}})
    with pytest.raises(ValueError, match=r"category '75\+' of 'age' has a population total"):
        rake(RESIDENTS, {**margins, "age": {**margins["age"], "75+": 10.0, "18-34": 3090}})
    with pytest.raises(ValueError, match="same grand total"):
        rake(RESIDENTS, {**margins, "sex": {"F": 6300, "M": 5000}})
    with pytest.raises(ValueError, match="not a column"):
        rake(RESIDENTS, {"parish": {"a": 1.0}})
    # an absent category with a zero total is fine
    _, report = rake(RESIDENTS, {**margins, "age": {**margins["age"], "75+": 0.0}})
    assert report.converged


def test_post_stratify_matches_r() -> None:
    """weights(postStratify(svydesign(ids=~1, weights=~base_w), ~age+sex, pop_cells))."""
    ref = REFS["post_stratify"]
    cells = pl.DataFrame({"age": ref["cells"]["age"], "sex": ref["cells"]["sex"], "total": ref["cells"]["totals"]})
    weighted, report = post_stratify(RESIDENTS, cells, base_weight="base_w")
    np.testing.assert_allclose(weighted["weight"].to_numpy(), ref["weights"], rtol=1e-12)
    assert report.method == "post-stratify"
    assert report.weight_total == pytest.approx(12000)


def test_post_stratify_validates_cells() -> None:
    cells = pl.DataFrame({"sex": ["F"], "total": [100.0]})
    with pytest.raises(ValueError, match=r"cell \(sex='M'\) is in the data"):
        post_stratify(RESIDENTS, cells)
    cells = pl.DataFrame({"sex": ["F", "M", "X"], "total": [100.0, 90.0, 3.0]})
    with pytest.raises(ValueError, match=r"cell \(sex='X'\) has a population total"):
        post_stratify(RESIDENTS, cells)


def test_kish_design_effect_independent_formula() -> None:
    """Weights 1, 1, 2, 4: Σw = 8, Σw² = 22, deff = 4·22/64 = 1.375, n_eff = 64/22."""
    result = kish_design_effect(pl.Series([1.0, 1.0, 2.0, 4.0, None]))
    assert result.n == 4
    assert result.deff == pytest.approx(1.375)
    assert result.effective_n == pytest.approx(64 / 22)
    w = np.array([1.0, 1.0, 2.0, 4.0])
    assert result.cv == pytest.approx(w.std() / w.mean())
    assert kish_design_effect([]).deff is None
    with pytest.raises(ValueError, match="non-negative"):
        kish_design_effect([1.0, -1.0])


def _post_stratified() -> pl.DataFrame:
    ref = REFS["post_stratify"]
    cells = pl.DataFrame({"age": ref["cells"]["age"], "sex": ref["cells"]["sex"], "total": ref["cells"]["totals"]})
    return post_stratify(RESIDENTS, cells, base_weight="base_w")[0]


@pytest.mark.parametrize("method", ["logit", "beta", "mean"])
def test_raked_design_variance_matches_r(method: str) -> None:
    """svyciprop(~aware, rake(...), method=method) and svymean(~aware, rake(...), deff=TRUE):
    the variance of a raked design uses R's raking residuals (10 backfitting sweeps)."""
    ref = REFS["raked_design_prop"]
    weighted, _ = rake(RESIDENTS, _margins(), base_weight="base_w", tolerance=1e-13, max_iter=500)
    design = SurveyDesign(weights="weight", raked_on=("age", "sex", "district"))
    result = survey_proportion(weighted, "aware", design, method=method)  # type: ignore[arg-type]
    assert result.estimate == pytest.approx(ref["estimate"], rel=1e-8)
    assert result.std_error == pytest.approx(ref["std_error"], rel=1e-7)
    assert result.deff == pytest.approx(ref["deff"], rel=1e-7)
    assert (result.ci_low, result.ci_high) == pytest.approx(ref[method], rel=1e-7)
    fixed = survey_proportion(weighted, "aware", SurveyDesign(weights="weight"), method=method)  # type: ignore[arg-type]
    assert fixed.std_error is not None
    assert result.std_error is not None
    assert result.std_error < fixed.std_error


def test_raked_design_domains_match_svyby() -> None:
    """svyby(~aware, ~district, rake(...), svymean, deff=TRUE)."""
    ref = REFS["raked_design_by_district"]
    weighted, _ = rake(RESIDENTS, _margins(), base_weight="base_w", tolerance=1e-13, max_iter=500)
    design = SurveyDesign(weights="weight", raked_on=("age", "sex", "district"))
    table = survey_mean_by(weighted, "aware", design, "district")
    assert table["district"].to_list() == ref["district"]
    np.testing.assert_allclose(table["estimate"].to_numpy(), ref["estimate"], rtol=1e-8)
    np.testing.assert_allclose(table["std_error"].to_numpy(), ref["std_error"], rtol=1e-7)
    np.testing.assert_allclose(table["deff"].to_numpy(), ref["deff"], rtol=1e-7)


@pytest.mark.parametrize("method", ["logit", "beta", "mean"])
def test_post_stratified_design_variance_matches_r(method: str) -> None:
    """svyciprop(~aware, postStratify(svydesign(ids=~1, weights=~base_w), ~age+sex, cells), method)."""
    ref = REFS["post_stratified_design_prop"]
    design = SurveyDesign(weights="weight", post_stratified_on=("age", "sex"))
    result = survey_proportion(_post_stratified(), "aware", design, method=method)  # type: ignore[arg-type]
    assert result.estimate == pytest.approx(ref["estimate"], rel=1e-12)
    assert result.std_error == pytest.approx(ref["std_error"], rel=1e-10)
    assert result.deff == pytest.approx(ref["deff"], rel=1e-10)
    assert (result.ci_low, result.ci_high) == pytest.approx(ref[method], rel=1e-9)


def test_post_stratified_domains_match_svyby() -> None:
    """svyby(~aware, ~district, postStratify(...), svymean, deff=TRUE)."""
    ref = REFS["post_stratified_by_district"]
    design = SurveyDesign(weights="weight", post_stratified_on=("age", "sex"))
    table = survey_mean_by(_post_stratified(), "aware", design, "district")
    np.testing.assert_allclose(table["estimate"].to_numpy(), ref["estimate"], rtol=1e-12)
    np.testing.assert_allclose(table["std_error"].to_numpy(), ref["std_error"], rtol=1e-10)
    np.testing.assert_allclose(table["deff"].to_numpy(), ref["deff"], rtol=1e-10)


def test_calibration_needs_weights() -> None:
    with pytest.raises(ValueError, match="weights"):
        SurveyDesign(raked_on=("age",))
    with pytest.raises(ValueError, match="not both"):
        SurveyDesign(weights="w", raked_on=("age",), post_stratified_on=("sex",))


@pytest.mark.parametrize("calibrated", ["raked_on", "post_stratified_on"])
def test_calibrated_row_by_row_path_agrees_with_tables(calibrated: str) -> None:
    """With one respondent per cluster the row-by-row residual path (used for clustered designs)
    must give the same variance as the table path; also with strata."""
    weighted, _ = rake(RESIDENTS, _margins(), base_weight="base_w", tolerance=1e-13, max_iter=500)
    weighted = weighted.with_row_index("id")
    on = ("age", "sex", "district") if calibrated == "raked_on" else ("age", "sex")
    for strata in (None, "district"):
        tables = SurveyDesign(weights="weight", strata=strata, **{calibrated: on})  # type: ignore[arg-type]
        rows = SurveyDesign(weights="weight", strata=strata, clusters="id", **{calibrated: on})  # type: ignore[arg-type]
        a = survey_mean_by(weighted, "aware", tables, "sex")
        b = survey_mean_by(weighted, "aware", rows, "sex")
        np.testing.assert_allclose(a["std_error"].to_numpy(), b["std_error"].to_numpy(), rtol=1e-9)
