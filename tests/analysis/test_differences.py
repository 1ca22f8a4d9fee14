"""Difference of independent proportions against Newcombe (1998b) and independent computations.

Sources:
- [N98b] Newcombe RG (1998). Interval estimation for the difference between independent
  proportions: comparison of eleven methods. Stat Med 17:873–890, Table II, examples (a)–(h),
  4 decimals. Method 10 (hybrid score) values (a) and (b) are as published (also quoted by the
  R package propint's test suite); (c)–(h) are as we recall the table and were not re-checked
  against the printed page, so every method-10 value below was re-derived in R from R's own
  Wilson limits: ``w <- prop.test(x, n, correct=FALSE)$conf.int`` (0 and 1 at x = 0, n), then
  ``d - sqrt((p1-l1)^2 + (u2-p2)^2)``, ``d + sqrt((u1-p1)^2 + (p2-l2)^2)``.
- [R-MN] Miettinen–Nurminen limits computed in R with a *numerical* restricted MLE
  (``optimize`` on the log-likelihood over p1 in [max(0, d), min(1, 1 + d)]) and ``uniroot`` on
  (p1^ − p2^ − d)²/V(d) − qchisq(.95, 1), V = (p~1q~1/n1 + p~2q~2/n2)·N/(N−1) — independent of
  the closed-form cubic used in the package. These agree with the 4-decimal MN values of [N98b]
  Table II (method 6) as far as we can recall them: (a) 0.0528, 0.3382; (f) ±0.2879;
  (g) 0.7156.
- [R-prop.test] ``sqrt(prop.test(c(x1, x2), c(n1, n2), correct=FALSE)$statistic)`` and its
  ``$p.value`` for the pooled score test.
"""

from __future__ import annotations

import math

import pytest
from scipy import optimize

from pmp_surveys.analysis.differences import (
    DIFFERENCE_METHODS,
    difference_ci,
    miettinen_nurminen_statistic,
    restricted_mle,
)

EXAMPLES = {
    "a": (56, 70, 48, 80),
    "b": (9, 10, 3, 10),
    "c": (6, 7, 2, 7),
    "d": (5, 56, 0, 29),
    "e": (0, 10, 0, 20),
    "f": (0, 10, 0, 10),
    "g": (10, 10, 0, 20),
    "h": (10, 10, 0, 10),
}

# [N98b] Table II method 10, 4 d.p. (each confirmed by the R computation in the module docstring)
NEWCOMBE_METHOD_10 = {
    "a": (0.0524, 0.3339),
    "b": (0.1705, 0.8090),
    "c": (0.0582, 0.8062),
    "d": (-0.0381, 0.1926),
    "e": (-0.1611, 0.2775),
    "f": (-0.2775, 0.2775),
    "g": (0.6791, 1.0000),
    "h": (0.6075, 1.0000),
}

# [R-MN], 12 significant digits (R optimize tolerance limits agreement to ~1e-8)
MIETTINEN_NURMINEN_R = {
    "a": (0.0528297132335, 0.338172940049),
    "b": (0.170025017354, 0.840649544208),
    "c": (0.0341755442335, 0.853405259889),
    "d": (-0.0325965626669, 0.193330982777),
    "e": (-0.165760227542, 0.284381347159),
    "f": (-0.287933941282, 0.287933952884),
    "g": (0.715618659665, 1.0),
    "h": (0.663641551895, 1.0),
}


@pytest.mark.parametrize("label", sorted(EXAMPLES))
def test_newcombe_method_10_table_ii(label: str) -> None:
    x1, n1, x2, n2 = EXAMPLES[label]
    r = difference_ci(x1, n1, x2, n2)
    low, high = NEWCOMBE_METHOD_10[label]
    assert r.method == "newcombe"
    assert r.estimate == pytest.approx(x1 / n1 - x2 / n2)
    assert r.ci_low == pytest.approx(low, abs=5e-5)
    assert r.ci_high == pytest.approx(high, abs=5e-5)


def test_newcombe_matches_statsmodels_newcomb() -> None:
    from statsmodels.stats.proportion import confint_proportions_2indep

    for x1, n1, x2, n2 in EXAMPLES.values():
        low, high = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb")
        r = difference_ci(x1, n1, x2, n2)
        assert r.ci_low == pytest.approx(low, abs=1e-12)
        assert r.ci_high == pytest.approx(high, abs=1e-12)


