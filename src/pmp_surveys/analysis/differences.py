"""Difference of two independent proportions: interval and test of no difference.

Used for before/after comparisons between two independent survey waves (DESIGN.md §5).

References
----------
- Newcombe RG (1998b). Interval estimation for the difference between independent proportions:
  comparison of eleven methods. Statistics in Medicine 17:873–890.
- Miettinen O, Nurminen M (1985). Comparative analysis of two rates. Statistics in Medicine
  4:213–226.
- Farrington CP, Manning G (1990). Test statistics and sample size formulae for comparative
  binomial trials with null hypothesis of non-zero risk difference or non-unity relative risk.
  Statistics in Medicine 9:1447–1454 (closed-form restricted MLE).
- Agresti A, Caffo B (2000). Simple and effective confidence intervals for proportions and
  differences of proportions result from adding two successes and two failures. The American
  Statistician 54:280–288.
"""

from __future__ import annotations

import math
from typing import Literal, get_args

from scipy import optimize, special

from pmp_surveys.analysis.proportions import check_successes, normal_quantile, wilson_limits
from pmp_surveys.analysis.results import (
    Alternative,
    Result,
    TestResult,
    check_alternative,
    check_confidence_level,
)

DifferenceMethod = Literal["newcombe", "wald", "agresti-caffo", "miettinen-nurminen"]
DIFFERENCE_METHODS: tuple[DifferenceMethod, ...] = get_args(DifferenceMethod)


class DifferenceResult(Result, frozen=True, kw_only=True):
    """p1 − p2 for two independent samples, its interval and a test of p1 = p2.

    `std_error` is the unpooled Wald standard error sqrt(p1(1−p1)/n1 + p2(1−p2)/n2).
    `suppressed=True` (set only by :mod:`.suppression`) means every numeric field is None.
    """

    estimate: float | None
    std_error: float | None
    ci_low: float | None
    ci_high: float | None
    confidence_level: float
    method: DifferenceMethod
    p1: float | None
    p2: float | None
    n1: int
    n2: int
    test: TestResult
    suppressed: bool = False


def normal_p_value(z: float, alternative: Alternative) -> float:
    """P-value of a standard normal statistic z; "greater" means large z is evidence."""
    if alternative == "greater":
        return float(special.ndtr(-z))
    if alternative == "less":
        return float(special.ndtr(z))
    return min(1.0, 2.0 * float(special.ndtr(-abs(z))))


def _z_test(numerator: float, variance: float, alternative: Alternative, method: str) -> TestResult:
    """z = numerator / sqrt(variance); 0/0 gives z = 0 (p = 1 two-sided), k/0 gives no test."""
    if variance <= 0.0:
        if numerator == 0.0:
            return TestResult(
                statistic=0.0,
                p_value=normal_p_value(0.0, alternative),
                alternative=alternative,
                method=method,
            )
        return TestResult(statistic=None, p_value=None, alternative=alternative, method=method)
    z = numerator / math.sqrt(variance)
    return TestResult(statistic=z, p_value=normal_p_value(z, alternative), alternative=alternative, method=method)


