"""Confidence intervals for a single binomial proportion.

One entry point, :func:`proportion_ci`, with a fixed set of methods. The shared helpers
(`normal_quantile`, `wilson_limits`, `check_count`) are used by the difference, paired and
verdict modules so that every interval in the package is computed by the same code.

References
----------
- Newcombe RG (1998a). Two-sided confidence intervals for the single proportion: comparison of
  seven methods. Statistics in Medicine 17:857–872.
- Brown LD, Cai TT, DasGupta A (2001). Interval estimation for a binomial proportion.
  Statistical Science 16:101–133.
- Clopper CJ, Pearson ES (1934). The use of confidence or fiducial limits illustrated in the case
  of the binomial. Biometrika 26:404–413.
- Agresti A, Coull BA (1998). Approximate is better than "exact" for interval estimation of
  binomial proportions. The American Statistician 52:119–126.
"""

from __future__ import annotations

import math
import numbers
from typing import Literal, get_args

from scipy import special, stats

from pmp_surveys.analysis.results import Estimate, check_confidence_level

ProportionMethod = Literal["wilson", "clopper-pearson", "jeffreys", "agresti-coull", "wald"]
PROPORTION_METHODS: tuple[ProportionMethod, ...] = get_args(ProportionMethod)


def check_count(value: object, name: str) -> int:
    """Return `value` as an int if it is a non-negative whole number, else raise ValueError.

    Accepts Python and numpy integers and integral floats (``12.0``); rejects bools, NaN and
    fractions, which are always a caller's mistake for a count.
    """
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    as_float = float(value)
    if not (math.isfinite(as_float) and as_float.is_integer()):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    result = int(value) if isinstance(value, numbers.Integral) else int(as_float)
    if result < 0:
        raise ValueError(f"{name} must be non-negative, got {result}")
    return result


def check_successes(successes: object, n: object) -> tuple[int, int]:
    """Validate a count of successes out of n trials (n >= 1, 0 <= successes <= n)."""
    x = check_count(successes, "successes")
    trials = check_count(n, "n")
    if trials == 0:
        raise ValueError("n must be at least 1: a proportion of zero observations is undefined")
    if x > trials:
        raise ValueError(f"successes ({x}) cannot exceed n ({trials})")
    return x, trials


def normal_quantile(confidence_level: float) -> float:
    """Two-sided standard normal critical value z_{1-α/2} for `confidence_level` = 1 − α."""
    check_confidence_level(confidence_level)
    return float(special.ndtri(0.5 + confidence_level / 2.0))


def wilson_limits(x: int, n: int, z: float) -> tuple[float, float]:
    """Wilson (1927) score limits for x/n at critical value z.

    (2x + z² ± z·sqrt(z² + 4x(n−x)/n)) / (2(n + z²)); exactly 0 at x = 0 and 1 at x = n.
    """
    z2 = z * z
    centre = 2.0 * x + z2
    half = z * math.sqrt(z2 + 4.0 * x * (n - x) / n)
    denominator = 2.0 * (n + z2)
    low = 0.0 if x == 0 else (centre - half) / denominator
    high = 1.0 if x == n else (centre + half) / denominator
    return max(0.0, low), min(1.0, high)


def _clopper_pearson(x: int, n: int, alpha: float) -> tuple[float, float]:
    low = 0.0 if x == 0 else float(stats.beta.ppf(alpha / 2.0, x, n - x + 1))
    high = 1.0 if x == n else float(stats.beta.ppf(1.0 - alpha / 2.0, x + 1, n - x))
    return low, high


def _jeffreys(x: int, n: int, alpha: float) -> tuple[float, float]:
    low = 0.0 if x == 0 else float(stats.beta.ppf(alpha / 2.0, x + 0.5, n - x + 0.5))
    high = 1.0 if x == n else float(stats.beta.ppf(1.0 - alpha / 2.0, x + 0.5, n - x + 0.5))
    return low, high