@pytest.mark.parametrize("label", sorted(EXAMPLES))
def test_miettinen_nurminen_against_independent_r(label: str) -> None:
    x1, n1, x2, n2 = EXAMPLES[label]
    r = difference_ci(x1, n1, x2, n2, method="miettinen-nurminen")
    low, high = MIETTINEN_NURMINEN_R[label]
    assert r.ci_low == pytest.approx(low, abs=1e-7)
    assert r.ci_high == pytest.approx(high, abs=1e-7)


def test_miettinen_nurminen_recalled_published_digits() -> None:
    a = difference_ci(*EXAMPLES["a"], method="miettinen-nurminen")
    f = difference_ci(*EXAMPLES["f"], method="miettinen-nurminen")
    g = difference_ci(*EXAMPLES["g"], method="miettinen-nurminen")
    assert (round(a.ci_low or 0, 4), round(a.ci_high or 0, 4)) == (0.0528, 0.3382)
    assert (round(f.ci_low or 0, 4), round(f.ci_high or 0, 4)) == (-0.2879, 0.2879)
    assert (round(g.ci_low or 0, 4), g.ci_high) == (0.7156, 1.0)


def test_miettinen_nurminen_closed_form_for_zero_zero() -> None:
    # 0/10 vs 0/10: restricted MLE at δ > 0 is (δ, 0), so the bound solves
    # δ² / (δ(1−δ)/10 · 20/19) = z², i.e. δ/(1−δ) = z²/9.5.
    z2 = 1.959963984540054**2
    expected = (z2 / 9.5) / (1 + z2 / 9.5)
    r = difference_ci(0, 10, 0, 10, method="miettinen-nurminen")
    assert r.ci_high == pytest.approx(expected, abs=1e-10)
    assert r.ci_low == pytest.approx(-expected, abs=1e-10)


@pytest.mark.parametrize("case", [(56, 70, 48, 80), (5, 56, 0, 29), (3, 7, 9, 11), (0, 10, 4, 20)])
@pytest.mark.parametrize("delta", [-0.6, -0.2, 0.0, 0.15, 0.5])
def test_restricted_mle_matches_numerical_maximisation(case: tuple[int, int, int, int], delta: float) -> None:
    x1, n1, x2, n2 = case
    lo, hi = max(0.0, delta), min(1.0, 1.0 + delta)

    def negative_log_likelihood(q1: float) -> float:
        q2 = q1 - delta
        total = 0.0
        for x, n, q in ((x1, n1, q1), (x2, n2, q2)):
            if x:
                total += x * math.log(max(q, 1e-300))
            if n - x:
                total += (n - x) * math.log(max(1 - q, 1e-300))
        return -total

    best = optimize.minimize_scalar(
        negative_log_likelihood, bounds=(lo, hi), method="bounded", options={"xatol": 1e-12}
    )
    p1, p2 = restricted_mle(x1, n1, x2, n2, delta)
    assert p1 - p2 == pytest.approx(delta, abs=1e-12)
    assert p1 == pytest.approx(best.x, abs=1e-6)


def test_pooled_score_test_matches_r_prop_test() -> None:
    # [R-prop.test]: (sqrt(X-squared), p-value)
    expected = {
        (56, 70, 48, 80): (2.65017195126, 0.0080450813682),
        (9, 10, 3, 10): (2.73861278753, 0.00616989932054),
        (5, 56, 0, 29): (1.65864886924, 0.0971865681706),
    }
    for (x1, n1, x2, n2), (z, p) in expected.items():
        for method in ("newcombe", "agresti-caffo"):
            r = difference_ci(x1, n1, x2, n2, method=method)
            assert r.test.method == "score-pooled"
            assert r.test.statistic == pytest.approx(z, rel=1e-10)
            assert r.test.p_value == pytest.approx(p, rel=1e-9)
            assert r.test.alternative == "two-sided"


def test_mn_test_is_pooled_score_with_n_minus_one_factor() -> None:
    x1, n1, x2, n2 = EXAMPLES["a"]
    r = difference_ci(x1, n1, x2, n2, method="miettinen-nurminen")
    assert r.test.method == "miettinen-nurminen-score"
    assert r.test.statistic == pytest.approx(2.65017195126 * math.sqrt(149 / 150), rel=1e-10)
    assert r.test.statistic == pytest.approx(miettinen_nurminen_statistic(x1, n1, x2, n2, 0.0), rel=1e-12)


