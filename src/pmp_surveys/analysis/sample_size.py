"""Sample-size planning for the next survey wave.

Two questions: how many responses give a confidence interval of a given half-width, and how many
are needed to detect a change from a baseline with given power. Every result echoes its inputs
so a plan can be reported as it was computed.

References
----------
- Cochran WG (1977). Sampling Techniques, 3rd ed., §4.4–4.6 (n0 = z²pq/E², finite population
  correction n = n0/(1 + (n0 − 1)/N)).
- Kish L (1965). Survey Sampling (design effect; deff = 1 + (m − 1)ρ for clusters of size m).
- Fleiss JL, Levin B, Paik MC (2003). Statistical Methods for Rates and Proportions, 3rd ed.,
  §4.2 (two-sample formula without continuity correction; R ``power.prop.test``).
- Chow S-C, Shao J, Wang H (2008). Sample Size Calculations in Clinical Research, 2nd ed., §4.1
  (one-sample test of a proportion).
"""

from __future__ import annotations

import math
from typing import Literal, get_args

from scipy import optimize, special

from pmp_surveys.analysis.proportions import normal_quantile
from pmp_surveys.analysis.results import Alternative, Result, check_alternative, check_confidence_level

HalfWidthMethod = Literal["wilson", "wald"]
HALF_WIDTH_METHODS: tuple[HalfWidthMethod, ...] = get_args(HalfWidthMethod)

_ROUNDING_SLACK = 1e-9


class HalfWidthSampleSize(Result, frozen=True, kw_only=True):
    """Responses needed so the interval half-width at the anticipated p is at most `half_width`."""

    n: int
    n_unrounded: float
    p: float
    half_width: float
    confidence_level: float
    method: HalfWidthMethod
    design_effect: float
    population_size: int | None


class PowerSampleSize(Result, frozen=True, kw_only=True):
    """Responses needed to detect a change from `baseline` to `expected` with given power.

    For ``design="two-samples"`` `n` is the new wave and `n_total` both waves together (equal
    waves unless `baseline_n`, the size of an already collected baseline wave, is given); for
    ``"one-sample"`` (against a published value) `n` = `n_total`.
    """

    n: int
    n_total: int
    n_unrounded: float
    baseline: float
    expected: float
    power: float
    confidence_level: float
    alternative: Alternative
    design: Literal["one-sample", "two-samples"]
    design_effect: float
    baseline_n: int | None = None


def _ceil(value: float) -> int:
    return max(1, math.ceil(value - _ROUNDING_SLACK))


def _check_design_effect(design_effect: float) -> float:
    if not (math.isfinite(design_effect) and design_effect > 0.0):
        raise ValueError(f"design_effect must be a positive number, got {design_effect!r}")
    return float(design_effect)


def _check_open_proportion(value: float, name: str) -> float:
    if not (math.isfinite(value) and 0.0 < value < 1.0):
        raise ValueError(f"{name} must lie strictly between 0 and 1, got {value!r}")
    return float(value)


def design_effect_from_icc(cluster_size: float, icc: float) -> float:
    """Kish's design effect for equal clusters: 1 + (m − 1)·ρ (m ≥ 1, −1 ≤ ρ ≤ 1)."""
    if not (math.isfinite(cluster_size) and cluster_size >= 1.0):
        raise ValueError(f"cluster_size must be at least 1, got {cluster_size!r}")
    if not (math.isfinite(icc) and -1.0 <= icc <= 1.0):
        raise ValueError(f"icc must lie in [-1, 1], got {icc!r}")
    return 1.0 + (cluster_size - 1.0) * icc