def _agresti_coull(x: int, n: int, z: float) -> tuple[float, float]:
    n_tilde = n + z * z
    p_tilde = (x + z * z / 2.0) / n_tilde
    half = z * math.sqrt(p_tilde * (1.0 - p_tilde) / n_tilde)
    return max(0.0, p_tilde - half), min(1.0, p_tilde + half)


def _wald(x: int, n: int, z: float) -> tuple[float, float]:
    p = x / n
    half = z * math.sqrt(p * (1.0 - p) / n)
    return max(0.0, p - half), min(1.0, p + half)


def proportion_limits(x: int, n: int, *, confidence_level: float, method: ProportionMethod) -> tuple[float, float]:
    """The (ci_low, ci_high) pair of :func:`proportion_ci`, for already validated counts."""
    z = normal_quantile(confidence_level)
    alpha = 1.0 - confidence_level
    if method == "wilson":
        return wilson_limits(x, n, z)
    if method == "clopper-pearson":
        return _clopper_pearson(x, n, alpha)
    if method == "jeffreys":
        return _jeffreys(x, n, alpha)
    if method == "agresti-coull":
        return _agresti_coull(x, n, z)
    if method == "wald":
        return _wald(x, n, z)
    raise ValueError(f"method must be one of {PROPORTION_METHODS}, got {method!r}")


def proportion_ci(
    successes: int,
    n: int,
    *,
    confidence_level: float = 0.95,
    method: ProportionMethod = "wilson",
) -> Estimate:
    r"""Estimate a binomial proportion x/n with a two-sided confidence interval.

    Point estimate p̂ = x/n; ``std_error`` = sqrt(p̂(1 − p̂)/n) (the Wald standard error, 0 at
    x = 0 and x = n whatever the interval method). With z = z_{1−α/2}:

    - ``wilson`` (default; Wilson 1927, Newcombe 1998a method 3): the inversion of the score
      test, (2x + z² ± z·sqrt(z² + 4x(n−x)/n)) / (2(n + z²)).
    - ``clopper-pearson`` (Newcombe 1998a method 5): Beta(α/2; x, n−x+1) to
      Beta(1−α/2; x+1, n−x) quantiles; lower = 0 at x = 0, upper = 1 at x = n.
    - ``jeffreys`` (Brown, Cai & DasGupta 2001 §4.1.2): equal-tailed Beta(x+½, n−x+½)
      posterior quantiles, with BCD's boundary modification: lower = 0 when x = 0 and upper = 1
      when x = n (statsmodels' "jeffreys" lacks this modification).
    - ``agresti-coull`` (Agresti & Coull 1998; BCD 2001 §4.1.3): ñ = n + z²,
      p̃ = (x + z²/2)/ñ, p̃ ± z·sqrt(p̃(1−p̃)/ñ), clipped to [0, 1].
    - ``wald`` (Newcombe 1998a method 1): p̂ ± z·sqrt(p̂(1−p̂)/n), clipped to [0, 1]; it
      collapses to a single point at x = 0 and x = n, so it is offered only for comparison.

    Edge cases: x = 0 and x = n give the exact boundary 0 or 1 for every method; n = 1 is
    allowed; n = 0 raises ValueError (an empty group has no proportion; the evaluation layer
    reports it as "no data" or suppresses it, see :mod:`.suppression`).

    Raises ValueError for negative or fractional counts, x > n, n = 0, an unknown method or a
    confidence level outside (0, 1).
    """
    if method not in PROPORTION_METHODS:
        raise ValueError(f"method must be one of {PROPORTION_METHODS}, got {method!r}")
    check_confidence_level(confidence_level)
    x, trials = check_successes(successes, n)
    low, high = proportion_limits(x, trials, confidence_level=confidence_level, method=method)
    p = x / trials
    return Estimate(
        estimate=p,
        std_error=math.sqrt(p * (1.0 - p) / trials),
        ci_low=low,
        ci_high=high,
        confidence_level=confidence_level,
        n=trials,
        method=method,
    )
