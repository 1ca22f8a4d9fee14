"""Scale scores, Cronbach's alpha (Feldt CI), Welch's t and Hedges' g.

R references from ``tests/analysis/reference/make_design_refs.R`` (R 4.2.2, psych 2.2.9);
independent values computed from the textbook formulas in the tests themselves.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
from scipy import stats

from pmp_surveys.analysis.scales import (
    cronbach_alpha,
    hedges_correction,
    hedges_g,
    scale_score_expr,
    scale_scores,
    share_above,
    welch_t,
)

REFERENCE = Path(__file__).parent / "reference"
REFS: dict[str, Any] = json.loads((REFERENCE / "design_refs.json").read_text())
ITEMS_FRAME = pl.read_csv(REFERENCE / "scale_items.csv")
ITEMS = [f"q{i}" for i in range(1, 7)]


def test_scale_scores_reverse_and_min_valid() -> None:
    frame = pl.DataFrame({"a": [1, 5, None, None], "b": [2, 4, 3, None], "c": [5, 1, None, 2]})
    scores = scale_scores(frame, ["a", "b", "c"], reverse=["c"], points=5, min_valid=2)
    # row 0: 1, 2, 6-5=1 -> 4/3; row 1: 5, 4, 5 -> 14/3; row 2: one valid -> null; row 3: one valid -> null
    assert scores.to_list()[:2] == pytest.approx([4 / 3, 14 / 3])
    assert scores.to_list()[2:] == [None, None]
    lenient = frame.select(scale_score_expr(["a", "b", "c"], reverse=["c"], points=5, min_valid=1))
    assert lenient.to_series().to_list()[2:] == [3.0, 4.0]


def test_scale_scores_match_r_row_means() -> None:
    """rowMeans(items with q4 keyed as 6 - q4) from make_design_refs.R."""
    scores = scale_scores(ITEMS_FRAME, ITEMS, reverse=["q4"], points=5)
    np.testing.assert_allclose(scores.to_numpy(), REFS["cronbach_alpha"]["scores"], rtol=1e-12)


def test_scale_scores_validation() -> None:
    with pytest.raises(ValueError, match=r"outside 1\.\.5"):
        scale_scores(pl.DataFrame({"a": [1, 6], "b": [1, 2]}), ["a", "b"], points=5)
    with pytest.raises(ValueError, match="points"):
        scale_score_expr(["a", "b"], reverse=["a"])
    with pytest.raises(ValueError, match="not among"):
        scale_score_expr(["a", "b"], reverse=["c"], points=5)
    with pytest.raises(ValueError, match="min_valid"):
        scale_score_expr(["a", "b"], min_valid=3)


def test_cronbach_alpha_matches_psych() -> None:
    """psych::alpha(keyed)$total$raw_alpha; psych::alpha.ci(raw_alpha, n.obs=60, n.var=6, p.val=.05)."""
    ref = REFS["cronbach_alpha"]
    result = cronbach_alpha(ITEMS_FRAME, ITEMS, reverse=["q4"], points=5)
    assert result.estimate == pytest.approx(ref["raw_alpha"], rel=1e-12)
    assert (result.ci_low, result.ci_high) == pytest.approx(ref["ci"], rel=1e-8)
    assert result.n == 60
    assert result.n_items == 6
    assert result.method == "feldt"


def test_cronbach_alpha_independent_formula() -> None:
    """Feldt (1965): (1 − α)/(1 − α̂) ~ F(n − 1, (n − 1)(k − 1)), computed here from scratch."""
    x = np.array([[3, 4, 3], [2, 2, 3], [5, 4, 5], [4, 4, 4], [1, 2, 2], [3, 3, 4]], dtype=float)
    k, n = 3, 6
    alpha = k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))
    frame = pl.DataFrame(x, schema=["a", "b", "c"]).vstack(
        pl.DataFrame({"a": [None], "b": [1.0], "c": [1.0]}, schema={"a": pl.Float64, "b": pl.Float64, "c": pl.Float64})
    )
    result = cronbach_alpha(frame, ["a", "b", "c"], confidence_level=0.90)
    assert result.estimate == pytest.approx(alpha, rel=1e-12)
    assert result.ci_low == pytest.approx(1 - (1 - alpha) * stats.f.ppf(0.95, n - 1, (n - 1) * (k - 1)))
    assert result.ci_high == pytest.approx(1 - (1 - alpha) * stats.f.ppf(0.05, n - 1, (n - 1) * (k - 1)))
    assert result.n_excluded == 1
    constant = cronbach_alpha(pl.DataFrame({"a": [1, 1], "b": [2, 2]}), ["a", "b"])
    assert constant.estimate is None


def test_share_above() -> None:
    scores = pl.Series([7.0, 6.5, None, 8.0, 7.0])
    result = share_above(scores, 7.0)
    assert (result.count, result.n, result.n_missing) == (3, 4, 1)
    assert result.share == pytest.approx(0.75)
    assert share_above(scores, 7.0, inclusive=False).count == 1
    assert share_above(pl.Series([None], dtype=pl.Float64), 7).share is None


def test_welch_matches_r_and_scipy() -> None:
    """t.test(score[1:25], score[26:60], var.equal=FALSE) and scipy.stats.ttest_ind(equal_var=False)."""
    ref = REFS["welch"]
    scores = np.array(REFS["cronbach_alpha"]["scores"])
    x, y = scores[:25], scores[25:]
    result = welch_t(pl.Series(x), y)
    assert result.statistic == pytest.approx(ref["statistic"], rel=1e-10)
    assert result.df == pytest.approx(ref["df"], rel=1e-10)
    assert result.p_value == pytest.approx(ref["p_value"], rel=1e-9)
    assert (result.ci_low, result.ci_high) == pytest.approx(ref["ci"], rel=1e-10)
    sp = stats.ttest_ind(x, y, equal_var=False)
    assert result.statistic == pytest.approx(sp.statistic, rel=1e-12)
    assert result.p_value == pytest.approx(sp.pvalue, rel=1e-12)
    ci = sp.confidence_interval(0.95)
    assert (result.ci_low, result.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-12)
    for alternative in ("greater", "less"):
        one = welch_t(x, y, alternative=alternative)
        sp1 = stats.ttest_ind(x, y, equal_var=False, alternative=alternative)
        assert one.p_value == pytest.approx(sp1.pvalue, rel=1e-12)
        bound = sp1.confidence_interval(0.95)
        if alternative == "greater":
            assert one.ci_low == pytest.approx(bound.low)
            assert one.ci_high is None
        else:
            assert one.ci_high == pytest.approx(bound.high)
            assert one.ci_low is None


def test_hedges_g_independent_values() -> None:
    """x = 1..5, y = 3..8: pooled SD² = (4·2.5 + 5·3.5)/9, d = −2.5/SD, J(9) = Γ(4.5)/(√4.5·Γ(4))."""
    result = hedges_g([1, 2, 3, 4, 5], pl.Series([3, 4, 5, 6, 7, 8, None]))
    sd = math.sqrt((4 * 2.5 + 5 * 3.5) / 9)
    d = -2.5 / sd
    j = math.gamma(4.5) / (math.sqrt(4.5) * math.gamma(4))
    assert result.cohens_d == pytest.approx(d, rel=1e-12)
    assert result.correction == pytest.approx(j, rel=1e-12)
    assert result.correction == pytest.approx(1 - 3 / (4 * 9 - 1), abs=1e-3)
    g = j * d
    assert result.estimate == pytest.approx(g, rel=1e-12)
    se = math.sqrt(11 / 30 + g * g / 22)
    assert result.std_error == pytest.approx(se, rel=1e-12)
    assert (result.ci_low, result.ci_high) == pytest.approx((g - 1.959963984540054 * se, g + 1.959963984540054 * se))
    assert (result.n_x, result.n_y, result.n) == (5, 6, 11)
    assert hedges_correction(1000) == pytest.approx(1 - 3 / 3999, rel=1e-6)


def test_tests_reject_degenerate_input() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        welch_t([1.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="constant"):
        hedges_g([1.0, 1.0], [1.0, 1.0])
    with pytest.raises(ValueError, match="alternative"):
        welch_t([1.0, 2.0], [1.0, 3.0], alternative="bigger")  # type: ignore[arg-type]
