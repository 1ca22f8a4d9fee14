"""Paired proportions: Newcombe (1998c) interval and McNemar tests.

Sources:
- [N98c] Newcombe RG (1998). Improved confidence intervals for the difference between binomial
  proportions based on paired data. Stat Med 17:2635–2650, Table II, method 10, 4 decimals,
  for the tables (e, f, g, h) = (36, 12, 2, 0), (18, 12, 2, 18), (53, 0, 0, 1), (0, 30, 0, 0).
  The same four values are quoted by the R package propint's test suite (ci.two.dep.props).
- [R-mcnemar] R 4.x: ``mcnemar.test(matrix(c(a, b, c, d), 2, byrow=TRUE))`` (continuity
  corrected), ``mcnemar.test(..., correct=FALSE)`` and ``binom.test(b, b + c)$p.value``.
- Exact/mid-p for Bentur et al. (2009) table (1, 1, 7, 12), used by Fagerland, Lydersen & Laake
  (2013, BMC Med Res Methodol 13:91): with B ~ Bin(8, ½), exact = 2·P(B ≤ 1) = 18/256 and
  mid-p = 2·(P(B ≤ 1) − ½P(B = 1)) = 10/256, by hand.
"""

from __future__ import annotations

import pytest

from pmp_surveys.analysis.paired import MCNEMAR_METHODS, mcnemar_test, paired_difference_ci

NEWCOMBE_1998C = [
    ((36, 12, 2, 0), 0.0569, 0.3404),
    ((18, 12, 2, 18), 0.0562, 0.3290),
    ((53, 0, 0, 1), -0.0729, 0.0729),
    ((0, 30, 0, 0), 0.8395, 1.0000),
]


@pytest.mark.parametrize(("table", "low", "high"), NEWCOMBE_1998C)
def test_newcombe_paired_method_10(table: tuple[int, int, int, int], low: float, high: float) -> None:
    a, b, c, d = table
    r = paired_difference_ci(a, b, c, d)
    assert r.estimate == pytest.approx((b - c) / (a + b + c + d))
    assert r.ci_low == pytest.approx(low, abs=5e-5)
    assert r.ci_high == pytest.approx(high, abs=5e-5)
    assert r.p1 == pytest.approx((a + b) / r.n)
    assert r.p2 == pytest.approx((a + c) / r.n)


# (b, c): (corrected X², corrected p, uncorrected X², uncorrected p, exact p) — [R-mcnemar]
MCNEMAR_R = {
    (12, 2): (5.785714285714, 0.016156931261, 7.142857142857, 0.007526315166, 0.012939453125),
    (1, 7): (3.12500000000, 0.07709987174, 4.50000000000, 0.03389485352, 0.07031250000),
    (6, 16): (3.68181818182, 0.05500883363, 4.54545454545, 0.03300625766, 0.05247879028),
}


@pytest.mark.parametrize("bc", sorted(MCNEMAR_R))
def test_mcnemar_against_r(bc: tuple[int, int]) -> None:
    b, c = bc
    chi_cc, p_cc, chi, p, p_exact = MCNEMAR_R[bc]
    corrected = mcnemar_test(b, c, method="chi-square-corrected")
    plain = mcnemar_test(b, c, method="chi-square")
    exact = mcnemar_test(b, c, method="exact")
    assert corrected.statistic == pytest.approx(chi_cc, rel=1e-10)
    assert corrected.p_value == pytest.approx(p_cc, rel=1e-9)
    assert plain.statistic == pytest.approx(chi, rel=1e-10)
    assert plain.p_value == pytest.approx(p, rel=1e-9)
    assert exact.p_value == pytest.approx(p_exact, rel=1e-10)
    assert exact.method == "mcnemar-exact"


def test_exact_and_mid_p_by_hand_bentur() -> None:
    assert mcnemar_test(1, 7).p_value == pytest.approx(18 / 256, rel=1e-14)
    assert mcnemar_test(1, 7, method="mid-p").p_value == pytest.approx(10 / 256, rel=1e-14)
    # one-sided: "less" means p1 < p2, i.e. b small: P(B ≤ 1) = 9/256
    assert mcnemar_test(1, 7, alternative="less").p_value == pytest.approx(9 / 256, rel=1e-14)
    assert mcnemar_test(1, 7, alternative="greater").p_value == pytest.approx(1 - 1 / 256, rel=1e-14)


def test_bentur_newcombe_interval_excludes_zero() -> None:
    r = paired_difference_ci(1, 1, 7, 12)
    assert r.estimate == pytest.approx(-6 / 21)
    assert r.ci_low is not None
    assert r.ci_high is not None
    assert r.ci_low < -0.5 < r.ci_high < 0.0


@pytest.mark.parametrize("method", MCNEMAR_METHODS)
def test_no_discordant_pairs(method: str) -> None:
    t = mcnemar_test(0, 0, method=method)  # type: ignore[arg-type]
    assert t.statistic == 0.0
    assert t.p_value == 1.0


def test_chi_square_one_sided_uses_signed_root() -> None:
    two = mcnemar_test(12, 2, method="chi-square")
    greater = mcnemar_test(12, 2, method="chi-square", alternative="greater")
    less = mcnemar_test(12, 2, method="chi-square", alternative="less")
    assert greater.p_value == pytest.approx((two.p_value or 0) / 2, rel=1e-10)
    assert (less.p_value or 0) == pytest.approx(1 - (greater.p_value or 0), rel=1e-12)
    # |b − c| = 1: corrected statistic is 0
    assert mcnemar_test(3, 2, method="chi-square-corrected").statistic == 0.0


def test_swapping_discordant_cells_mirrors_interval() -> None:
    forward = paired_difference_ci(36, 12, 2, 0)
    backward = paired_difference_ci(36, 2, 12, 0)
    assert forward.ci_low == pytest.approx(-(backward.ci_high or 0), abs=1e-12)
    assert forward.ci_high == pytest.approx(-(backward.ci_low or 0), abs=1e-12)


def test_wald_paired_by_formula() -> None:
    z = 1.959963984540054
    r = paired_difference_ci(36, 12, 2, 0, method="wald")
    se = (12 + 2 - 10**2 / 50) ** 0.5 / 50
    assert r.std_error == pytest.approx(se)
    assert r.ci_low == pytest.approx(0.2 - z * se, abs=1e-14)
    assert r.ci_high == pytest.approx(0.2 + z * se, abs=1e-14)


def test_test_choice_is_passed_through() -> None:
    r = paired_difference_ci(1, 1, 7, 12, test="mid-p")
    assert r.test.method == "mcnemar-mid-p"
    assert r.test.p_value == pytest.approx(10 / 256)


def test_single_pair_and_invalid() -> None:
    r = paired_difference_ci(0, 1, 0, 0)
    assert r.estimate == 1.0
    assert r.ci_high == 1.0
    with pytest.raises(ValueError, match="empty"):
        paired_difference_ci(0, 0, 0, 0)
    with pytest.raises(ValueError):
        paired_difference_ci(-1, 2, 3, 4)
    with pytest.raises(ValueError, match="method"):
        mcnemar_test(1, 2, method="exact-conditional")  # type: ignore[arg-type]
