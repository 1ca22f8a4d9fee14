"""Means, proportions and totals on any design (multistage, calibrated), with every interval of
R's ``svyciprop`` and both design effects.

Works on a :class:`.multistage.MultistageDesign` or an uncalibrated :class:`.design.SurveyDesign`
(raked/post-stratified designs stay with :func:`.design.survey_mean`). The variance is
:func:`.multistage.covariance` of the linearised scores (Lumley 2010 §2.2):

- mean / proportion (ratio ``Σwy/Σw`` over the domain): ``zᵢ = wᵢ(yᵢ − ŷ)/Σw``;
- total ``Σwy`` over the domain (R ``svytotal``): ``zᵢ = wᵢyᵢ``.

Out-of-domain rows and rows whose value is null get a zero score but stay in the design.

Intervals (``method``; t on the design df, or the normal with ``df="infinite"``)
----------------------------------------------------------------------------------
- ``"mean"``: Wald, p̂ ± t·SE (R ``svyciprop(method="mean")``; the only one for means/totals).
- ``"logit"``: expit(logit p̂ ± t·SE/(p̂(1−p̂))) (``method="logit"``).
- ``"likelihood"``: Rao–Scott scaled likelihood (``method="likelihood"``, R's
  ``confint.svyglm(method="likelihood")``): the π where the deviance of
  ``svyglm(y ~ 1, family=quasibinomial)`` at π over its dispersion reaches ``t²·λ`` (λ = design
  over model-based variance of the logit), i.e. ``2·KL(p̂‖π) = t²/n_s`` with
  ``n_s = (n − 1)p̂(1 − p̂)/(n·V)`` (svyglm's weights have mean 1 over the n respondents of the
  domain and its dispersion is n/(n − 1) for a 0/1 variable). Found exactly (brentq); R
  interpolates the same profile with a spline through ≤ 10 points, so R's limits differ from the
  exact root by ~1e-5.
- ``"asin"``: sin²(asin√p̂ ± t·SE/(2√(p̂(1−p̂)))) (``method="asin"``, the delta method on the
  arcsine square root); the angle is clipped to [0, π/2], where R's limits fold back.
- ``"beta"``: Korn–Graubard as :mod:`.design` (``method="beta"``).

Design effects (R ``svymean(..., deff=TRUE)`` and ``deff="replace"``)
-------------------------------------------------------------------
``deff_without_replacement`` = V / (s²_w (N̂ − n)/(N̂ n)), against a simple random sample without
replacement from a population of N̂ = Σw; ``deff_with_replacement`` = V / (s²_w/n). For a total
the SRS variances are multiplied by N̂². None when undefined (N̂ ≤ n without replacement).
"""

from __future__ import annotations

import math
from typing import Literal, get_args

import numpy as np
import polars as pl
from scipy import optimize, special, stats

from pmp_surveys.analysis import multistage
from pmp_surveys.analysis.design import _domain_codes, _variable
from pmp_surveys.analysis.multistage import AnyDesign, Prepared
from pmp_surveys.analysis.results import Estimate, check_confidence_level

DesignInterval = Literal["logit", "likelihood", "asin", "beta", "mean"]
DESIGN_INTERVALS: tuple[DesignInterval, ...] = get_args(DesignInterval)
DfRule = Literal["design", "infinite"]


class DesignBasedEstimate(Estimate, frozen=True, kw_only=True):
    """Estimate fields plus design diagnostics; ``df`` is ``math.inf`` for ``df="infinite"``."""

    df: float
    n_psu: int
    n_missing: int
    weight_total: float | None
    deff_without_replacement: float | None
    deff_with_replacement: float | None


def critical_value(confidence_level: float, df: float) -> float:
    """Two-sided t (or normal for df = ∞) critical value."""
    q = 0.5 + confidence_level / 2.0
    return float(special.ndtri(q)) if math.isinf(df) else float(stats.t.ppf(q, df))


