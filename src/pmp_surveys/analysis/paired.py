"""Paired proportions (a re-surveyed panel): McNemar tests and Newcombe's paired interval.

The 2×2 table of n pairs, rows = first classification, columns = second::

                   second yes   second no
    first yes          a            b
    first no           c            d

p1 = (a+b)/n (first), p2 = (a+c)/n (second), and the difference p1 − p2 = (b − c)/n depends
only on the discordant cells b and c. For a panel's change "after − before", put the *after*
wave in the rows (first), or swap b and c.

References
----------
- Newcombe RG (1998c). Improved confidence intervals for the difference between binomial
  proportions based on paired data. Statistics in Medicine 17:2635–2650.
- McNemar Q (1947). Note on the sampling error of the difference between correlated proportions
  or percentages. Psychometrika 12:153–157.
- Fagerland MW, Lydersen S, Laake P (2013). The McNemar test for binary matched-pairs data:
  mid-p and asymptotic are better than exact conditional. BMC Medical Research Methodology 13:91.
"""

from __future__ import annotations

import math
from typing import Literal, get_args

from scipy import special, stats

from pmp_surveys.analysis.differences import normal_p_value
from pmp_surveys.analysis.proportions import check_count, normal_quantile, wilson_limits
from pmp_surveys.analysis.results import (
    Alternative,
    Result,
    TestResult,
    check_alternative,
    check_confidence_level,
)

McNemarMethod = Literal["exact", "mid-p", "chi-square", "chi-square-corrected"]
MCNEMAR_METHODS: tuple[McNemarMethod, ...] = get_args(McNemarMethod)
PairedMethod = Literal["newcombe", "wald"]
PAIRED_METHODS: tuple[PairedMethod, ...] = get_args(PairedMethod)


class PairedDifferenceResult(Result, frozen=True, kw_only=True):
    """p1 − p2 = (b − c)/n for paired data, its interval and a McNemar test of p1 = p2.

    `std_error` is the Wald standard error sqrt(b + c − (b − c)²/n)/n. `suppressed=True` (set
    only by :mod:`.suppression`) means every numeric field is None.
    """

    estimate: float | None
    std_error: float | None
    ci_low: float | None
    ci_high: float | None
    confidence_level: float
    method: PairedMethod
    p1: float | None
    p2: float | None
    n: int
    test: TestResult
    suppressed: bool = False


def _check_table(a: int, b: int, c: int, d: int) -> tuple[int, int, int, int]:
    cells = (check_count(a, "a"), check_count(b, "b"), check_count(c, "c"), check_count(d, "d"))
    if sum(cells) == 0:
        raise ValueError("the paired table is empty (a + b + c + d = 0)")
    return cells


def mcnemar_test(
    b: int,
    c: int,
    *,
    method: McNemarMethod = "exact",
    alternative: Alternative = "two-sided",
) -> TestResult:
    r"""McNemar's test of marginal homogeneity (p1 = p2) from the discordant counts b and c.

    Under H0, b | (b + c) ~ Binomial(b + c, ½). "greater" means p1 > p2 (b large).

    - ``exact`` (conditional binomial): one-sided P(B ≥ b) or P(B ≤ b); two-sided
      min(1, 2·min(P(B ≤ b), P(B ≥ b))) — equal to R ``binom.test(b, b + c, 0.5)`` and
      ``mcnemar.exact`` in exact2x2. Statistic = b.
    - ``mid-p`` (Fagerland et al. 2013): each tail counts only half of P(B = b), e.g. one-sided
      P(B > b) + ½P(B = b); two-sided twice the smaller such tail, capped at 1. Statistic = b.
    - ``chi-square``: X² = (b − c)²/(b + c) on 1 df (R ``mcnemar.test(correct=FALSE)``).
    - ``chi-square-corrected``: X² = (|b − c| − 1)²/(b + c), with Edwards' continuity correction
      (R ``mcnemar.test()`` default); when |b − c| ≤ 1 the corrected statistic is 0.

    The chi-square statistic is reported for every alternative; one-sided p-values use the
    signed root z = sign(b − c)·sqrt(X²). With no discordant pairs (b = c = 0) every method
    gives statistic 0 and p = 1 (two-sided) or ½ (one-sided normal methods) / 1 (exact).
    """
    if method not in MCNEMAR_METHODS:
        raise ValueError(f"method must be one of {MCNEMAR_METHODS}, got {method!r}")
    alternative = check_alternative(alternative)
    b, c = check_count(b, "b"), check_count(c, "c")
    m = b + c
    name = f"mcnemar-{method}"
    if method in ("exact", "mid-p"):
        if m == 0:
            return TestResult(statistic=0.0, p_value=1.0, alternative=alternative, method=name)
        half = 0.5 if method == "mid-p" else 0.0
        point = float(stats.binom.pmf(b, m, 0.5))
        upper = float(stats.binom.sf(b - 1, m, 0.5)) - half * point  # P(B >= b)
        lower = float(stats.binom.cdf(b, m, 0.5)) - half * point  # P(B <= b)
        if alternative == "greater":
            p = upper
        elif alternative == "less":
            p = lower
        else:
            p = 2.0 * min(upper, lower)
        return TestResult(statistic=float(b), p_value=min(1.0, p), alternative=alternative, method=name)
    if m == 0:
        return TestResult(statistic=0.0, p_value=normal_p_value(0.0, alternative), alternative=alternative, method=name)
    diff = abs(b - c) - (1.0 if method == "chi-square-corrected" else 0.0)
    diff = max(diff, 0.0)
    chi2 = diff * diff / m
    z = math.copysign(math.sqrt(chi2), b - c)
    p = float(special.chdtrc(1, chi2)) if alternative == "two-sided" else normal_p_value(z, alternative)
    return TestResult(statistic=chi2, p_value=p, alternative=alternative, method=name)


