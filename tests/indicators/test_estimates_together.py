"""Every clustered rule of a wave estimated on one prepared design equals each rule estimated on
its own with the row-level estimator (schools as strata, head-count fpc, N_h/n_h weights)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from pmp_surveys.analysis.design import SurveyDesign, survey_proportion
from pmp_surveys.indicators.estimates import DESIGN_INTERVAL, clustered_design, estimate_clustered_rules
from pmp_surveys.indicators.scoring import SET_ASIDE_BLANK, SET_ASIDE_EXCLUDED


def scored(rng: np.random.Generator, school: np.ndarray, share: float) -> pl.DataFrame:
    n = school.size
    y = (rng.random(n) < share).astype(float)
    blank, excluded = rng.random(n) < 0.05, rng.random(n) < 0.02
    y[blank | excluded] = np.nan
    set_aside = np.where(blank, SET_ASIDE_BLANK, np.where(excluded, SET_ASIDE_EXCLUDED, None))
    return pl.DataFrame(
        {"school_id": school, "y": y, "set_aside": pl.Series(set_aside.tolist(), dtype=pl.String)}
    ).with_columns(pl.col("school_id").cast(pl.Int32), pl.col("y").fill_nan(None))


def test_rules_together_equal_each_rule_alone() -> None:
    rng = np.random.default_rng(3)
    school = rng.integers(1, 13, size=3_000).astype(np.int32)
    school[:4] = 99  # a school without a head-count: no fpc, the mean weight (stated in the notes)
    teachers = pl.DataFrame(
        {"school_id": list(range(1, 13)), "teachers": [400 + 10 * i for i in range(12)]},
        schema={"school_id": pl.Int32, "teachers": pl.Int64},
    )
    frames = {f"r{i}": scored(rng, school, 0.2 + 0.1 * i) for i in range(4)}
    frames["empty"] = frames["r0"].with_columns(pl.lit(None, pl.Float64).alias("y"))
    design = clustered_design(pl.Series("school_id", school), teachers)
    assert design.frame is not None and design.notes
    found = estimate_clustered_rules(frames, design, confidence_level=0.9)
    survey = SurveyDesign(strata="stratum", fpc="fpc", weights="weight")
    for rule, frame in frames.items():
        group = found[rule]
        assert group.design == "clustered"
        assert group.n_blank == int((frame["set_aside"] == SET_ASIDE_BLANK).sum())
        assert group.n_excluded == int((frame["set_aside"] == SET_ASIDE_EXCLUDED).sum())
        if rule == "empty":
            assert group.estimate is None
            continue
        alone = survey_proportion(
            design.frame.with_columns(frame["y"]), "y", survey, confidence_level=0.9, method=DESIGN_INTERVAL
        )
        assert group.estimate is not None and group.notes == design.notes
        for field in ("estimate", "std_error", "ci_low", "ci_high", "deff"):
            assert getattr(group.estimate, field) == pytest.approx(getattr(alone, field), rel=1e-12), field
        assert (group.estimate.n, group.estimate.df) == (alone.n, alone.df)  # type: ignore[attr-defined]


def test_all_rules_blank_give_no_estimate() -> None:
    school = np.array([1, 1, 2, 2, 2], dtype=np.int32)
    teachers = pl.DataFrame(
        {"school_id": [1, 2], "teachers": [5, 6]}, schema={"school_id": pl.Int32, "teachers": pl.Int64}
    )
    blank = pl.DataFrame(
        {"school_id": school, "y": [None] * 5, "set_aside": [SET_ASIDE_BLANK] * 5},
        schema={"school_id": pl.Int32, "y": pl.Float64, "set_aside": pl.String},
    )
    found = estimate_clustered_rules(
        {"a": blank, "b": blank}, clustered_design(blank["school_id"], teachers), confidence_level=0.95
    )
    assert all(g.estimate is None and g.n_blank == 5 for g in found.values())