def restricted_mle(x1: int, n1: int, x2: int, n2: int, delta: float) -> tuple[float, float]:
    """Maximum-likelihood (p1, p2) under the constraint p1 − p2 = delta.

    Closed-form root of the likelihood-score cubic (Miettinen & Nurminen 1985 appendix;
    Farrington & Manning 1990 eq. 5), with θ = n2/n1:
    a = 1+θ, b = −(1 + θ + p̂1 + θp̂2 + δ(θ+2)), c = δ² + δ(2p̂1 + θ + 1) + p̂1 + θp̂2,
    d = −p̂1δ(1+δ); v = b³/(3a)³ − bc/(6a²) + d/(2a), u = sign(v)·sqrt(b²/(3a)² − c/(3a)),
    w = (π + arccos(v/u³))/3, p̃1 = 2u·cos(w) − b/(3a), p̃2 = p̃1 − δ.
    """
    p1_hat, p2_hat = x1 / n1, x2 / n2
    theta = n2 / n1
    a = 1.0 + theta
    b = -(1.0 + theta + p1_hat + theta * p2_hat + delta * (theta + 2.0))
    c = delta * delta + delta * (2.0 * p1_hat + theta + 1.0) + p1_hat + theta * p2_hat
    d = -p1_hat * delta * (1.0 + delta)
    v = b**3 / (27.0 * a**3) - b * c / (6.0 * a * a) + d / (2.0 * a)
    radicand = max(0.0, b * b / (9.0 * a * a) - c / (3.0 * a))
    u = math.copysign(math.sqrt(radicand), v) if v != 0.0 else math.sqrt(radicand)
    if u == 0.0:
        p1_tilde = -b / (3.0 * a)
    else:
        cos_arg = min(1.0, max(-1.0, v / u**3))
        w = (math.pi + math.acos(cos_arg)) / 3.0
        p1_tilde = 2.0 * u * math.cos(w) - b / (3.0 * a)
    low, high = max(0.0, delta), min(1.0, 1.0 + delta)
    p1_tilde = min(high, max(low, p1_tilde))
    return p1_tilde, p1_tilde - delta


def miettinen_nurminen_statistic(x1: int, n1: int, x2: int, n2: int, delta: float) -> float:
    """Signed MN score statistic for H0: p1 − p2 = delta.

    z = (p̂1 − p̂2 − δ) / sqrt([p̃1(1−p̃1)/n1 + p̃2(1−p̃2)/n2] · N/(N−1)), N = n1 + n2, with
    (p̃1, p̃2) the restricted MLE. Returns ±inf when the restricted variance is 0 and the
    numerator is not, 0 when both are 0.
    """
    p1_tilde, p2_tilde = restricted_mle(x1, n1, x2, n2, delta)
    total = n1 + n2
    variance = (p1_tilde * (1.0 - p1_tilde) / n1 + p2_tilde * (1.0 - p2_tilde) / n2) * total / (total - 1)
    numerator = x1 / n1 - x2 / n2 - delta
    if variance <= 0.0:
        return 0.0 if numerator == 0.0 else math.copysign(math.inf, numerator)
    return numerator / math.sqrt(variance)


def _miettinen_nurminen(x1: int, n1: int, x2: int, n2: int, z: float) -> tuple[float, float]:
    """Invert the MN score test: {δ : z_MN(δ)² ≤ z²} by Brent's method on each side of δ̂."""
    d_hat = x1 / n1 - x2 / n2
    crit = z * z
    cap = 1e12

    def excess(delta: float) -> float:
        stat = miettinen_nurminen_statistic(x1, n1, x2, n2, delta)
        return min(stat * stat, cap) - crit

    bounds: list[float] = []
    for end in (-1.0, 1.0):
        if d_hat == end or excess(end) <= 0.0:
            bounds.append(end)
            continue
        root = optimize.brentq(excess, *sorted((d_hat, end)), xtol=1e-13, rtol=1e-15, maxiter=500)
        bounds.append(float(root))
    return bounds[0], bounds[1]