def paired_difference_ci(
    a: int,
    b: int,
    c: int,
    d: int,
    *,
    confidence_level: float = 0.95,
    method: PairedMethod = "newcombe",
    test: McNemarMethod = "exact",
    alternative: Alternative = "two-sided",
) -> PairedDifferenceResult:
    r"""Difference of paired proportions p1 − p2 = (b − c)/n, with interval and McNemar test.

    ``newcombe`` (default; Newcombe 1998c method 10, square-and-add of Wilson score limits):
    with p1 = (a+b)/n, p2 = (a+c)/n, Wilson limits (l1, u1), (l2, u2) and the corrected
    correlation

        φ̂ = A/sqrt((a+b)(c+d)(a+c)(b+d)),  A = ad − bc − n/2 if ad − bc > n/2,
                                             0 if 0 ≤ ad − bc ≤ n/2,  ad − bc if ad < bc,

    (φ̂ = 0 when any margin is 0),

        L = θ̂ − sqrt((p1 − l1)² − 2φ̂(p1 − l1)(u2 − p2) + (u2 − p2)²),
        U = θ̂ + sqrt((p2 − l2)² − 2φ̂(p2 − l2)(u1 − p1) + (u1 − p1)²).

    ``wald`` (Newcombe 1998c method 1): θ̂ ± z·sqrt(b + c − (b − c)²/n)/n, clipped to [−1, 1].

    The test (``test``, see :func:`mcnemar_test`) defaults to the exact conditional McNemar
    test. Edge cases: no discordant pairs give θ̂ = 0 and a non-degenerate Newcombe interval
    (e.g. a = 53, d = 1 gives ±0.0729); an all-zero table raises ValueError.
    """
    if method not in PAIRED_METHODS:
        raise ValueError(f"method must be one of {PAIRED_METHODS}, got {method!r}")
    check_confidence_level(confidence_level)
    alternative = check_alternative(alternative)
    a, b, c, d = _check_table(a, b, c, d)
    n = a + b + c + d
    z = normal_quantile(confidence_level)
    theta = (b - c) / n
    p1, p2 = (a + b) / n, (a + c) / n
    variance = max(0.0, b + c - (b - c) ** 2 / n) / (n * n)
    if method == "newcombe":
        l1, u1 = wilson_limits(a + b, n, z)
        l2, u2 = wilson_limits(a + c, n, z)
        margins = (a + b) * (c + d) * (a + c) * (b + d)
        cross = a * d - b * c
        if margins == 0:
            phi = 0.0
        else:
            if cross > n / 2:
                numerator = cross - n / 2
            elif cross >= 0:
                numerator = 0.0
            else:
                numerator = float(cross)
            phi = numerator / math.sqrt(margins)
        dl1, du1, dl2, du2 = p1 - l1, u1 - p1, p2 - l2, u2 - p2
        low = theta - math.sqrt(max(0.0, dl1 * dl1 - 2.0 * phi * dl1 * du2 + du2 * du2))
        high = theta + math.sqrt(max(0.0, dl2 * dl2 - 2.0 * phi * dl2 * du1 + du1 * du1))
    else:
        half = z * math.sqrt(variance)
        low, high = theta - half, theta + half
    return PairedDifferenceResult(
        estimate=theta,
        std_error=math.sqrt(variance),
        ci_low=max(-1.0, low),
        ci_high=min(1.0, high),
        confidence_level=confidence_level,
        method=method,
        p1=p1,
        p2=p2,
        n=n,
        test=mcnemar_test(b, c, method=test, alternative=alternative),
    )
