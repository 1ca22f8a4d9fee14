"""One observed proportion against a published value p0 (a baseline or a target).

Rīga's survey baselines exist only as published percentages, often without n: the comparison
then treats p0 as a known constant, so it ignores the baseline's own sampling error and says so
(``comparison="against-published-value"``). When the baseline microdata exist, use
:func:`pmp_surveys.analysis.differences.difference_ci` instead.

References
----------
- Agresti A (2013). Categorical Data Analysis, 3rd ed., §1.4 (score, Wald and exact tests for
  a binomial parameter).
- Clopper & Pearson (1934); R ``binom.test`` (two-sided exact p-value = sum of the
  probabilities of outcomes no more likely than the observed one).
"""

from __future__ import annotations

import math
from typing import Literal, get_args

from scipy import stats

from pmp_surveys.analysis.differences import normal_p_value
from pmp_surveys.analysis.proportions import check_successes
from pmp_surveys.analysis.results import Alternative, Result, check_alternative

OneSampleMethod = Literal["score", "exact"]
ONE_SAMPLE_METHODS: tuple[OneSampleMethod, ...] = get_args(OneSampleMethod)


class OneSampleResult(Result, frozen=True, kw_only=True):
    """Test of H0: p = p0 for one binomial sample.

    `std_error` is the standard error under H0, sqrt(p0(1−p0)/n), used by the score test.
    """

    estimate: float
    p0: float
    n: int
    std_error: float
    statistic: float | None
    p_value: float
    alternative: Alternative
    method: OneSampleMethod
    comparison: Literal["against-published-value"] = "against-published-value"


def one_sample_test(
    successes: int,
    n: int,
    p0: float,
    *,
    alternative: Alternative = "two-sided",
    method: OneSampleMethod = "score",
) -> OneSampleResult:
    r"""Test an observed proportion x/n against a fixed published value p0.

    "greater" tests H1: p > p0, "less" H1: p < p0.

    - ``score`` (default): z = (p̂ − p0)/sqrt(p0(1 − p0)/n) — variance from p0, not from p̂.
      (statsmodels' ``proportions_ztest(count, nobs, value=p0)`` uses p̂ in the variance unless
      given ``prop_var=p0``.) Two-sided p = 2·Φ(−|z|), equal to R ``prop.test(x, n, p0,
      correct=FALSE)``. Inverting this test gives the Wilson interval. Requires 0 < p0 < 1.
    - ``exact``: binomial test; one-sided tail probabilities, two-sided the sum of P(X = k) over
      all k with P(X = k) ≤ P(X = x) (R ``binom.test``, scipy ``binomtest``). Allows p0 = 0 or 1.
      ``statistic`` is the count x.

    Edge cases: x = 0 or x = n are valid; n = 0 raises ValueError.
    """
    if method not in ONE_SAMPLE_METHODS:
        raise ValueError(f"method must be one of {ONE_SAMPLE_METHODS}, got {method!r}")
    alternative = check_alternative(alternative)
    x, trials = check_successes(successes, n)
    p0 = float(p0)
    if not 0.0 <= p0 <= 1.0 or (method == "score" and p0 in (0.0, 1.0)):
        bound = "0 < p0 < 1" if method == "score" else "0 <= p0 <= 1"
        raise ValueError(f"p0 must satisfy {bound} for the {method} test, got {p0!r}")
    p_hat = x / trials
    se0 = math.sqrt(p0 * (1.0 - p0) / trials)
    if method == "score":
        z = (p_hat - p0) / se0
        statistic: float | None = z
        p_value = normal_p_value(z, alternative)
    else:
        statistic = float(x)
        p_value = float(stats.binomtest(x, trials, p0, alternative=alternative).pvalue)
    return OneSampleResult(
        estimate=p_hat,
        p0=p0,
        n=trials,
        std_error=se0,
        statistic=statistic,
        p_value=min(1.0, p_value),
        alternative=alternative,
        method=method,
    )
