"""Single-proportion intervals against published and independently computed values.

Sources:
- [N98a] Newcombe RG (1998). Two-sided confidence intervals for the single proportion:
  comparison of seven methods. Stat Med 17:857–872, Table II (4 decimals; method 1 = Wald,
  3 = Wilson score, 5 = Clopper–Pearson). Each published digit below was re-derived in R 4.x:
  Wilson = ``prop.test(x, n, correct=FALSE)$conf.int``, Clopper–Pearson =
  ``binom.test(x, n)$conf.int``; Wald by the formula.
- [R-qbeta] Jeffreys with Brown–Cai–DasGupta (2001, Stat Sci 16:101–133, §4.1.2) boundary
  modification, computed in R: ``lo <- if (x == 0) 0 else qbeta(0.025, x + .5, n - x + .5);
  hi <- if (x == n) 1 else qbeta(0.975, x + .5, n - x + .5)``.
- [R-AC] Agresti–Coull (BCD 2001 §4.1.3) computed in R: ``z <- qnorm(.975); nt <- n + z^2;
  pt <- (x + z^2/2)/nt; h <- z*sqrt(pt*(1-pt)/nt); c(max(0, pt-h), min(1, pt+h))``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import binomtest

from pmp_surveys.analysis.proportions import PROPORTION_METHODS, proportion_ci

# (x, n, method, low, high) — [N98a] Table II, 4 d.p.
NEWCOMBE_1998A = [
    (81, 263, "wald", 0.2522, 0.3638),
    (81, 263, "wilson", 0.2553, 0.3662),
    (81, 263, "clopper-pearson", 0.2527, 0.3676),
    (15, 148, "wald", 0.0527, 0.1500),
    (15, 148, "wilson", 0.0624, 0.1605),
    (15, 148, "clopper-pearson", 0.0578, 0.1617),
    (0, 20, "wald", 0.0, 0.0),
    (0, 20, "wilson", 0.0, 0.1611),
    (0, 20, "clopper-pearson", 0.0, 0.1684),
    # Wald for 1/29: the untruncated lower limit is −0.0320 (an overt aberration in [N98a]'s
    # terms); we truncate at 0. Upper 0.1009 = 1/29 + 1.959964·sqrt((1/29)(28/29)/29) by the
    # formula (not checked against the printed page).
    (1, 29, "wald", 0.0, 0.1009),
    (1, 29, "wilson", 0.0061, 0.1718),
    (1, 29, "clopper-pearson", 0.0009, 0.1776),
]


@pytest.mark.parametrize(("x", "n", "method", "low", "high"), NEWCOMBE_1998A)
def test_newcombe_1998a_table(x: int, n: int, method: str, low: float, high: float) -> None:
    result = proportion_ci(x, n, method=method)  # type: ignore[arg-type]
    assert result.ci_low == pytest.approx(low, abs=5e-5)
    assert result.ci_high == pytest.approx(high, abs=5e-5)
    assert result.estimate == pytest.approx(x / n)
    assert result.method == method
    assert result.confidence_level == 0.95
    assert result.n == n


# (x, n, low, high) — [R-qbeta], full precision
JEFFREYS_R = [
    (81, 263, 0.254521934991, 0.365647499174),
    (15, 148, 0.0604485170093, 0.157643143479),
    (0, 20, 0.0, 0.116638982905),
    (1, 29, 0.00374617364906, 0.150077686002),
    (20, 20, 0.883361017095, 1.0),
    (0, 1, 0.0, 0.85325368369),
    (1, 1, 0.14674631631, 1.0),
]


@pytest.mark.parametrize(("x", "n", "low", "high"), JEFFREYS_R)
def test_jeffreys_against_r(x: int, n: int, low: float, high: float) -> None:
    result = proportion_ci(x, n, method="jeffreys")
    assert result.ci_low == pytest.approx(low, abs=1e-10)
    assert result.ci_high == pytest.approx(high, abs=1e-10)


def test_jeffreys_has_bcd_boundary_modification_unlike_statsmodels() -> None:
    from statsmodels.stats.proportion import proportion_confint

    sm_low, _ = proportion_confint(0, 20, method="jeffreys")
    assert sm_low > 0.0  # statsmodels 0.15: 2.42e-05, no boundary modification
    assert proportion_ci(0, 20, method="jeffreys").ci_low == 0.0
    assert proportion_ci(20, 20, method="jeffreys").ci_high == 1.0


# (x, n, low, high) — [R-AC], full precision
AGRESTI_COULL_R = [
    (81, 263, 0.25522066519, 0.366277431671),
    (15, 148, 0.0613859749288, 0.161487666325),
    (0, 20, 0.0, 0.189809560542),
    (1, 29, 0.0, 0.186286508562),
    (20, 20, 0.810190439458, 1.0),
    (0, 1, 0.0, 0.832500514521),
    (1, 1, 0.167499485479, 1.0),
]


@pytest.mark.parametrize(("x", "n", "low", "high"), AGRESTI_COULL_R)
def test_agresti_coull_against_r(x: int, n: int, low: float, high: float) -> None:
    result = proportion_ci(x, n, method="agresti-coull")
    assert result.ci_low == pytest.approx(low, abs=1e-10)
    assert result.ci_high == pytest.approx(high, abs=1e-10)


@pytest.mark.parametrize("n", [1, 2, 7, 30, 263])
@pytest.mark.parametrize("confidence_level", [0.8, 0.95, 0.99])
def test_wilson_and_clopper_pearson_match_scipy_binomtest(n: int, confidence_level: float) -> None:
    xs = range(n + 1) if n <= 30 else (0, 1, 2, 81, 131, 132, 261, 262, 263)
    for x in xs:
        scipy_result = binomtest(x, n)
        for ours, theirs in (("wilson", "wilson"), ("clopper-pearson", "exact")):
            ci = scipy_result.proportion_ci(confidence_level=confidence_level, method=theirs)
            result = proportion_ci(x, n, method=ours, confidence_level=confidence_level)  # type: ignore[arg-type]
            assert result.ci_low == pytest.approx(ci.low, abs=1e-12)
            assert result.ci_high == pytest.approx(ci.high, abs=1e-12)


@pytest.mark.parametrize("method", PROPORTION_METHODS)
def test_boundaries_are_exact(method: str) -> None:
    for n in (1, 2, 20):
        zero = proportion_ci(0, n, method=method)  # type: ignore[arg-type]
        full = proportion_ci(n, n, method=method)  # type: ignore[arg-type]
        assert zero.ci_low == 0.0
        assert full.ci_high == 1.0
        assert zero.std_error == 0.0
        assert full.std_error == 0.0
        assert zero.estimate == 0.0
        assert full.estimate == 1.0


@pytest.mark.parametrize("method", PROPORTION_METHODS)
def test_interval_contains_estimate_and_lies_in_unit_range(method: str) -> None:
    for n in (1, 3, 10, 57):
        for x in range(n + 1):
            r = proportion_ci(x, n, method=method)  # type: ignore[arg-type]
            assert r.ci_low is not None
            assert r.ci_high is not None
            assert r.estimate is not None
            assert 0.0 <= r.ci_low <= r.estimate <= r.ci_high <= 1.0


def test_n_equals_one_wilson_by_formula() -> None:
    # x = 1, n = 1: Wilson lower = (2 + z² − z·sqrt(z²))/(2(1 + z²)) = 1/(1 + z²).
    z = 1.959963984540054
    assert proportion_ci(1, 1).ci_low == pytest.approx(1.0 / (1.0 + z * z), abs=1e-14)
    assert proportion_ci(0, 1).ci_high == pytest.approx(z * z / (1.0 + z * z), abs=1e-14)


def test_std_error_is_wald() -> None:
    r = proportion_ci(81, 263)
    p = 81 / 263
    assert r.std_error == pytest.approx(math.sqrt(p * (1 - p) / 263), rel=1e-15)


def test_wider_at_higher_confidence() -> None:
    for method in PROPORTION_METHODS:
        narrow = proportion_ci(15, 148, method=method, confidence_level=0.9)
        wide = proportion_ci(15, 148, method=method, confidence_level=0.99)
        assert wide.ci_low is not None
        assert narrow.ci_low is not None
        assert wide.ci_high is not None
        assert narrow.ci_high is not None
        assert wide.ci_low < narrow.ci_low
        assert wide.ci_high > narrow.ci_high


def test_accepts_numpy_and_integral_float_counts() -> None:
    r = proportion_ci(np.int64(15), 148.0)  # type: ignore[arg-type]
    assert r.n == 148
    assert r.estimate == pytest.approx(15 / 148)


@pytest.mark.parametrize(
    ("x", "n"),
    [(0, 0), (-1, 10), (11, 10), (1.5, 10), (1, float("nan")), (True, 10), ("3", 10)],
)
def test_invalid_counts_raise(x: object, n: object) -> None:
    with pytest.raises(ValueError):
        proportion_ci(x, n)  # type: ignore[arg-type]


def test_invalid_method_and_level_raise() -> None:
    with pytest.raises(ValueError, match="method"):
        proportion_ci(1, 10, method="exact")  # type: ignore[arg-type]
    for level in (0.0, 1.0, 95.0, -0.5):
        with pytest.raises(ValueError, match="confidence_level"):
            proportion_ci(1, 10, confidence_level=level)


def test_result_is_frozen_and_serialises() -> None:
    r = proportion_ci(3, 10)
    with pytest.raises(AttributeError):
        r.estimate = 0.5  # type: ignore[misc]
    d = r.to_dict()
    assert d["method"] == "wilson"
    assert d["suppressed"] is False
    assert r.to_frame().height == 1
