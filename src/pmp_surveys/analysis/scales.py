"""Scale scores, Cronbach's alpha, and mean change of scale scores (Welch's t, Hedges' g).

Scale scores are the mean of the valid items after reverse-coding (``points + 1 − x`` on a
1..points scale), null when fewer than ``min_valid`` items were answered — the TSES scoring rule
(unweighted item means) with an explicit rule for item non-response.

References
----------
- Cronbach LJ (1951). Coefficient alpha and the internal structure of tests. Psychometrika 16:297–334.
- Feldt LS (1965). The approximate sampling distribution of Kuder-Richardson reliability
  coefficient twenty. Psychometrika 30:357–370; Feldt LS, Woodruff DJ, Salih FA (1987).
  Statistical inference for coefficient alpha. Applied Psychological Measurement 11:93–103.
  ``(1 − α)/(1 − α̂)`` ~ F(n − 1, (n − 1)(k − 1)); the interval equals ``psych::alpha.ci``.
- Welch BL (1947). The generalization of "Student's" problem when several different population
  variances are involved. Biometrika 34:28–35.
- Hedges LV, Olkin I (1985). Statistical Methods for Meta-Analysis. Academic Press, ch. 5:
  g = J(m)·d with J(m) = Γ(m/2) / (√(m/2) Γ((m − 1)/2)), m = n₁ + n₂ − 2, and the large-sample
  variance (n₁ + n₂)/(n₁n₂) + g²/(2(n₁ + n₂)).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import polars as pl
from scipy import special, stats

from pmp_surveys.analysis.results import (
    Alternative,
    Estimate,
    Result,
    TestResult,
    check_alternative,
    check_confidence_level,
)

FloatArray = npt.NDArray[np.float64]
Sample = pl.Series | Sequence[float] | npt.ArrayLike


def _check_items(items: Sequence[str], reverse: Sequence[str], points: int | None) -> None:
    if isinstance(items, str) or not items:
        raise ValueError("items must be a non-empty sequence of column names")
    if len(set(items)) != len(items):
        raise ValueError(f"items are listed more than once: {list(items)}")
    stray = [name for name in reverse if name not in items]
    if stray:
        raise ValueError(f"reverse-coded item(s) {stray} are not among the items")
    if reverse and points is None:
        raise ValueError("points (the top of the 1..points scale) is needed to reverse-code items")
    if points is not None and points < 2:
        raise ValueError(f"points must be at least 2, got {points}")


def _keyed_items(items: Sequence[str], reverse: Sequence[str], points: int | None) -> list[pl.Expr]:
    reversed_items = set(reverse)
    return [
        (points + 1 - pl.col(name).cast(pl.Float64).fill_nan(None)).alias(name)
        if name in reversed_items and points is not None
        else pl.col(name).cast(pl.Float64).fill_nan(None).alias(name)
        for name in items
    ]


def scale_score_expr(
    items: Sequence[str],
    *,
    reverse: Sequence[str] = (),
    points: int | None = None,
    min_valid: int | None = None,
) -> pl.Expr:
    """Polars expression for the scale score: mean of valid (non-null) keyed items, or null when
    fewer than `min_valid` (default: all) items are valid. Reverse-coded items become
    ``points + 1 − x``. Does not check the range of the answers; :func:`scale_scores` does."""
    _check_items(items, reverse, points)
    needed = len(items) if min_valid is None else min_valid
    if not 1 <= needed <= len(items):
        raise ValueError(f"min_valid must be between 1 and {len(items)}, got {min_valid}")
    keyed = _keyed_items(items, reverse, points)
    # NaN (a numeric answer that is not a number) is missing, like null.
    valid = pl.sum_horizontal([k.is_not_null().cast(pl.Int32) for k in keyed])
    return pl.when(valid >= needed).then(pl.mean_horizontal(keyed)).otherwise(None).alias("score")


def _check_range(frame: pl.DataFrame, items: Sequence[str], points: int | None) -> None:
    missing = [name for name in items if name not in frame.columns]
    if missing:
        raise ValueError(f"item column(s) {missing} not in the frame")
    if points is None:
        return
    keyed = _keyed_items(items, (), None)  # NaN → null: a missing answer is not out of range
    bounds = frame.select(
        *[k.min().alias(f"{name}:min") for name, k in zip(items, keyed, strict=True)],
        *[k.max().alias(f"{name}:max") for name, k in zip(items, keyed, strict=True)],
    ).row(0, named=True)
    for name in items:
        low, high = bounds[f"{name}:min"], bounds[f"{name}:max"]
        if low is not None and (low < 1 or high > points):
            raise ValueError(f"item {name!r} has answers outside 1..{points} (range {low}..{high})")


def scale_scores(
    frame: pl.DataFrame,
    items: Sequence[str],
    *,
    reverse: Sequence[str] = (),
    points: int | None = None,
    min_valid: int | None = None,
) -> pl.Series:
    """Scale score of every row (see :func:`scale_score_expr`), after checking answers lie in
    1..points when `points` is given."""
    expr = scale_score_expr(items, reverse=reverse, points=points, min_valid=min_valid)
    _check_range(frame, items, points)
    return frame.select(expr).to_series()


class AlphaEstimate(Estimate, frozen=True, kw_only=True):
    """Cronbach's alpha with the Feldt interval; ``n`` complete cases, ``n_excluded`` rows with a
    missing item (listwise deletion), ``n_items`` the number of items. ``std_error`` is None."""

    n_items: int
    n_excluded: int


def cronbach_alpha(
    frame: pl.DataFrame,
    items: Sequence[str],
    *,
    reverse: Sequence[str] = (),
    points: int | None = None,
    confidence_level: float = 0.95,
) -> AlphaEstimate:
    """Cronbach's alpha ``k/(k − 1)·(1 − Σ s²ᵢ / s²_total)`` on complete cases, with Feldt's (1965)
    F-based interval ``1 − (1 − α̂)·F_{1∓γ/2}(n − 1, (n − 1)(k − 1))``.

    Matches ``psych::alpha(...)$total$raw_alpha`` and ``psych::alpha.ci`` when there are no
    missing answers (psych uses pairwise covariances when there are). Reverse-coded items are
    keyed first. None values when there are fewer than 2 complete cases or no total variance.
    """
    check_confidence_level(confidence_level)
    _check_items(items, reverse, points)
    if len(items) < 2:
        raise ValueError("Cronbach's alpha needs at least 2 items")
    _check_range(frame, items, points)
    keyed = frame.select(_keyed_items(items, reverse, points)).drop_nulls()
    k = len(items)
    n = keyed.height
    excluded = frame.height - n
    empty = AlphaEstimate(
        estimate=None,
        std_error=None,
        ci_low=None,
        ci_high=None,
        confidence_level=confidence_level,
        n=n,
        method="feldt",
        n_items=k,
        n_excluded=excluded,
    )
    if n < 2:
        return empty
    matrix = keyed.to_numpy().astype(np.float64)
    item_variance = matrix.var(axis=0, ddof=1).sum()
    total_variance = float(matrix.sum(axis=1).var(ddof=1))
    if total_variance <= 0.0:
        return empty
    alpha = k / (k - 1) * (1.0 - float(item_variance) / total_variance)
    gamma = 1.0 - confidence_level
    df1, df2 = n - 1, (n - 1) * (k - 1)
    low = 1.0 - (1.0 - alpha) * float(stats.f.ppf(1.0 - gamma / 2.0, df1, df2))
    high = 1.0 - (1.0 - alpha) * float(stats.f.ppf(gamma / 2.0, df1, df2))
    return AlphaEstimate(
        estimate=alpha,
        std_error=None,
        ci_low=low,
        ci_high=high,
        confidence_level=confidence_level,
        n=n,
        method="feldt",
        n_items=k,
        n_excluded=excluded,
    )


class ShareAbove(Result, frozen=True, kw_only=True):
    """Share of valid scores at or above (``inclusive``) or strictly above a threshold.

    No interval here: use ``survey_proportion`` on ``score >= threshold`` (design-based) or the
    proportions module for a simple sample.
    """

    share: float | None
    count: int
    n: int
    n_missing: int
    threshold: float
    inclusive: bool


def share_above(scores: pl.Series, threshold: float, *, inclusive: bool = True) -> ShareAbove:
    """Share of non-null scores ≥ `threshold` (or > when ``inclusive=False``); nulls set aside."""
    valid = scores.drop_nulls().cast(pl.Float64)
    valid = valid.filter(valid.is_not_nan())
    above = valid >= threshold if inclusive else valid > threshold
    count = int(above.sum())
    n = valid.len()
    return ShareAbove(
        share=count / n if n else None,
        count=count,
        n=n,
        n_missing=scores.len() - n,
        threshold=float(threshold),
        inclusive=inclusive,
    )


def _sample(values: Sample, name: str) -> FloatArray:
    if isinstance(values, pl.Series):
        array = values.cast(pl.Float64).drop_nulls().to_numpy().astype(np.float64)
    else:
        array = np.asarray(values, dtype=np.float64).ravel()
    array = array[~np.isnan(array)]
    if array.size < 2:
        raise ValueError(f"{name} needs at least 2 non-missing values, got {array.size}")
    return np.asarray(array, dtype=np.float64)


class WelchResult(TestResult, frozen=True, kw_only=True):
    """Welch's unequal-variance t test of mean(x) − mean(y), with the difference and its interval.

    For one-sided alternatives the interval is one-sided as in R's ``t.test``: the open side is None.
    """

    estimate: float
    std_error: float
    ci_low: float | None
    ci_high: float | None
    confidence_level: float
    df: float
    mean_x: float
    mean_y: float
    n_x: int
    n_y: int


def welch_t(
    x: Sample,
    y: Sample,
    *,
    confidence_level: float = 0.95,
    alternative: Alternative = "two-sided",
) -> WelchResult:
    """Welch's t for the difference of means ``mean(x) − mean(y)`` (pass ``after, before`` for a
    change), Welch–Satterthwaite df. As ``t.test(x, y, var.equal=FALSE)`` and
    ``scipy.stats.ttest_ind(x, y, equal_var=False)``. Nulls and NaN are dropped."""
    check_confidence_level(confidence_level)
    check_alternative(alternative)
    a, b = _sample(x, "x"), _sample(y, "y")
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se = float(math.sqrt(va + vb))
    diff = float(a.mean() - b.mean())
    if se == 0.0:
        raise ValueError("both samples are constant: the t statistic is undefined")
    df = float((va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1)))
    t = diff / se
    gamma = 1.0 - confidence_level
    low: float | None
    high: float | None
    if alternative == "two-sided":
        p = float(2.0 * stats.t.sf(abs(t), df))
        q = float(stats.t.ppf(1.0 - gamma / 2.0, df))
        low, high = diff - q * se, diff + q * se
    elif alternative == "greater":
        p = float(stats.t.sf(t, df))
        low, high = diff - float(stats.t.ppf(confidence_level, df)) * se, None
    else:
        p = float(stats.t.cdf(t, df))
        low, high = None, diff + float(stats.t.ppf(confidence_level, df)) * se
    return WelchResult(
        statistic=t,
        p_value=p,
        alternative=alternative,
        method="welch-t",
        estimate=diff,
        std_error=se,
        ci_low=low,
        ci_high=high,
        confidence_level=confidence_level,
        df=df,
        mean_x=float(a.mean()),
        mean_y=float(b.mean()),
        n_x=int(a.size),
        n_y=int(b.size),
    )


class EffectSize(Estimate, frozen=True, kw_only=True):
    """Hedges' g with Cohen's d (pooled SD) and the small-sample correction J it was built from."""

    cohens_d: float
    correction: float
    n_x: int
    n_y: int


def hedges_correction(m: int) -> float:
    """Exact Hedges (1981) J(m) = Γ(m/2) / (√(m/2) Γ((m − 1)/2)); ≈ 1 − 3/(4m − 1)."""
    if m < 2:
        raise ValueError(f"J(m) needs m >= 2 degrees of freedom, got {m}")
    return float(math.exp(special.gammaln(m / 2.0) - special.gammaln((m - 1) / 2.0) - 0.5 * math.log(m / 2.0)))


def hedges_g(x: Sample, y: Sample, *, confidence_level: float = 0.95) -> EffectSize:
    """Hedges' g for ``mean(x) − mean(y)`` over the pooled SD, with J(n_x + n_y − 2) and the
    Hedges & Olkin (1985) normal-approximation interval g ± z·√((n_x+n_y)/(n_x n_y) + g²/(2(n_x+n_y)))."""
    check_confidence_level(confidence_level)
    a, b = _sample(x, "x"), _sample(y, "y")
    n1, n2 = int(a.size), int(b.size)
    m = n1 + n2 - 2
    pooled = math.sqrt(((n1 - 1) * a.var(ddof=1) + (n2 - 1) * b.var(ddof=1)) / m)
    if pooled == 0.0:
        raise ValueError("both samples are constant: the standardised difference is undefined")
    d = float(a.mean() - b.mean()) / pooled
    j = hedges_correction(m)
    g = j * d
    se = math.sqrt((n1 + n2) / (n1 * n2) + g * g / (2.0 * (n1 + n2)))
    z = float(special.ndtri(0.5 + confidence_level / 2.0))
    return EffectSize(
        estimate=g,
        std_error=se,
        ci_low=g - z * se,
        ci_high=g + z * se,
        confidence_level=confidence_level,
        n=n1 + n2,
        method="hedges-g",
        cohens_d=d,
        correction=j,
        n_x=n1,
        n_y=n2,
    )