def test_wald_and_agresti_caffo_by_formula() -> None:
    z = 1.959963984540054
    x1, n1, x2, n2 = EXAMPLES["c"]
    p1, p2 = x1 / n1, x2 / n2
    se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    wald = difference_ci(x1, n1, x2, n2, method="wald")
    assert wald.ci_low == pytest.approx(p1 - p2 - z * se, abs=1e-14)
    assert wald.ci_high == pytest.approx(p1 - p2 + z * se, abs=1e-14)
    assert wald.std_error == pytest.approx(se)
    assert wald.test.statistic == pytest.approx((p1 - p2) / se)
    q1, q2 = 7 / 9, 3 / 9
    se_ac = math.sqrt(q1 * (1 - q1) / 9 + q2 * (1 - q2) / 9)
    ac = difference_ci(x1, n1, x2, n2, method="agresti-caffo")
    assert ac.ci_low == pytest.approx(q1 - q2 - z * se_ac, abs=1e-14)
    assert ac.ci_high == pytest.approx(q1 - q2 + z * se_ac, abs=1e-14)
    assert ac.estimate == pytest.approx(p1 - p2)


@pytest.mark.parametrize("method", DIFFERENCE_METHODS)
def test_swapping_groups_mirrors_interval(method: str) -> None:
    for x1, n1, x2, n2 in EXAMPLES.values():
        forward = difference_ci(x1, n1, x2, n2, method=method)  # type: ignore[arg-type]
        backward = difference_ci(x2, n2, x1, n1, method=method)  # type: ignore[arg-type]
        assert forward.ci_low == pytest.approx(-(backward.ci_high or 0.0), abs=1e-9)
        assert forward.ci_high == pytest.approx(-(backward.ci_low or 0.0), abs=1e-9)


@pytest.mark.parametrize("method", DIFFERENCE_METHODS)
def test_interval_contains_estimate_in_range(method: str) -> None:
    for x1 in range(0, 8):
        for x2 in range(0, 5):
            r = difference_ci(x1, 7, x2, 4, method=method)  # type: ignore[arg-type]
            assert r.ci_low is not None
            assert r.ci_high is not None
            assert r.estimate is not None
            assert -1.0 <= r.ci_low <= r.estimate + 1e-12
            assert r.estimate - 1e-12 <= r.ci_high <= 1.0


def test_both_zero_gives_p_one_and_wald_undefined_when_degenerate() -> None:
    r = difference_ci(0, 10, 0, 20)
    assert r.test.statistic == 0.0
    assert r.test.p_value == 1.0
    w = difference_ci(10, 10, 0, 10, method="wald")
    assert w.test.statistic is None
    assert w.test.p_value is None
    assert (w.ci_low, w.ci_high) == (1.0, 1.0)


def test_one_sided_test() -> None:
    greater = difference_ci(56, 70, 48, 80, alternative="greater")
    less = difference_ci(56, 70, 48, 80, alternative="less")
    two = difference_ci(56, 70, 48, 80)
    assert greater.test.p_value == pytest.approx((two.test.p_value or 0) / 2)
    assert (greater.test.p_value or 0) + (less.test.p_value or 0) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("case", "low", "high"),
    [
        # [R-MN] mn(1, 1, 0, 1), mn(1, 1, 1, 2), mn(0, 1, 0, 1): with N = 2 the N/(N−1) factor doubles V.
        ((1, 1, 0, 1), -0.586901371246, 1.0),
        ((1, 1, 1, 2), -0.641586314177, 0.930795999741),
        ((0, 1, 0, 1), -0.884831338808, 0.884831344254),
    ],
)
def test_miettinen_nurminen_tiny_samples(case: tuple[int, int, int, int], low: float, high: float) -> None:
    r = difference_ci(*case, method="miettinen-nurminen")
    assert r.ci_low == pytest.approx(low, abs=1e-7)
    assert r.ci_high == pytest.approx(high, abs=1e-7)


def test_invalid_input_raises() -> None:
    with pytest.raises(ValueError):
        difference_ci(0, 0, 1, 2)
    with pytest.raises(ValueError):
        difference_ci(3, 2, 1, 2)
    with pytest.raises(ValueError, match="method"):
        difference_ci(1, 2, 1, 2, method="score")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="alternative"):
        difference_ci(1, 2, 1, 2, alternative="larger")  # type: ignore[arg-type]
