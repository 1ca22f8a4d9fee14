"""Sample-size planning.

Sources:
- Cochran (1977) Sampling Techniques §4.4: p = 0.5, E = 0.05, 95% → n0 = 1.96²·0.25/0.0025
  = 384.16 → 385 (with z = 1.959964: 384.146); with N = 1000, n = n0/(1 + (n0 − 1)/N) ≈ 278.
- R 4.x ``power.prop.test(p1 = , p2 = , power = )$n`` (values quoted per case; R solves the
  same normal-approximation equation numerically with uniroot).
"""

from __future__ import annotations

import math

import pytest
from scipy.stats import norm

from pmp_surveys.analysis.sample_size import (
    design_effect_from_icc,
    sample_size_for_half_width,
    sample_size_one_sample,
    sample_size_two_samples,
)

Z = 1.959963984540054


def test_cochran_classic() -> None:
    r = sample_size_for_half_width(0.5, 0.05, method="wald")
    assert r.n_unrounded == pytest.approx(Z * Z * 0.25 / 0.0025, rel=1e-12)
    assert r.n == 385
    fpc = sample_size_for_half_width(0.5, 0.05, method="wald", population_size=1000)
    assert fpc.n_unrounded == pytest.approx(384.14588 / (1 + 383.14588 / 1000), rel=1e-6)
    assert fpc.n == 278
    assert fpc.population_size == 1000
    assert fpc.p == 0.5
    assert fpc.half_width == 0.05


def _wilson_half_width(n: int, p: float) -> float:
    return Z * math.sqrt(n * p * (1 - p) + Z * Z / 4) / (n + Z * Z)


@pytest.mark.parametrize(("p", "e"), [(0.5, 0.05), (0.7, 0.04), (0.05, 0.02), (0.0, 0.01), (0.9, 0.1)])
def test_wilson_is_smallest_n_meeting_half_width(p: float, e: float) -> None:
    r = sample_size_for_half_width(p, e)
    assert r.method == "wilson"
    assert _wilson_half_width(r.n, p) <= e + 1e-12
    assert _wilson_half_width(r.n - 1, p) > e


def test_design_effect_multiplies() -> None:
    base = sample_size_for_half_width(0.7, 0.05)
    doubled = sample_size_for_half_width(0.7, 0.05, design_effect=2.0)
    assert doubled.n_unrounded == pytest.approx(2 * base.n_unrounded)
    assert design_effect_from_icc(20, 0.05) == pytest.approx(1.95)


@pytest.mark.parametrize(
    ("p1", "p2", "power", "alternative", "r_n"),
    [
        (0.6, 0.7, 0.8, "two-sided", 355.942812655),  # power.prop.test(p1=.6, p2=.7, power=.8)
        (0.72, 0.75, 0.8, "two-sided", 3396.07762883),  # power.prop.test(p1=.72, p2=.75, power=.8)
        (0.6, 0.7, 0.9, "greater", 387.77697453),  # ..., power=.9, alternative="one.sided"
        (0.05, 0.04, 0.8, "two-sided", 6744.93307488),  # power.prop.test(p1=.05, p2=.04, power=.8)
    ],
)
def test_two_samples_against_r_power_prop_test(
    p1: float, p2: float, power: float, alternative: str, r_n: float
) -> None:
    # R ignores the far rejection tail, as we do; its uniroot tolerance limits agreement to ~1e-4.
    r = sample_size_two_samples(p1, p2, power=power, alternative=alternative)  # type: ignore[arg-type]
    assert r.n_unrounded == pytest.approx(r_n, rel=1e-4)
    assert r.n == math.ceil(r_n)
    assert r.n_total == 2 * r.n
    assert r.design == "two-samples"


def _one_sample_power(n: float, p0: float, p1: float, z_alpha: float) -> float:
    return float(
        norm.cdf((abs(p1 - p0) * math.sqrt(n) - z_alpha * math.sqrt(p0 * (1 - p0))) / math.sqrt(p1 * (1 - p1)))
    )


@pytest.mark.parametrize(("p0", "p1"), [(0.72, 0.75), (0.6, 0.7), (0.05, 0.035)])
def test_one_sample_reaches_power(p0: float, p1: float) -> None:
    r = sample_size_one_sample(p0, p1, power=0.8)
    assert _one_sample_power(r.n_unrounded, p0, p1, Z) == pytest.approx(0.8, abs=1e-12)
    assert _one_sample_power(r.n, p0, p1, Z) >= 0.8
    assert _one_sample_power(r.n - 1, p0, p1, Z) < 0.8
    assert r.n == r.n_total
    assert r.design == "one-sample"


def test_one_sample_with_design_effect_and_one_sided() -> None:
    two = sample_size_one_sample(0.6, 0.7)
    one = sample_size_one_sample(0.6, 0.7, alternative="greater")
    deff = sample_size_one_sample(0.6, 0.7, design_effect=1.5)
    assert one.n < two.n
    assert deff.n_unrounded == pytest.approx(1.5 * two.n_unrounded)


def test_invalid_inputs() -> None:
    with pytest.raises(ValueError, match="half_width"):
        sample_size_for_half_width(0.5, 0.0)
    with pytest.raises(ValueError, match="p"):
        sample_size_for_half_width(0.0, 0.05, method="wald")
    with pytest.raises(ValueError, match="design_effect"):
        sample_size_for_half_width(0.5, 0.05, design_effect=0.0)
    with pytest.raises(ValueError, match="population_size"):
        sample_size_for_half_width(0.5, 0.05, population_size=0)
    with pytest.raises(ValueError, match="differ"):
        sample_size_two_samples(0.5, 0.5)
    with pytest.raises(ValueError, match="greater"):
        sample_size_one_sample(0.5, 0.4, alternative="greater")
    with pytest.raises(ValueError, match="power"):
        sample_size_one_sample(0.5, 0.6, power=1.0)


def test_fixed_baseline_reduces_to_equal_waves() -> None:
    equal = sample_size_two_samples(0.6, 0.7)
    fixed = sample_size_two_samples(0.6, 0.7, baseline_n=math.ceil(equal.n_unrounded))
    assert fixed.n_unrounded == pytest.approx(equal.n_unrounded, rel=2e-3)
    assert fixed.baseline_n == math.ceil(equal.n_unrounded)
    assert fixed.n_total == fixed.baseline_n + fixed.n


def test_fixed_baseline_power_equation_holds() -> None:
    # A large first wave (Bauska baseline of 800) needs fewer new responses than equal waves.
    r = sample_size_two_samples(0.6, 0.7, baseline_n=800, design_effect=1.2)
    m1, m2 = 800 / 1.2, r.n_unrounded / 1.2
    p_bar = (m1 * 0.6 + m2 * 0.7) / (m1 + m2)
    lhs = Z * math.sqrt(p_bar * (1 - p_bar) * (1 / m1 + 1 / m2)) + norm.ppf(0.8) * math.sqrt(0.24 / m1 + 0.21 / m2)
    assert lhs == pytest.approx(0.1, abs=1e-9)
    assert r.n < sample_size_two_samples(0.6, 0.7, design_effect=1.2).n


def test_fixed_baseline_too_small() -> None:
    with pytest.raises(ValueError, match="too small"):
        sample_size_two_samples(0.6, 0.7, baseline_n=100)
    with pytest.raises(ValueError, match="baseline_n"):
        sample_size_two_samples(0.6, 0.7, baseline_n=0)
