"""Target attainment verdicts that carry uncertainty (DESIGN.md §3, §5).

A plan target is a bound on the true indicator value θ: "at least 70%" for a rising indicator,
"at most 3%" or "below 1%" for a falling one. The verdict compares the estimate's two-sided
confidence interval with that bound:

- ``achieved``: the whole interval lies on the target side of the bound;
- ``not_achieved``: the whole interval lies on the other side;
- ``not_yet_distinguishable``: the interval contains the bound;
- ``suppressed`` / ``no_data``: there is no figure to judge (small cell, or no estimate).

With a 95% interval each one-sided decision is made at the 2.5% level. For simple samples with
Wilson intervals the decision agrees with the one-sided binomial score test reported beside it,
because the Wilson interval is the inversion of that test.
"""

from __future__ import annotations

import math
from typing import Literal, get_args

from scipy import stats

from pmp_surveys.analysis.differences import normal_p_value
from pmp_surveys.analysis.proportions import PROPORTION_METHODS
from pmp_surveys.analysis.results import Estimate, Result

TargetKind = Literal["at_least", "at_most", "below", "above"]
TARGET_KINDS: tuple[TargetKind, ...] = get_args(TargetKind)
Direction = Literal["rise", "fall"]
DIRECTIONS: tuple[Direction, ...] = get_args(Direction)
VerdictLabel = Literal["achieved", "not_achieved", "not_yet_distinguishable", "suppressed", "no_data"]
VerdictTest = Literal["auto", "binomial-score", "design-z", "design-t"]

_KINDS_FOR_DIRECTION: dict[Direction, tuple[TargetKind, ...]] = {
    "rise": ("at_least", "above"),
    "fall": ("at_most", "below"),
}


class Target(Result, frozen=True, kw_only=True):
    """A plan target on the proportion scale: ``value`` in [0, 1] and how θ must relate to it.

    at_least: θ ≥ value ("70%" for a rising indicator); above: θ > value;
    at_most: θ ≤ value ("3.5%" for a falling one); below: θ < value ("<1%").
    """

    value: float
    kind: TargetKind

    def __post_init__(self) -> None:
        if self.kind not in TARGET_KINDS:
            raise ValueError(f"target kind must be one of {TARGET_KINDS}, got {self.kind!r}")
        if not (math.isfinite(self.value) and 0.0 <= self.value <= 1.0):
            raise ValueError(f"target value must be a proportion in [0, 1], got {self.value!r}")

    def is_met_by(self, theta: float) -> bool:
        """Whether a value θ satisfies the target."""
        if self.kind == "at_least":
            return theta >= self.value
        if self.kind == "above":
            return theta > self.value
        if self.kind == "at_most":
            return theta <= self.value
        return theta < self.value


class Verdict(Result, frozen=True, kw_only=True):
    """A target verdict with the figures it rests on.

    `p_value` is the one-sided p-value of H0 "target not met" (small ⇒ evidence it is met);
    `p_value_not_met` that of H0 "target met" (small ⇒ evidence it is missed). `test_method` says
    how they were computed; both are None when there is no figure or no usable standard error.
    """

    verdict: VerdictLabel
    target: Target
    direction: Direction
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    confidence_level: float | None
    n: int | None
    point_meets_target: bool | None
    p_value: float | None
    p_value_not_met: float | None
    test_method: Literal["binomial-score", "design-z", "design-t"] | None


def _empty(label: VerdictLabel, target: Target, direction: Direction, estimate: Estimate | None) -> Verdict:
    return Verdict(
        verdict=label,
        target=target,
        direction=direction,
        estimate=None,
        ci_low=None,
        ci_high=None,
        confidence_level=None if estimate is None else estimate.confidence_level,
        n=None if estimate is None else estimate.n,
        point_meets_target=None,
        p_value=None,
        p_value_not_met=None,
        test_method=None,
    )


