"""Multistage designs, contrasts, totals, svyttest, svychisq, svyciprop intervals, design effects
and linear calibration against R's survey package.

Every reference number comes from ``tests/analysis/reference/make_extended_refs.R`` (R 4.2.2,
survey 4.1-1), stored in ``extended_refs.json``; the R call is in ``REFS[key]["call"]``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from pmp_surveys.analysis.contrasts import design_contrast, design_ttest
from pmp_surveys.analysis.design import SurveyDesign
from pmp_surveys.analysis.design_estimates import design_mean, design_proportion, design_total
from pmp_surveys.analysis.multistage import MultistageDesign, Stage
from pmp_surveys.analysis.tables import design_chisq

REFERENCE = Path(__file__).parent / "reference"
REFS: dict[str, Any] = json.loads((REFERENCE / "extended_refs.json").read_text())
TEACHERS = (
    pl.read_csv(REFERENCE / "teachers.csv", null_values="NA")
    .with_row_index("tid", offset=1)
    .with_columns(n_schools=pl.lit(30), lead=(pl.col("role") == "class_teacher").cast(pl.Int64))
)
WAVES = pl.read_csv(REFERENCE / "waves.csv")

SE_RTOL = 1e-8  # design-based standard errors
RTOL = 1e-9  # closed form
ROOT_ATOL = 1e-7  # root-found

# svydesign(ids=~school+tid, strata=~region, fpc=~schools_in_region+teachers)
MS = MultistageDesign(
    stages=(Stage(clusters="school", strata="region", fpc="schools_in_region"), Stage(clusters="tid", fpc="teachers"))
)
# svydesign(ids=~school, weights=~w)
DCL = SurveyDesign(clusters="school", weights="w")


def _check(result: Any, ref: dict[str, Any], *, ci: bool = True) -> None:
    assert result.estimate == pytest.approx(ref["estimate"], rel=RTOL)
    assert result.std_error == pytest.approx(ref["std_error"], rel=SE_RTOL)
    if ci:
        assert (result.ci_low, result.ci_high) == pytest.approx(tuple(ref["ci"]), rel=SE_RTOL)


def test_two_stage_mean_with_both_fpcs_matches_svydesign() -> None:
    ref = REFS["ms_mean_x"]
    result = design_mean(TEACHERS, "x", MS)
    _check(result, ref)
    assert result.df == ref["df"] == 9
    assert result.deff_without_replacement == pytest.approx(ref["deff"], rel=SE_RTOL)
    assert result.deff_with_replacement == pytest.approx(ref["deff_replace"], rel=SE_RTOL)
    # the second stage adds variance: the one-stage design's SE is too small
    one = design_mean(TEACHERS, "x", SurveyDesign(clusters="school", strata="region", fpc="schools_in_region"))
    _check(one, REFS["ms_one_stage_x"])
    assert one.std_error is not None and result.std_error is not None
    assert one.std_error < result.std_error


def test_two_stage_weights_default_to_the_product_of_the_stage_fractions() -> None:
    from pmp_surveys.analysis import multistage

    prep = multistage.prepare(TEACHERS, MS)
    assert prep.weights.tolist() == pytest.approx(REFS["ms_mean_x"]["weights"], rel=RTOL)


def test_two_stage_domain_weighted_and_lonely_rules() -> None:
    _check(design_mean(TEACHERS, "y", MS, domain=pl.col("role") == "subject"), REFS["ms_mean_y_subject"])
    weighted = MultistageDesign(
        weights="w", stages=(Stage(clusters="school", fpc="n_schools"), Stage(clusters="tid", fpc="teachers"))
    )
    _check(design_mean(TEACHERS, "x", weighted), REFS["ms_weighted_x"])
    certainty = MultistageDesign(stages=MS.stages, lonely_psu="certainty")  # S12 has one respondent
    _check(design_mean(TEACHERS, "x", certainty), REFS["ms_certainty_x"])
    with pytest.raises(ValueError, match="single unit"):
        design_mean(TEACHERS, "x", MultistageDesign(stages=MS.stages, lonely_psu="fail"))


def test_totals_match_svytotal_with_normal_interval_and_both_deffs() -> None:
    ref = REFS["ms_total_y"]
    result = design_total(TEACHERS, "y", MS, df="infinite")
    _check(result, ref)
    assert math.isinf(result.df)
    assert result.deff_without_replacement == pytest.approx(ref["deff"], rel=SE_RTOL)
    assert result.deff_with_replacement == pytest.approx(ref["deff_replace"], rel=SE_RTOL)
    _check(
        design_total(TEACHERS, "y", MS, df="infinite", domain=pl.col("role") == "subject"), REFS["ms_total_y_subject"]
    )


def test_change_between_waves_sharing_schools_uses_the_covariance() -> None:
    ref = REFS["contrast_waves_x"]
    design = SurveyDesign(clusters="school", strata="region", fpc="schools_in_region", weights="w")
    result = design_contrast(WAVES, "x", design, "wave", {2024: -1.0, 2026: 1.0})
    _check(result, ref)
    assert result.df == ref["df"]
    flat = [v for row in result.covariance for v in row]
    assert flat == pytest.approx(ref["covariance"], rel=SE_RTOL)
    # Treating the waves as independent (today's change) gives an SE several times larger.
    assert ref["independent_se"] > 3 * ref["std_error"]
    other = design_contrast(WAVES, "y", design, "wave", {2024: -1.0, 2026: 1.0})
    _check(other, REFS["contrast_waves_y"], ci=False)
    roles = design_contrast(TEACHERS, "x", MS, "role", {"class_teacher": 1.0, "subject": -1.0, "support": 0.0})
    _check(roles, REFS["contrast_roles_ms"], ci=False)


@pytest.mark.parametrize(("key", "design"), [("svyttest", MS), ("svyttest_clustered", DCL)])
def test_design_ttest_matches_svyttest(key: str, design: Any) -> None:
    ref = REFS[key]
    result = design_ttest(TEACHERS, "x", design, "lead")
    assert result.estimate == pytest.approx(ref["estimate"], rel=RTOL)
    assert result.statistic == pytest.approx(ref["statistic"], rel=SE_RTOL)
    assert result.df == ref["df"]
    assert result.p_value == pytest.approx(ref["p_value"], rel=1e-7)


@pytest.mark.parametrize("statistic", ["F", "Chisq", "Wald", "adjWald"])
@pytest.mark.parametrize(("name", "design"), [("ms", MS), ("dcl", DCL)])
def test_design_chisq_matches_svychisq(statistic: Any, name: str, design: Any) -> None:
    ref = REFS[f"chisq_{name}_{statistic}"]
    result = design_chisq(TEACHERS, "role", "region", design, statistic=statistic)
    p_value = ref["p_value"]
    if statistic == "Chisq":  # R reports Pearson's X² and the p-value of X²/δ̄
        assert result.pearson == pytest.approx(ref["statistic"], rel=SE_RTOL)
    else:
        assert result.statistic == pytest.approx(ref["statistic"], rel=SE_RTOL)
        assert [d for d in result.df if d is not None] == pytest.approx(ref["df"], rel=SE_RTOL)
    assert result.p_value == pytest.approx(p_value, rel=1e-7)


@pytest.mark.parametrize(("name", "design"), [("ms", MS), ("dcl", DCL)])
@pytest.mark.parametrize("method", ["logit", "asin", "beta", "mean"])
def test_proportion_intervals_match_svyciprop(name: str, design: Any, method: Any) -> None:
    ref = REFS[f"ciprop_{name}"]
    result = design_proportion(TEACHERS, "y", design, method=method)
    assert (result.ci_low, result.ci_high) == pytest.approx(tuple(ref[method]), rel=SE_RTOL)
    if method != "beta":
        normal = design_proportion(TEACHERS, "y", design, method=method, df="infinite")
        assert (normal.ci_low, normal.ci_high) == pytest.approx(tuple(ref[f"{method}_inf"]), rel=SE_RTOL)


@pytest.mark.parametrize(("name", "design"), [("ms", MS), ("dcl", DCL)])
def test_likelihood_interval_is_the_exact_root_of_rs_criterion(name: str, design: Any) -> None:
    ref = REFS[f"ciprop_{name}"]
    for df, suffix in (("design", ""), ("infinite", "_inf")):
        result = design_proportion(TEACHERS, "y", design, method="likelihood", df=df)  # type: ignore[arg-type]
        limits = (result.ci_low, result.ci_high)
        assert limits == pytest.approx(tuple(ref[f"likelihood_exact{suffix}"]), abs=ROOT_ATOL)
        # svyciprop(method="likelihood") interpolates the profile with a spline
        assert limits == pytest.approx(tuple(ref[f"likelihood{suffix}"]), abs=1e-4)


def test_linear_calibration_matches_calibrate_linear() -> None:
    from pmp_surveys.analysis.greg import greg_calibrate

    base = SurveyDesign(clusters="school", strata="region", fpc="schools_in_region", weights="w")
    frame, design = greg_calibrate(
        TEACHERS,
        base,
        population_size=330,
        numeric={"x": 2000},
        categorical={"region": {"A": 105, "B": 105, "C": 120}},
    )
    assert frame.get_column("greg_weight").to_list() == pytest.approx(REFS["greg_mean_y"]["weights"], rel=RTOL)
    _check(design_mean(frame, "y", design), REFS["greg_mean_y"], ci=False)
    _check(design_total(frame, "y", design), REFS["greg_total_y"], ci=False)
    _check(design_mean(frame, "y", design, domain=pl.col("role") == "subject"), REFS["greg_mean_y_subject"], ci=False)
    # calibration-aware: the variance differs from treating the new weights as fixed
    fixed = design_mean(
        frame, "y", SurveyDesign(clusters="school", strata="region", fpc="schools_in_region", weights="greg_weight")
    )
    assert fixed.std_error != pytest.approx(REFS["greg_mean_y"]["std_error"], rel=1e-3)
    with pytest.raises(ValueError, match="lack level"):
        greg_calibrate(TEACHERS, base, population_size=330, categorical={"region": {"A": 1, "B": 2}})


def test_likelihood_interval_in_a_domain() -> None:
    ref = REFS["ciprop_dcl_subject"]
    result = design_proportion(TEACHERS, "y", DCL, method="likelihood", domain=pl.col("role") == "subject")
    assert (result.ci_low, result.ci_high) == pytest.approx(tuple(ref["likelihood_exact"]), abs=ROOT_ATOL)
    assert (result.ci_low, result.ci_high) == pytest.approx(tuple(ref["likelihood"]), abs=1e-4)


def test_bad_designs_and_arguments_are_refused() -> None:
    small = TEACHERS.with_columns(five=pl.lit(5))  # 12 schools sampled out of "5"
    with pytest.raises(ValueError, match="smaller than the number of sampled units"):
        design_mean(small, "x", MultistageDesign(stages=(Stage(clusters="school", fpc="five"),)))
    with pytest.raises(ValueError, match="constant within each stratum"):
        design_mean(TEACHERS, "x", MultistageDesign(stages=(Stage(clusters="school", fpc="x"),)))
    with pytest.raises(ValueError, match="null"):
        design_mean(TEACHERS.with_columns(school=pl.lit(None, pl.String)), "x", MS)
    with pytest.raises(ValueError, match="at least one stage"):
        MultistageDesign(stages=())
    with pytest.raises(ValueError, match="method"):
        design_proportion(TEACHERS, "y", MS, method="wilson")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="0/1"):
        design_proportion(TEACHERS, "x", MS)
    with pytest.raises(ValueError, match="exactly two levels"):
        design_ttest(TEACHERS, "x", MS, "role")
    with pytest.raises(ValueError, match="statistic"):
        design_chisq(TEACHERS, "role", "region", MS, statistic="G")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="two levels"):
        design_chisq(TEACHERS, "role", "zero", MS)
    with pytest.raises(ValueError, match="raked"):
        design_mean(TEACHERS, "x", SurveyDesign(weights="w", raked_on=("region",)))
    with pytest.raises(ValueError, match="no respondent"):
        design_contrast(TEACHERS, "x", MS, "role", {"nobody": 1.0})


def test_empty_domain_gives_no_figures() -> None:
    result = design_mean(TEACHERS, "x", MS, domain=pl.col("role") == "nobody")
    assert result.n == 0
    assert result.estimate is None and result.std_error is None and result.ci_low is None


def test_one_stage_designs_agree_with_survey_mean_and_survey_proportion() -> None:
    # Two engines, one answer: the multistage engine on a single stage equals design.py's
    # (itself matched to R in test_design.py), in the whole sample and in a domain.
    from pmp_surveys.analysis.design import survey_mean, survey_proportion

    clustered = SurveyDesign(weights="w", clusters="school", strata="region", fpc="schools_in_region")
    school_strata = SurveyDesign(strata="school", fpc="teachers")
    for design in (clustered, school_strata, DCL):
        for domain in (None, pl.col("role") == "subject"):
            ours = design_mean(TEACHERS, "x", design, domain=domain)
            theirs = survey_mean(TEACHERS, "x", design, domain=domain)
            assert ours.estimate == pytest.approx(theirs.estimate, rel=RTOL)
            assert ours.std_error == pytest.approx(theirs.std_error, rel=SE_RTOL)
            assert ours.df == theirs.df
            assert ours.deff_without_replacement == pytest.approx(theirs.deff, rel=SE_RTOL)
            p_ours = design_proportion(TEACHERS, "y_na", design, method="beta", domain=domain)
            p_theirs = survey_proportion(TEACHERS, "y_na", design, method="beta", domain=domain)
            assert p_ours.n_missing == p_theirs.n_missing
            assert (p_ours.ci_low, p_ours.ci_high) == pytest.approx((p_theirs.ci_low, p_theirs.ci_high), rel=SE_RTOL)