def sample_size_for_half_width(
    p: float,
    half_width: float,
    *,
    confidence_level: float = 0.95,
    method: HalfWidthMethod = "wilson",
    design_effect: float = 1.0,
    population_size: int | None = None,
) -> HalfWidthSampleSize:
    r"""Smallest n whose interval half-width at anticipated proportion p is ≤ `half_width` (E).

    - ``wald``: n0 = z²·p(1 − p)/E² (Cochran 1977 eq. 4.2); requires 0 < p < 1.
    - ``wilson`` (default): the Wilson half-width at p̂ = p is z·sqrt(np(1−p) + z²/4)/(n + z²);
      setting it to E gives n0 = z²·[pq + sqrt(p²q² + E²(1 − 4pq))]/(2E²) − z², q = 1 − p
      (valid for 0 ≤ p ≤ 1; slightly larger than Wald near 0.5, and finite at p = 0).

    Then n1 = n0·deff (Kish), and with a population of N units the finite population correction
    n = n1/(1 + (n1 − 1)/N) (Cochran eq. 4.3). The result is rounded up (at least 1).
    Raises ValueError for E outside (0, 0.5], a non-positive design effect or N < 1.
    """
    check_confidence_level(confidence_level)
    if method not in HALF_WIDTH_METHODS:
        raise ValueError(f"method must be one of {HALF_WIDTH_METHODS}, got {method!r}")
    if not (math.isfinite(half_width) and 0.0 < half_width <= 0.5):
        raise ValueError(f"half_width must lie in (0, 0.5], got {half_width!r}")
    deff = _check_design_effect(design_effect)
    if method == "wald":
        p = _check_open_proportion(p, "p")
    elif not (math.isfinite(p) and 0.0 <= p <= 1.0):
        raise ValueError(f"p must lie in [0, 1], got {p!r}")
    if population_size is not None and (isinstance(population_size, bool) or population_size < 1):
        raise ValueError(f"population_size must be a positive whole number, got {population_size!r}")
    z = normal_quantile(confidence_level)
    z2, pq, e2 = z * z, p * (1.0 - p), half_width * half_width
    wald_n = z2 * pq / e2
    wilson_n = z2 * (pq + math.sqrt(pq * pq + e2 * (1.0 - 4.0 * pq))) / (2.0 * e2) - z2
    n0 = max(wald_n if method == "wald" else wilson_n, 0.0)
    n1 = n0 * deff
    if population_size is not None:
        n1 = n1 / (1.0 + (n1 - 1.0) / population_size)
    return HalfWidthSampleSize(
        n=_ceil(n1),
        n_unrounded=n1,
        p=float(p),
        half_width=float(half_width),
        confidence_level=confidence_level,
        method=method,
        design_effect=deff,
        population_size=population_size,
    )


def _power_inputs(
    baseline: float, expected: float, power: float, confidence_level: float, alternative: str
) -> tuple[float, float, float, Alternative]:
    check_confidence_level(confidence_level)
    alternative = check_alternative(alternative)
    baseline = _check_open_proportion(baseline, "baseline")
    expected = _check_open_proportion(expected, "expected")
    if baseline == expected:
        raise ValueError("expected must differ from baseline: no change cannot be detected")
    if not (math.isfinite(power) and 0.0 < power < 1.0):
        raise ValueError(f"power must lie strictly between 0 and 1, got {power!r}")
    if alternative == "greater" and expected < baseline:
        raise ValueError("alternative='greater' needs expected > baseline")
    if alternative == "less" and expected > baseline:
        raise ValueError("alternative='less' needs expected < baseline")
    alpha = 1.0 - confidence_level
    z_alpha = float(special.ndtri(1.0 - (alpha / 2.0 if alternative == "two-sided" else alpha)))
    z_beta = float(special.ndtri(power))
    return z_alpha, z_beta, abs(expected - baseline), alternative


def sample_size_one_sample(
    baseline: float,
    expected: float,
    *,
    power: float = 0.8,
    confidence_level: float = 0.95,
    alternative: Alternative = "two-sided",
    design_effect: float = 1.0,
) -> PowerSampleSize:
    r"""Responses needed to show a change from a *published* baseline p0 to an expected p1.

    For the score test of :func:`.one_sample_test` (variance from p0 under H0):
    n = [z_{1−α'}·sqrt(p0q0) + z_{power}·sqrt(p1q1)]² / (p1 − p0)² × deff, where α' = α/2
    two-sided (the far tail is ignored) and α one-sided, α = 1 − confidence_level
    (Chow, Shao & Wang 2008 §4.1). Rounded up.
    """
    deff = _check_design_effect(design_effect)
    z_alpha, z_beta, delta, alternative = _power_inputs(baseline, expected, power, confidence_level, alternative)
    root = z_alpha * math.sqrt(baseline * (1 - baseline)) + z_beta * math.sqrt(expected * (1 - expected))
    n = (root / delta) ** 2 * deff
    return PowerSampleSize(
        n=_ceil(n),
        n_total=_ceil(n),
        n_unrounded=n,
        baseline=float(baseline),
        expected=float(expected),
        power=float(power),
        confidence_level=confidence_level,
        alternative=alternative,
        design="one-sample",
        design_effect=deff,
    )


