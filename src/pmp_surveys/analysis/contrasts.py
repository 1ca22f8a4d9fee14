"""Contrasts of domain means within one design, with their covariance, and the design-based t test.

Two domains of the same design (two roles, or two waves of a panel of schools stacked in one
frame whose cluster column holds the same school id in both waves) share PSUs, so their means are
correlated. The linearised covariance of the domain means comes from the joint scores
(one column per domain, :func:`.multistage.covariance`), and a contrast ``Σ c_l ŷ_l`` has variance
``cᵀVc`` (R: ``svycontrast(svyby(~y, ~by, design, svymean, covmat=TRUE), c)``). For shared
schools a positive covariance makes the SE of a change much smaller than under independence
(:func:`.differences.difference_ci`), which is what re-surveyed schools are for.

The indicator pipeline (:mod:`pmp_surveys.indicators`) does not call this: its design takes every
school as a stratum and the (anonymous) teachers of each wave as that wave's own sample, so two
waves share no PSU and their covariance is zero — the independent difference is already the
design-based one there. Use :func:`design_contrast` when schools are *sampled* clusters surveyed
in both waves (stack the waves in one frame, ``clusters="school"``, ``by="wave"``).

:func:`design_ttest` is R's ``svyttest(y ~ group, design)``: the coefficient of the second
group in ``svyglm(y ~ group)`` equals ȳ₂ − ȳ₁ with the same linearised SE as the contrast above;
the test is t = est/SE on ``degf(design) − 1`` df (the glm's residual df).

Reference: Lumley T (2010). Complex Surveys: A Guide to Analysis Using R, §2.3 and §5.2.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import polars as pl
from scipy import stats

from pmp_surveys.analysis import multistage
from pmp_surveys.analysis.design import _variable
from pmp_surveys.analysis.design_estimates import DfRule, critical_value
from pmp_surveys.analysis.linearization import FloatArray, require_columns
from pmp_surveys.analysis.multistage import AnyDesign
from pmp_surveys.analysis.results import Estimate, check_confidence_level


class ContrastResult(Estimate, frozen=True, kw_only=True):
    """A linear combination of domain means: estimate, SE, interval on ``df`` (∞ for normal),
    the Wald statistic ``t = estimate/SE`` with its two-sided ``p_value``, the domain means and
    their covariance matrix (in ``levels`` order)."""

    df: float
    statistic: float | None
    p_value: float | None
    levels: tuple[str, ...]
    means: tuple[float, ...]
    covariance: tuple[tuple[float, ...], ...]


def domain_means(
    frame: pl.DataFrame, variable: str, design: AnyDesign, by: str, levels: Sequence[object]
) -> tuple[FloatArray, FloatArray, int, int]:
    """(means, covariance, n, df) of the domain means of `variable` for `levels` of `by`; `n`
    and `df` (R ``degf``) are over the rows of those domains with a value. Raises ValueError
    for an empty domain."""
    require_columns(frame, [by])
    prep = multistage.prepare(frame, design)
    y = _variable(frame, variable, binary=False)
    groups = frame.get_column(by)
    scores = np.zeros((frame.height, len(levels)))
    means = np.zeros(len(levels))
    used = np.zeros(frame.height, dtype=bool)
    index = groups.replace_strict(list(levels), list(range(len(levels))), default=-1, return_dtype=pl.Int64)
    code = index.fill_null(-1).to_numpy()
    usable = ~np.isnan(y) & (prep.weights > 0)
    for j, level in enumerate(levels):
        mask = (code == j) & usable
        if not mask.any():
            raise ValueError(f"domain {by}={level!r} has no respondent with a value of {variable!r}")
        w = prep.weights[mask]
        means[j] = float((w * y[mask]).sum() / w.sum())
        scores[mask, j] = w * (y[mask] - means[j]) / w.sum()
        used |= mask
    rows = np.flatnonzero(used)
    return means, multistage.covariance(prep, scores), int(rows.size), multistage.degrees_of_freedom(prep, rows)


def design_contrast(
    frame: pl.DataFrame,
    variable: str,
    design: AnyDesign,
    by: str,
    coefficients: Mapping[object, float],
    *,
    confidence_level: float = 0.95,
    df: DfRule = "design",
) -> ContrastResult:
    """``Σ c_l · mean(variable | by = l)`` with its linearised SE (covariances included).

    ``coefficients`` maps levels of `by` to weights, e.g. ``{2024: -1, 2026: 1}`` for the change
    between two waves. R: ``svycontrast(svyby(~y, ~by, design, svymean, covmat=TRUE), c)`` with
    ``confint(..., df=degf(design))``. Raises ValueError for an empty domain or no coefficients.
    """
    check_confidence_level(confidence_level)
    if not coefficients:
        raise ValueError("give at least one coefficient")
    levels = list(coefficients)
    c = np.array([float(coefficients[level]) for level in levels])
    means, cov, n, design_df = domain_means(frame, variable, design, by, levels)
    estimate = float(c @ means)
    se = math.sqrt(max(float(c @ cov @ c), 0.0))
    df_value = math.inf if df == "infinite" else float(design_df)
    low = high = statistic = p_value = None
    if df_value >= 1:
        crit = critical_value(confidence_level, df_value)
        low, high = estimate - crit * se, estimate + crit * se
        if se > 0:
            statistic = estimate / se
            tail = stats.norm.sf(abs(statistic)) if math.isinf(df_value) else stats.t.sf(abs(statistic), df_value)
            p_value = float(2.0 * tail)
    return ContrastResult(
        estimate=estimate,
        std_error=se,
        ci_low=low,
        ci_high=high,
        confidence_level=confidence_level,
        n=n,
        method="linearised contrast",
        df=df_value,
        statistic=statistic,
        p_value=p_value,
        levels=tuple(str(level) for level in levels),
        means=tuple(float(m) for m in means),
        covariance=tuple(tuple(float(v) for v in row) for row in cov),
    )


def design_ttest(
    frame: pl.DataFrame,
    variable: str,
    design: AnyDesign,
    group: str,
    *,
    confidence_level: float = 0.95,
) -> ContrastResult:
    """Design-based two-group t test of `variable` between the two levels of `group` (sorted,
    as R's factor levels): estimate = mean(second) − mean(first), t on ``degf − 1`` df.

    R: ``svyttest(y ~ group, design)``. Raises ValueError unless `group` has exactly two levels
    among the rows with a value.
    """
    require_columns(frame, [group, variable])
    present = frame.filter(pl.col(variable).is_not_null() & pl.col(group).is_not_null())
    levels = present.get_column(group).unique().sort().to_list()
    if len(levels) != 2:
        raise ValueError(f"group {group!r} must have exactly two levels, found {len(levels)}")
    check_confidence_level(confidence_level)
    means, cov, n, design_df = domain_means(frame, variable, design, group, levels)
    c = np.array([-1.0, 1.0])
    estimate = float(c @ means)
    se = math.sqrt(max(float(c @ cov @ c), 0.0))
    df_value = float(design_df - 1)
    low = high = statistic = p_value = None
    if df_value >= 1:
        crit = critical_value(confidence_level, df_value)
        low, high = estimate - crit * se, estimate + crit * se
        if se > 0:
            statistic = estimate / se
            p_value = float(2.0 * stats.t.sf(abs(statistic), df_value))
    return ContrastResult(
        estimate=estimate,
        std_error=se,
        ci_low=low,
        ci_high=high,
        confidence_level=confidence_level,
        n=n,
        method="design-based t test",
        df=df_value,
        statistic=statistic,
        p_value=p_value,
        levels=tuple(str(level) for level in levels),
        means=tuple(float(m) for m in means),
        covariance=tuple(tuple(float(v) for v in row) for row in cov),
    )
