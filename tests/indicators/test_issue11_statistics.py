"""t on the design's degrees of freedom, intervals never zero-width at 0 or n, NaN as missing
(issue #11). Every reference number comes from ``reference/make_issue11_refs.R`` (R 4.2.2,
survey 4.1-1), stored in ``reference/issue11_refs.json``; each block names the R call."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from pmp_surveys.analysis.design import SurveyDesign, survey_proportion
from pmp_surveys.analysis.scales import cronbach_alpha, scale_scores
from pmp_surveys.analysis.verdicts import Target, target_verdict
from pmp_surveys.indicators.baseline import two_sample_change
from pmp_surveys.indicators.estimates import estimate_clustered

REFS: dict[str, Any] = json.loads((Path(__file__).parent / "reference" / "issue11_refs.json").read_text())

TEACHERS = pl.DataFrame({"school_id": [1, 2, 3, 4], "teachers": [20, 15, 25, 10]})
Y2026 = {1: [1, 1, 0, 1, 1, 0], 2: [1, 1, 1, 0, 1], 3: [1, 0, 1, 1, 1, 1, 0, 1], 4: [1, 1, 0, 1]}
Y2024 = {1: [0, 1, 0, 0, 1], 2: [1, 0, 0, 1, 0], 3: [0, 1, 0, 1, 0, 0, 1], 4: [0, 1, 0]}


def _scored(ys: dict[int, list[int]]) -> pl.DataFrame:
    rows = [(school, float(y)) for school, values in ys.items() for y in values]
    return pl.DataFrame(
        {"school_id": [r[0] for r in rows], "y": [r[1] for r in rows], "set_aside": [None for _ in rows]},
        schema={"school_id": pl.Int32, "y": pl.Float64, "set_aside": pl.String},
    )


def test_target_p_value_uses_t_on_the_design_df() -> None:
    ref = REFS["verdict_t"]  # svymean(~y, one); pt((p - 0.5)/SE, degf(one), lower.tail=FALSE)
    group = estimate_clustered(_scored(Y2026), TEACHERS, confidence_level=0.95)
    assert group.estimate is not None
    assert group.estimate.estimate == pytest.approx(ref["estimate"], rel=1e-12)  # 0.73690
    assert group.estimate.std_error == pytest.approx(ref["se"], rel=1e-9)  # 0.082781
    verdict = target_verdict(group.estimate, Target(value=0.5, kind="at_least"), direction="rise")
    assert verdict.test_method == "design-t"
    assert verdict.p_value == pytest.approx(ref["p_met"], rel=1e-9)  # 0.004990 on df 19
    assert not math.isclose(verdict.p_value or 0, ref["p_met_z"], rel_tol=0.1)  # z would say 0.002106


def test_change_between_waves_uses_t_on_the_designs_df() -> None:
    # svycontrast(svyby(~y, ~wave, both, svymean), c(-1, 1)); 2*pt(-|t|, degf(both)), df 35
    ref = REFS["change_t"]
    now = estimate_clustered(_scored(Y2026), TEACHERS, confidence_level=0.95)
    before = estimate_clustered(_scored(Y2024), TEACHERS, confidence_level=0.95)
    change = two_sample_change(now, before, 0.95)
    assert change.method == "design-t"
    assert change.change == pytest.approx(ref["change"], rel=1e-12)  # 0.33622
    assert change.ci_low == pytest.approx(ref["ci_low"], rel=1e-9)  # 0.066146
    assert change.ci_high == pytest.approx(ref["ci_high"], rel=1e-9)  # 0.60630
    assert change.p_value == pytest.approx(ref["p"], rel=1e-9)  # 0.016165 (z: 0.011494)


def test_interval_is_never_zero_width_at_zero() -> None:
    # 15 zeros in 3 strata of 5 with fpc 20, 30, 40. R: svyciprop(method="logit") gives
    # [7.8e-12, 7.8e-12] and method="beta" NaN; the reference is Korn–Graubard's n* with deff 1:
    # qbeta(0.975, 1, n*) = 0.224145, n* = 14.535 (REFS["zero"]["call_kg"]).
    ref = REFS["zero"]
    assert ref["logit_high"] < 1e-10 and ref["beta_high_r"] is None
    frame = pl.DataFrame(
        {"stratum": ["A"] * 5 + ["B"] * 5 + ["C"] * 5, "fpc": [20.0] * 5 + [30.0] * 5 + [40.0] * 5, "y": [0] * 15}
    ).with_columns(w=pl.col("fpc") / 5)
    design = SurveyDesign(strata="stratum", fpc="fpc", weights="w")
    default = survey_proportion(frame, "y", design)  # method "logit" by default
    assert default.method == "beta", "the fallback is said"
    assert default.df == ref["df"] == 12
    assert default.ci_low == 0.0 and default.ci_high == pytest.approx(ref["kg_high"], rel=1e-9)
    # … so "0 of 15" cannot prove a "below 5 %" target.
    verdict = target_verdict(default, Target(value=0.05, kind="below"), direction="fall")
    assert verdict.verdict == "not_yet_distinguishable"


def test_nan_in_numeric_answers_is_missing() -> None:
    # Complete cases: k/(k-1) (1 - sum(apply(cc, 2, var))/var(rowSums(cc))) = 0.871324 (REFS["nan"]).
    ref = REFS["nan"]
    items = pl.DataFrame(
        {
            "a": [4.0, 5, 3, 4, 2, 5, 4],
            "b": [4.0, 4, 3, 5, 2, 4, float("nan")],
            "c": [5.0, 5, 2, 4, 3, 4, 4],
        }
    )
    alpha = cronbach_alpha(items, ["a", "b", "c"], points=5)
    assert alpha.n == ref["n"] == 6 and alpha.n_excluded == 1
    assert alpha.estimate == pytest.approx(ref["alpha"], rel=1e-12)
    scores = scale_scores(items, ["a", "b", "c"], points=5, min_valid=2)
    assert scores[6] == pytest.approx(ref["score_row7"])  # the mean of the two answered items
    assert not any(math.isnan(s) for s in scores.drop_nulls())
    # with all items required, the row with a NaN has no score (null), never NaN
    assert scale_scores(items, ["a", "b", "c"], points=5)[6] is None