def _likelihood(p: float, n_eff_scale: float, crit: float) -> tuple[float, float]:
    """Roots of (2·n_s·KL(p̂‖π)) = crit² on either side of p̂, with n_s = p̂(1−p̂)/V (the deviance
    of the weighted binomial divided by the design effect)."""

    def excess(pi: float) -> float:
        dev = 0.0
        if p > 0.0:
            dev += p * math.log(p / pi)
        if p < 1.0:
            dev += (1.0 - p) * math.log((1.0 - p) / (1.0 - pi))
        return 2.0 * n_eff_scale * dev - crit * crit

    eps = 1e-300
    low = 0.0 if p <= 0.0 else optimize.brentq(excess, eps, p, xtol=1e-14, rtol=1e-14)
    high = 1.0 if p >= 1.0 else optimize.brentq(excess, p, 1.0 - 1e-16, xtol=1e-14, rtol=1e-14)
    return float(low), float(high)


def proportion_interval(
    method: str, p: float, se: float, n: int, df: float, confidence_level: float
) -> tuple[float | None, float | None]:
    """(ci_low, ci_high) of a design-based proportion; None when df < 1 or n < 2."""
    if n < 2 or df < 1:
        return None, None
    crit = critical_value(confidence_level, df)
    if method == "mean":
        return p - crit * se, p + crit * se
    degenerate = p <= 0.0 or p >= 1.0 or se == 0.0
    if method == "logit":
        if degenerate:
            return p, p
        half = crit * se / (p * (1.0 - p))
        centre = float(special.logit(p))
        return float(special.expit(centre - half)), float(special.expit(centre + half))
    if method == "asin":
        if degenerate:
            return p, p
        angle = math.asin(math.sqrt(p))
        half = crit * se / (2.0 * math.sqrt(p * (1.0 - p)))
        return math.sin(max(0.0, angle - half)) ** 2, math.sin(min(math.pi / 2.0, angle + half)) ** 2
    if method == "likelihood":
        if degenerate:
            return p, p
        return _likelihood(p, (n - 1) * p * (1.0 - p) / (se**2 * n), crit)
    # Korn-Graubard
    alpha = 1.0 - confidence_level
    t_df = float(special.ndtri(alpha / 2.0)) if math.isinf(df) else float(stats.t.ppf(alpha / 2.0, df))
    ratio = (float(stats.t.ppf(alpha / 2.0, n - 1)) / t_df) ** 2
    n_eff = (p * (1.0 - p) / se**2 if se > 0.0 else float(n)) * ratio
    low = 0.0 if p <= 0.0 else float(stats.beta.ppf(alpha / 2.0, n_eff * p, n_eff * (1.0 - p) + 1.0))
    high = 1.0 if p >= 1.0 else float(stats.beta.ppf(1.0 - alpha / 2.0, n_eff * p + 1.0, n_eff * (1.0 - p)))
    return low, high


def _deffs(variance: float, s2: float, n: int, total_w: float, scale: float) -> tuple[float | None, float | None]:
    if n < 2 or s2 <= 0.0:
        return None, None
    v_replace = s2 / n * scale
    v_without = v_replace * (total_w - n) / total_w
    return (variance / v_without if total_w > n else None), variance / v_replace