def sample_size_two_samples(
    baseline: float,
    expected: float,
    *,
    power: float = 0.8,
    confidence_level: float = 0.95,
    alternative: Alternative = "two-sided",
    design_effect: float = 1.0,
    baseline_n: int | None = None,
) -> PowerSampleSize:
    r"""Responses in the new wave to detect p1 − p0 between two independent waves.

    For the pooled score test of :func:`.difference_ci` (no continuity correction), with
    effective sizes m_i = n_i/deff, the required m2 solves

        z_{1−α'}·sqrt(p̄q̄(1/m1 + 1/m2)) + z_{power}·sqrt(p0q0/m1 + p1q1/m2) = |p1 − p0|,
        p̄ = (m1·p0 + m2·p1)/(m1 + m2),

    α' as in :func:`sample_size_one_sample`. Without `baseline_n` the waves are equal
    (m1 = m2 = m) and this has the closed form m = [z_{1−α'}·sqrt(2p̄q̄) +
    z_{power}·sqrt(p0q0 + p1q1)]² / (p1 − p0)² (Fleiss et al. 2003 §4.2; the n that R
    ``power.prop.test(p1 = p0, p2 = p1, power = …)`` solves for); `n_total` = 2n.

    With `baseline_n` (the first wave already collected, e.g. Bauska's 2024 baseline) m1 is
    fixed and m2 is found by Brent's method; `n_total` = baseline_n + n. Raises ValueError when
    even an unlimited new wave cannot reach the power against that baseline. Rounded up.
    """
    deff = _check_design_effect(design_effect)
    z_alpha, z_beta, delta, alternative = _power_inputs(baseline, expected, power, confidence_level, alternative)
    q0, q1 = baseline * (1.0 - baseline), expected * (1.0 - expected)
    if baseline_n is None:
        p_bar = (baseline + expected) / 2.0
        root = z_alpha * math.sqrt(2.0 * p_bar * (1.0 - p_bar)) + z_beta * math.sqrt(q0 + q1)
        n = (root / delta) ** 2 * deff
        per_wave = _ceil(n)
        total = 2 * per_wave
    else:
        if isinstance(baseline_n, bool) or not isinstance(baseline_n, int) or baseline_n < 1:
            raise ValueError(f"baseline_n must be a positive whole number, got {baseline_n!r}")
        m1 = baseline_n / deff

        def shortfall(m2: float) -> float:
            p_bar = (m1 * baseline + m2 * expected) / (m1 + m2)
            null_sd = math.sqrt(p_bar * (1.0 - p_bar) * (1.0 / m1 + 1.0 / m2))
            return z_alpha * null_sd + z_beta * math.sqrt(q0 / m1 + q1 / m2) - delta

        if z_alpha * math.sqrt(q1 / m1) + z_beta * math.sqrt(q0 / m1) >= delta:
            raise ValueError(
                f"a baseline of {baseline_n} responses is too small: no size of the new wave reaches "
                f"power {power} for a change from {baseline} to {expected}"
            )
        upper = max(m1, 1.0)
        while shortfall(upper) > 0.0:
            upper *= 2.0
        m2 = float(optimize.brentq(shortfall, 1e-9, upper, xtol=1e-10, rtol=1e-14))
        n = m2 * deff
        per_wave = _ceil(n)
        total = baseline_n + per_wave
    return PowerSampleSize(
        n=per_wave,
        n_total=total,
        n_unrounded=n,
        baseline=float(baseline),
        expected=float(expected),
        power=float(power),
        confidence_level=confidence_level,
        alternative=alternative,
        design="two-samples",
        design_effect=deff,
        baseline_n=baseline_n,
    )