def difference_ci(
    x1: int,
    n1: int,
    x2: int,
    n2: int,
    *,
    confidence_level: float = 0.95,
    method: DifferenceMethod = "newcombe",
    alternative: Alternative = "two-sided",
) -> DifferenceResult:
    r"""Difference p1 − p2 of two independent proportions x1/n1 and x2/n2.

    Intervals (z = z_{1−α/2}):

    - ``newcombe`` (default; Newcombe 1998b method 10, hybrid score, no continuity
      correction): with Wilson limits (l_i, u_i) for each p_i,
      L = δ̂ − sqrt((p̂1 − l1)² + (u2 − p̂2)²), U = δ̂ + sqrt((u1 − p̂1)² + (p̂2 − l2)²).
    - ``wald`` (method 1): δ̂ ± z·sqrt(p̂1q̂1/n1 + p̂2q̂2/n2), clipped to [−1, 1]; degenerate
      (zero width) when both proportions are 0 or 1.
    - ``agresti-caffo`` (Agresti & Caffo 2000): Wald interval after adding one success and one
      failure to each group, p̃_i = (x_i+1)/(n_i+2); clipped to [−1, 1]. The reported estimate
      is still the raw δ̂.
    - ``miettinen-nurminen`` (Newcombe 1998b method 6; MN 1985): the set of δ whose MN score
      statistic (see :func:`miettinen_nurminen_statistic`) satisfies z_MN(δ)² ≤ z², found by
      root-finding on each side of δ̂ with the closed-form restricted MLE. Implemented here
      because statsmodels 0.15 ``confint_proportions_2indep(method="score")`` is wrong.

    Test of H0: p1 = p2 (``test``; "greater" means p1 > p2):

    - newcombe, agresti-caffo: pooled score z test, z = δ̂ / sqrt(p̄q̄(1/n1 + 1/n2)) with
      p̄ = (x1+x2)/(n1+n2) — the same as Pearson's chi-square without Yates' correction
      (R ``prop.test(correct=FALSE)``); method name ``"score-pooled"``.
    - miettinen-nurminen: the MN score test at δ = 0 (pooled z times sqrt((N−1)/N));
      ``"miettinen-nurminen-score"``.
    - wald: unpooled z = δ̂ / std_error; ``"wald"``.

    Edge cases: both groups 0 (or both all-successes) give z = 0 and p = 1 for the score tests;
    the Wald test is undefined (statistic and p-value None) when its standard error is 0 but
    δ̂ ≠ 0. n1 = 0 or n2 = 0 raises ValueError.
    """
    if method not in DIFFERENCE_METHODS:
        raise ValueError(f"method must be one of {DIFFERENCE_METHODS}, got {method!r}")
    check_confidence_level(confidence_level)
    alternative = check_alternative(alternative)
    x1, n1 = check_successes(x1, n1)
    x2, n2 = check_successes(x2, n2)
    z = normal_quantile(confidence_level)
    p1, p2 = x1 / n1, x2 / n2
    d_hat = p1 - p2
    wald_variance = p1 * (1.0 - p1) / n1 + p2 * (1.0 - p2) / n2

    if method == "newcombe":
        l1, u1 = wilson_limits(x1, n1, z)
        l2, u2 = wilson_limits(x2, n2, z)
        low = d_hat - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
        high = d_hat + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    elif method == "wald":
        half = z * math.sqrt(wald_variance)
        low, high = d_hat - half, d_hat + half
    elif method == "agresti-caffo":
        q1, q2 = (x1 + 1) / (n1 + 2), (x2 + 1) / (n2 + 2)
        half = z * math.sqrt(q1 * (1.0 - q1) / (n1 + 2) + q2 * (1.0 - q2) / (n2 + 2))
        low, high = q1 - q2 - half, q1 - q2 + half
    else:
        low, high = _miettinen_nurminen(x1, n1, x2, n2, z)

    pooled = (x1 + x2) / (n1 + n2)
    pooled_variance = pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)
    if method == "wald":
        test = _z_test(d_hat, wald_variance, alternative, "wald")
    elif method == "miettinen-nurminen":
        total = n1 + n2
        test = _z_test(d_hat, pooled_variance * total / (total - 1), alternative, "miettinen-nurminen-score")
    else:
        test = _z_test(d_hat, pooled_variance, alternative, "score-pooled")

    return DifferenceResult(
        estimate=d_hat,
        std_error=math.sqrt(wald_variance),
        ci_low=max(-1.0, low),
        ci_high=min(1.0, high),
        confidence_level=confidence_level,
        method=method,
        p1=p1,
        p2=p2,
        n1=n1,
        n2=n2,
        test=test,
    )