def target_verdict(
    estimate: Estimate | None,
    target: Target,
    *,
    direction: Direction,
    test: VerdictTest = "auto",
) -> Verdict:
    r"""Judge whether an indicator estimate meets a plan target, allowing for uncertainty.

    Interval rule, with [L, U] the estimate's own two-sided interval and v the target value:

    ============  ===============  ===============
    kind          achieved         not_achieved
    ============  ===============  ===============
    at_least      L ≥ v            U < v
    above         L > v            U ≤ v
    at_most       U ≤ v            L > v
    below         U < v            L ≥ v
    ============  ===============  ===============

    otherwise ``not_yet_distinguishable``. ``direction`` must agree with the kind (rise:
    at_least/above; fall: at_most/below), else ValueError — a guard against a data file that
    reverses a target.

    One-sided p-values, z = (θ̂ − v)/SE:

    - ``binomial-score`` (used by ``test="auto"`` when ``estimate.method`` is one of the simple
      binomial interval methods of :func:`.proportion_ci`): SE = sqrt(v(1 − v)/n), the variance
      at the bound — the test whose inversion is the Wilson interval. Undefined (None) for
      v = 0 or 1.
    - ``design-t`` (``auto`` for design-based estimates that carry their degrees of freedom,
      ``estimate.df``): SE = ``estimate.std_error``, Student t on df = PSUs − strata, as R's
      ``svyttest``/``confint(..., df=degf(design))`` (z overstates the evidence with few clusters).
    - ``design-z`` (``auto`` for any other method): SE = ``estimate.std_error``, standard normal.
      Both undefined when the SE is 0/None.

    For rising kinds p_value = 1 − F(z) and p_value_not_met = F(z) (F = Φ, or the t distribution
    function on df); for falling kinds the reverse.
    A suppressed estimate gives ``suppressed``; None or an estimate without a value ``no_data``.
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, got {direction!r}")
    if target.kind not in _KINDS_FOR_DIRECTION[direction]:
        raise ValueError(
            f"a {direction!r} indicator needs a target of kind {_KINDS_FOR_DIRECTION[direction]}, got {target.kind!r}"
        )
    if test not in ("auto", "binomial-score", "design-z", "design-t"):
        raise ValueError(f"test must be 'auto', 'binomial-score', 'design-z' or 'design-t', got {test!r}")
    if estimate is None:
        return _empty("no_data", target, direction, None)
    if estimate.suppressed:
        return _empty("suppressed", target, direction, estimate)
    if estimate.estimate is None or estimate.ci_low is None or estimate.ci_high is None:
        return _empty("no_data", target, direction, estimate)

    theta, low, high, v = estimate.estimate, estimate.ci_low, estimate.ci_high, target.value
    label: VerdictLabel
    if target.is_met_by(low) and target.is_met_by(high):
        label = "achieved"
    elif not target.is_met_by(low) and not target.is_met_by(high):
        label = "not_achieved"
    else:
        label = "not_yet_distinguishable"

    df = getattr(estimate, "df", None)
    has_df = isinstance(df, int) and df >= 1
    test_method: Literal["binomial-score", "design-z", "design-t"]
    if test == "auto":
        test_method = (
            "binomial-score" if estimate.method in PROPORTION_METHODS else "design-t" if has_df else "design-z"
        )
    else:
        test_method = test
    if test_method == "design-t" and not has_df:
        raise ValueError("test='design-t' needs an estimate with its design degrees of freedom (estimate.df >= 1)")
    if test_method == "binomial-score":
        se: float | None = math.sqrt(v * (1.0 - v) / estimate.n) if estimate.n > 0 else None
    else:
        se = estimate.std_error
    p_met: float | None = None
    p_not_met: float | None = None
    if se is not None and se > 0.0 and math.isfinite(se):
        z = (theta - v) / se
        rising = direction == "rise"
        if test_method == "design-t":
            upper, lower = float(stats.t.sf(z, df)), float(stats.t.cdf(z, df))
        else:
            upper, lower = normal_p_value(z, "greater"), normal_p_value(z, "less")
        p_met, p_not_met = (upper, lower) if rising else (lower, upper)

    return Verdict(
        verdict=label,
        target=target,
        direction=direction,
        estimate=theta,
        ci_low=low,
        ci_high=high,
        confidence_level=estimate.confidence_level,
        n=estimate.n,
        point_meets_target=target.is_met_by(theta),
        p_value=p_met,
        p_value_not_met=p_not_met,
        test_method=test_method,
    )
