"""One proportion against a published value p0.

Reference values from R 4.x (calls quoted per row): score test =
``prop.test(x, n, p = p0, correct = FALSE, alternative = ...)$p.value``; exact =
``binom.test(x, n, p = p0, alternative = ...)$p.value``.
"""

from __future__ import annotations

import math

import pytest

from pmp_surveys.analysis.one_sample import one_sample_test

# (x, n, p0): (score two-sided, greater, less), (exact two-sided, greater, less)
R_VALUES = {
    (81, 263, 0.25): (
        (0.0298815059745, 0.0149407529873, 0.985059247013),
        (0.0326039786137, 0.0194778159251, 0.986125886186),
    ),
    (15, 148, 0.05): (
        (0.00415176792905, 0.00207588396452, 0.997924116035),
        (0.0119608065181, 0.00752414340462, 0.996846202549),
    ),
    (0, 20, 0.1): (
        (0.136037128114, 0.931981435943, 0.0680185640571),
        (0.254529978025, 1.0, 0.121576654591),
    ),
    (20, 20, 0.7): (
        (0.00341479117812, 0.00170739558906, 0.998292604411),
        (0.00105896967004, 0.000797922662976, 1.0),
    ),
}


@pytest.mark.parametrize("case", sorted(R_VALUES))
def test_against_r(case: tuple[int, int, float]) -> None:
    x, n, p0 = case
    score, exact = R_VALUES[case]
    for method, expected in (("score", score), ("exact", exact)):
        for alternative, value in zip(("two-sided", "greater", "less"), expected, strict=True):
            r = one_sample_test(x, n, p0, alternative=alternative, method=method)  # type: ignore[arg-type]
            assert r.p_value == pytest.approx(value, rel=1e-9), (method, alternative)


def test_score_variance_uses_p0_like_statsmodels_prop_var() -> None:
    from statsmodels.stats.proportion import proportions_ztest

    z_sm, p_sm = proportions_ztest(81, 263, value=0.25, prop_var=0.25)
    r = one_sample_test(81, 263, 0.25)
    assert r.statistic == pytest.approx(z_sm, rel=1e-12)
    assert r.p_value == pytest.approx(p_sm, rel=1e-12)
    assert r.std_error == pytest.approx(math.sqrt(0.25 * 0.75 / 263))
    # the statsmodels default (variance from p̂) is a different test
    z_default, _ = proportions_ztest(81, 263, value=0.25)
    assert abs(z_default - (r.statistic or 0)) > 1e-3


def test_exact_statistic_and_boundary_p0() -> None:
    r = one_sample_test(0, 20, 0.0, method="exact")
    assert r.statistic == 0.0
    assert r.p_value == 1.0
    assert r.comparison == "against-published-value"


def test_invalid_inputs() -> None:
    with pytest.raises(ValueError, match="p0"):
        one_sample_test(3, 10, 0.0)
    with pytest.raises(ValueError, match="p0"):
        one_sample_test(3, 10, 1.2, method="exact")
    with pytest.raises(ValueError):
        one_sample_test(0, 0, 0.5)
    with pytest.raises(ValueError, match="alternative"):
        one_sample_test(3, 10, 0.5, alternative="larger")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="method"):
        one_sample_test(3, 10, 0.5, method="wald")  # type: ignore[arg-type]
