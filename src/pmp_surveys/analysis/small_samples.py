"""Continuity-corrected intervals and tests for simple random samples, the Mee interval,
Fisher's exact test and the one-sample Wald z.

References
----------
- Newcombe RG (1998a). Two-sided confidence intervals for the single proportion. Statistics in
  Medicine 17:857–872 (method 2: Wald with correction; method 4: Wilson with correction).
- Newcombe RG (1998b). Interval estimation for the difference between independent proportions.
  Statistics in Medicine 17:873–890 (method 11: square-and-add of method-4 limits).
- Mee RW (1984). Confidence bounds for the difference between two probabilities. Biometrics
  40:1175–1176 (the score interval; Miettinen–Nurminen without the n/(n − 1) factor).
- Yates F (1934). Contingency tables involving small numbers and the χ² test. JRSS Suppl. 1.
- Fisher RA (1935). The Design of Experiments (the tea-tasting table).
"""

from __future__ import annotations

import math
from typing import Literal

from scipy import optimize, special, stats

from pmp_surveys.analysis.proportions import check_successes, normal_quantile
from pmp_surveys.analysis.results import Alternative, Estimate, TestResult, check_alternative, check_confidence_level

CorrectedMethod = Literal["wilson-cc", "wald-cc"]


def _wilson_cc(x: int, n: int, z: float) -> tuple[float, float]:
    # R prop.test(x, n, correct=TRUE)$conf.int with the correction 0.5 (Newcombe 1998a method 4)
    p = x / n
    z22n = z * z / (2.0 * n)
    upper_c = p + 0.5 / n
    lower_c = p - 0.5 / n
    high = (
        1.0
        if upper_c >= 1.0
        else (upper_c + z22n + z * math.sqrt(upper_c * (1 - upper_c) / n + z22n / (2 * n))) / (1 + 2 * z22n)
    )
    low = (
        0.0
        if lower_c <= 0.0
        else (lower_c + z22n - z * math.sqrt(lower_c * (1 - lower_c) / n + z22n / (2 * n))) / (1 + 2 * z22n)
    )
    return low, high


def proportion_ci_corrected(
    successes: int, n: int, *, method: CorrectedMethod = "wilson-cc", confidence_level: float = 0.95
) -> Estimate:
    """Continuity-corrected interval for x/n.

    - ``wilson-cc``: Wilson score interval with continuity correction (Newcombe 1998a method 4),
      R ``prop.test(x, n, correct=TRUE)$conf.int`` (R shrinks the correction to |x − n/2| when
      that is below ½; here it is always ½, as Newcombe).
    - ``wald-cc``: p̂ ± (z·sqrt(p̂(1 − p̂)/n) + 1/(2n)), clipped to [0, 1] (method 2).

    Raises ValueError for invalid counts, method or confidence level.
    """
    check_confidence_level(confidence_level)
    x, trials = check_successes(successes, n)
    z = normal_quantile(confidence_level)
    p = x / trials
    if method == "wilson-cc":
        low, high = _wilson_cc(x, trials, z)
    elif method == "wald-cc":
        half = z * math.sqrt(p * (1 - p) / trials) + 0.5 / trials
        low, high = max(0.0, p - half), min(1.0, p + half)
    else:
        raise ValueError(f"method must be 'wilson-cc' or 'wald-cc', got {method!r}")
    return Estimate(
        estimate=p,
        std_error=math.sqrt(p * (1 - p) / trials),
        ci_low=low,
        ci_high=high,
        confidence_level=confidence_level,
        n=trials,
        method=method,
    )