def _estimate(
    frame: pl.DataFrame,
    variable: str,
    design: AnyDesign,
    *,
    kind: Literal["ratio", "total"],
    binary: bool,
    method: str,
    domain: str | pl.Expr | None,
    confidence_level: float,
    df: DfRule,
    prep: Prepared | None = None,
) -> DesignBasedEstimate:
    check_confidence_level(confidence_level)
    if df not in ("design", "infinite"):
        raise ValueError(f"df must be 'design' or 'infinite', got {df!r}")
    prep = prep if prep is not None else multistage.prepare(frame, design)
    y = _variable(frame, variable, binary=binary)
    in_domain = _domain_codes(frame, domain) >= 0
    valid = in_domain & ~np.isnan(y) & (prep.weights > 0)
    rows = np.flatnonzero(valid)
    n = int(rows.size)
    n_missing = int(np.count_nonzero(in_domain & np.isnan(y)))
    n_psu = int(np.unique(prep.psu[rows]).size)
    design_df = float(multistage.degrees_of_freedom(prep, rows)) if n else 0.0
    df_value = math.inf if df == "infinite" else design_df
    common = {"confidence_level": confidence_level, "n": n, "method": method, "n_psu": n_psu, "n_missing": n_missing}
    if n == 0:
        return DesignBasedEstimate(
            estimate=None,
            std_error=None,
            ci_low=None,
            ci_high=None,
            df=df_value,
            weight_total=None,
            deff_without_replacement=None,
            deff_with_replacement=None,
            **common,  # type: ignore[arg-type]
        )
    w = prep.weights[rows]
    yv = y[rows]
    total_w = float(w.sum())
    mean = float((w * yv).sum() / total_w)
    scores = np.zeros(prep.weights.size)
    if kind == "ratio":
        scores[rows] = w * (yv - mean) / total_w
        estimate, scale = mean, 1.0
    else:
        scores[rows] = w * yv
        estimate, scale = float((w * yv).sum()), total_w * total_w
    variance = float(multistage.covariance(prep, scores[:, None])[0, 0])
    se = math.sqrt(max(variance, 0.0))
    s2 = float((w * (yv - mean) ** 2).sum() / total_w) * n / (n - 1) if n > 1 else 0.0
    deff_wor, deff_wr = _deffs(variance, s2, n, total_w, scale)
    if kind == "ratio" and binary:
        low, high = proportion_interval(method, estimate, se, n, df_value, confidence_level)
    elif df_value >= 1 and n >= 2:
        crit = critical_value(confidence_level, df_value)
        low, high = estimate - crit * se, estimate + crit * se
    else:
        low = high = None
    return DesignBasedEstimate(
        estimate=estimate,
        std_error=se,
        ci_low=low,
        ci_high=high,
        df=df_value,
        weight_total=total_w,
        deff_without_replacement=deff_wor,
        deff_with_replacement=deff_wr,
        **common,  # type: ignore[arg-type]
    )


def design_proportion(
    frame: pl.DataFrame,
    variable: str,
    design: AnyDesign,
    *,
    method: DesignInterval = "logit",
    domain: str | pl.Expr | None = None,
    confidence_level: float = 0.95,
    df: DfRule = "design",
) -> DesignBasedEstimate:
    """Proportion of a 0/1 or boolean column on any design, with the chosen interval.

    R: ``svyciprop(~y, subset(design, domain), method=method, level=confidence_level,
    df=degf(...) or Inf)``. Raises ValueError for a non-binary column or an unknown method.
    """
    if method not in DESIGN_INTERVALS:
        raise ValueError(f"method must be one of {DESIGN_INTERVALS}, got {method!r}")
    return _estimate(
        frame,
        variable,
        design,
        kind="ratio",
        binary=True,
        method=method,
        domain=domain,
        confidence_level=confidence_level,
        df=df,
    )


def design_mean(
    frame: pl.DataFrame,
    variable: str,
    design: AnyDesign,
    *,
    domain: str | pl.Expr | None = None,
    confidence_level: float = 0.95,
    df: DfRule = "design",
) -> DesignBasedEstimate:
    """Mean of a numeric column on any design, Wald interval on t_df (or normal).

    R: ``svymean(~y, subset(design, domain), na.rm=TRUE, deff=TRUE)`` with ``confint(df=...)``.
    """
    return _estimate(
        frame,
        variable,
        design,
        kind="ratio",
        binary=False,
        method="mean",
        domain=domain,
        confidence_level=confidence_level,
        df=df,
    )


def design_total(
    frame: pl.DataFrame,
    variable: str,
    design: AnyDesign,
    *,
    domain: str | pl.Expr | None = None,
    confidence_level: float = 0.95,
    df: DfRule = "design",
) -> DesignBasedEstimate:
    """Population total ``Σ wᵢyᵢ`` over the domain (e.g. the number of teachers who use a
    practice, from a 0/1 column), Wald interval on t_df (or normal).

    R: ``svytotal(~y, subset(design, domain), na.rm=TRUE, deff=TRUE)``; R's ``confint`` on a
    total uses the normal (``df="infinite"`` here) unless ``df=`` is given.
    """
    return _estimate(
        frame,
        variable,
        design,
        kind="total",
        binary=False,
        method="total",
        domain=domain,
        confidence_level=confidence_level,
        df=df,
    )