def difference_ci_newcombe_cc(x1: int, n1: int, x2: int, n2: int, *, confidence_level: float = 0.95) -> Estimate:
    """Newcombe's (1998b) method 11 for p₁ − p₂: the hybrid score interval built from the
    continuity-corrected Wilson limits (l_i, u_i) of each proportion,
    ``d − sqrt((p₁−l₁)² + (u₂−p₂)²)`` to ``d + sqrt((u₁−p₁)² + (p₂−l₂)²)``.
    Published example: 56/70 vs 48/80 gives 0.0428 to 0.3422."""
    check_confidence_level(confidence_level)
    a, m1 = check_successes(x1, n1)
    b, m2 = check_successes(x2, n2)
    z = normal_quantile(confidence_level)
    p1, p2 = a / m1, b / m2
    l1, u1 = _wilson_cc(a, m1, z)
    l2, u2 = _wilson_cc(b, m2, z)
    d = p1 - p2
    return Estimate(
        estimate=d,
        std_error=math.sqrt(p1 * (1 - p1) / m1 + p2 * (1 - p2) / m2),
        ci_low=d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
        ci_high=d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2),
        confidence_level=confidence_level,
        n=m1 + m2,
        method="newcombe-11",
    )


def difference_ci_mee(x1: int, n1: int, x2: int, n2: int, *, confidence_level: float = 0.95) -> Estimate:
    """Mee's (1984) score interval for p₁ − p₂: the δ where
    ``(p̂₁ − p̂₂ − δ)/sqrt(p̃₁(1−p̃₁)/n₁ + p̃₂(1−p̃₂)/n₂)`` equals ±z, with (p̃₁, p̃₂ = p̃₁ − δ) the
    maximum likelihood under p₁ − p₂ = δ in Farrington & Manning's (1990) closed form; roots by
    brentq (xtol 1e-14). statsmodels' ``confint_proportions_2indep(method="score",
    correction=False)`` gives a different upper limit (0.3436 instead of 0.3377 for 56/70 vs
    48/80; a direct numerical maximisation of the restricted likelihood agrees with this one)."""
    check_confidence_level(confidence_level)
    a, m1 = check_successes(x1, n1)
    b, m2 = check_successes(x2, n2)
    p1, p2 = a / m1, b / m2
    z = normal_quantile(confidence_level)
    d = p1 - p2
    edge = 1.0 - 1e-10
    low = -1.0 if d <= -edge else optimize.brentq(lambda t: _mee_statistic(p1, m1, p2, m2, t) - z, -edge, d, xtol=1e-14)
    high = 1.0 if d >= edge else optimize.brentq(lambda t: _mee_statistic(p1, m1, p2, m2, t) + z, d, edge, xtol=1e-14)
    return Estimate(
        estimate=p1 - p2,
        std_error=math.sqrt(p1 * (1 - p1) / m1 + p2 * (1 - p2) / m2),
        ci_low=float(low),
        ci_high=float(high),
        confidence_level=confidence_level,
        n=m1 + m2,
        method="mee",
    )


def _mee_statistic(p1: float, n1: int, p2: float, n2: int, delta: float) -> float:
    theta = n2 / n1
    a = 1.0 + theta
    b = -(1.0 + theta + p1 + theta * p2 + delta * (theta + 2.0))
    c = delta * delta + delta * (2.0 * p1 + theta + 1.0) + p1 + theta * p2
    d = -p1 * delta * (1.0 + delta)
    v = b**3 / (27 * a**3) - b * c / (6 * a * a) + d / (2 * a)
    u = math.copysign(math.sqrt(max(b * b / (9 * a * a) - c / (3 * a), 0.0)), v)
    ratio = 1.0 if u == 0.0 else max(-1.0, min(1.0, v / u**3))
    q1 = 2.0 * u * math.cos((math.pi + math.acos(ratio)) / 3.0) - b / (3.0 * a)
    q2 = q1 - delta
    variance = max(q1 * (1 - q1), 0.0) / n1 + max(q2 * (1 - q2), 0.0) / n2
    if variance <= 0.0:
        return math.copysign(math.inf, p1 - p2 - delta)
    return (p1 - p2 - delta) / math.sqrt(variance)


def _yates(observed: list[float], expected: list[float]) -> float:
    correction = min(0.5, *(abs(o - e) for o, e in zip(observed, expected, strict=True)))
    return sum((abs(o - e) - correction) ** 2 / e for o, e in zip(observed, expected, strict=True))


def yates_test_two_samples(x1: int, n1: int, x2: int, n2: int) -> TestResult:
    """Yates-corrected χ² (1 df) for equal proportions in two samples, two-sided.
    R ``prop.test(c(x1, x2), c(n1, n2), correct=TRUE)`` (= ``chisq.test`` of the 2×2 table)."""
    a, m1 = check_successes(x1, n1)
    b, m2 = check_successes(x2, n2)
    pooled = (a + b) / (m1 + m2)
    if pooled in (0.0, 1.0):
        raise ValueError("all or none of the respondents are successes: the test is undefined")
    observed = [a, m1 - a, b, m2 - b]
    expected = [m1 * pooled, m1 * (1 - pooled), m2 * pooled, m2 * (1 - pooled)]
    statistic = _yates([float(o) for o in observed], expected)
    return TestResult(
        statistic=statistic, p_value=float(stats.chi2.sf(statistic, 1)), alternative="two-sided", method="yates"
    )


def yates_test_one_sample(successes: int, n: int, p0: float) -> TestResult:
    """Yates-corrected χ² (1 df) of x/n against p₀, two-sided. R ``prop.test(x, n, p=p0,
    correct=TRUE)``. Raises ValueError unless 0 < p₀ < 1."""
    x, trials = check_successes(successes, n)
    if not 0.0 < p0 < 1.0:
        raise ValueError(f"p0 must lie strictly between 0 and 1, got {p0!r}")
    statistic = _yates([float(x), float(trials - x)], [trials * p0, trials * (1 - p0)])
    return TestResult(
        statistic=statistic, p_value=float(stats.chi2.sf(statistic, 1)), alternative="two-sided", method="yates"
    )


def fisher_exact_test(x1: int, n1: int, x2: int, n2: int, *, alternative: Alternative = "two-sided") -> TestResult:
    """Fisher's exact test of the 2×2 table [[x1, x2], [n1 − x1, n2 − x2]]; ``statistic`` is the
    sample odds ratio. "greater" tests p₁ > p₂. R ``fisher.test(matrix(c(x1, n1-x1, x2, n2-x2),
    2), alternative=...)`` (scipy ``fisher_exact``; both two-sided p-values sum the tables no more
    probable than the observed one)."""
    check_alternative(alternative)
    a, m1 = check_successes(x1, n1)
    b, m2 = check_successes(x2, n2)
    result = stats.fisher_exact([[a, b], [m1 - a, m2 - b]], alternative=alternative)
    odds = float(result.statistic)
    return TestResult(
        statistic=odds if math.isfinite(odds) else None,
        p_value=float(result.pvalue),
        alternative=alternative,
        method="fisher-exact",
    )


def wald_z_test(successes: int, n: int, p0: float, *, alternative: Alternative = "two-sided") -> TestResult:
    """One-sample Wald z: (p̂ − p₀)/sqrt(p̂(1 − p̂)/n) (the sample variance, unlike the score
    test's p₀(1 − p₀)). ``statistic`` None when p̂ is 0 or 1 (zero variance)."""
    check_alternative(alternative)
    x, trials = check_successes(successes, n)
    p = x / trials
    if p in (0.0, 1.0):
        return TestResult(statistic=None, p_value=None, alternative=alternative, method="wald-z")
    z = (p - p0) / math.sqrt(p * (1 - p) / trials)
    if alternative == "two-sided":
        p_value = 2.0 * float(special.ndtr(-abs(z)))
    elif alternative == "greater":
        p_value = float(special.ndtr(-z))
    else:
        p_value = float(special.ndtr(z))
    return TestResult(statistic=z, p_value=p_value, alternative=alternative, method="wald-z")
