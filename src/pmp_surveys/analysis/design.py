"""Design-based (Taylor-linearised) estimation of proportions and means.

The estimators and their variances are those of R's ``survey`` package (Lumley 2004, 2010) for a
single-stage ("ultimate cluster") design: weights, strata, primary sampling units (PSUs) and a
finite population correction, with PSUs treated as sampled with replacement within strata unless
an fpc is given. Every number is reproduced from R in ``tests/analysis/reference``.

Estimator
---------
A proportion or mean is the ratio ``Σ wᵢyᵢ / Σ wᵢ`` over the respondents of the domain. Its
linearised scores are ``zᵢ = wᵢ(yᵢ − ŷ)/Σw`` (zero outside the domain); with ``T_hj`` the score
total of PSU j in stratum h, ``n_h`` the number of PSUs of stratum h in the *whole* design and
``f_h = (N_h − n_h)/N_h`` (1 without fpc), the variance is

    V = Σ_h f_h · n_h/(n_h − 1) · Σ_j (T_hj − T̄_h)²,

which is ``svyrecvar`` with ``survey.ultimate.cluster`` off and a single sampling stage.

Domains
-------
A domain (subgroup) keeps the whole design: out-of-domain respondents get a score of zero but
their PSUs still count in ``n_h`` (as R's ``subset()``/``svyby()`` on a design). Respondents whose
variable is null leave the denominator like an out-of-domain respondent; they are counted in
``n_missing``. Degrees of freedom follow R's ``degf()`` on the domain: the number of PSUs with a
respondent in the domain minus the number of strata with one.

Lonely PSUs
-----------
A stratum with a single PSU has no within-stratum variance estimate. The default is
``lonely_psu="adjust"``, as ``options(survey.lonely.psu="adjust")``: the PSU total is centred at
the overall mean score, which is zero, so the stratum contributes ``f_h·T_h²`` (conservative).
``"certainty"`` and ``"remove"`` give a zero contribution (in R 4.1 they differ only in
warnings), ``"fail"`` raises ValueError. A PSU that is the whole of its stratum by the fpc
(``N_h = n_h``) always contributes zero, whatever the rule.

Teachers in schools
-------------------
All schools of a municipality are invited and teachers within each respond or not. No school is
*sampled*: every school is in the survey, so between-school variation is not sampling variance.
The statistically right design is therefore **schools as strata**, teachers as the units, the
school's teacher head-count as the fpc of its stratum::

    SurveyDesign(strata="school_id", fpc="school_teachers")

Respondents are treated as a simple random sample of their school's teachers (missing at random
within school); weights default to ``N_h/n_h`` (the head-count over the number of respondents),
which also corrects for different response rates between schools, and a school where every
teacher answered contributes no variance. Use **schools as clusters**
(``SurveyDesign(clusters="school_id", weights=..., fpc="n_schools_in_population")``) when the
schools themselves are a sample of a larger population (several municipalities pooled and
generalised, or schools that did not take part at all must be represented): that interval is wider
because it includes between-school variance. Schools with a single respondent are lonely PSUs in
the stratified design (see above) unless that teacher is the whole school.

Residents
---------
Raked or post-stratified weights (:mod:`.weighting`) without clusters. Name the calibration
variables so that the variance uses the calibration residuals, as R does for a design returned by
``rake()`` or ``postStratify()``::

    SurveyDesign(weights="weight", raked_on=("age_band", "sex", "district"))
    SurveyDesign(weights="weight", post_stratified_on=("age_band", "sex"))

Post-stratification replaces the scores by ``z − w·Σ_cell z/Σ_cell w``; raking by R's 10
backfitting sweeps of ``u = z/w`` over the margins (unweighted category means), done here on
category sums and cross-count tables. Without ``raked_on`` the weights are treated as fixed, which
overstates the standard error of variables related to the margins. The residuals of a domain
touch every row; for unclustered designs all domains are still done at once from weight tables
(:mod:`.calibration`), for clustered calibrated designs ``*_by`` costs O(n) per level.

Confidence intervals for proportions (``method``)
-------------------------------------------------
- ``"logit"`` (default): ``expit(logit p̂ ± t_df · SE/(p̂(1 − p̂)))``, as ``svyciprop(method="logit")``.
- ``"beta"``: Korn & Graubard (1998) with the effective sample size
  ``n* = p̂(1 − p̂)/V · (t_{n−1}/t_df)²``, as ``svyciprop(method="beta")``; n is the domain's
  respondents (R uses ``nrow(design)``, which for a domain of a calibrated design counts every
  row, so R's beta limits differ slightly there).
- ``"mean"``: Wald with ``t_df``, as ``svyciprop(method="mean")``.

At p̂ = 0 or 1 the variance is zero. R's ``"mean"`` and ``"logit"`` then return the degenerate
interval (p̂, p̂) (R's logit gives ~1e-11, i.e. 0, from a non-converged glm), which would let
"0 of 15" prove a target "below 5 %". Here an interval is never zero-width at 0 or n: both fall
back to Korn–Graubard, and the estimate says so (``method`` is then ``"beta"``). R's ``"beta"``
returns NaN there; here the design effect is taken as 1 (``n* = n·(t_{n−1}/t_df)²``), which gives
the Clopper–Pearson interval ``[0, 1 − (α/2)^(1/n*)]`` (mirrored at 1). Intervals are None when
df < 1 or there are fewer than two respondents.

Design effect
-------------
``deff`` is R's ``svymean(..., deff=TRUE)``: the design variance over the variance of a simple
random sample without replacement of the same size from a population of ``Σw``,
``s²_w (Σw − n)/(Σw · n)`` with ``s²_w`` the weighted variance with the ``n/(n − 1)`` factor.
When ``Σw ≤ n`` (weights not scaled to the population, where R gives NA) the with-replacement
variance ``s²_w/n`` is used (R's ``deff="replace"``). ``effective_n = n/deff``.

References
----------
- Lumley T (2004). Analysis of complex survey samples. Journal of Statistical Software 9(8).
- Korn EL, Graubard BI (1998). Confidence intervals for proportions with small expected number
  of positive counts estimated from survey data. Survey Methodology 24:193–201.
- Wolter KM (2007). Introduction to Variance Estimation, 2nd ed., ch. 6 (Taylor series).
"""

from __future__ import annotations

from typing import Literal, get_args

import msgspec
import numpy as np
import polars as pl
from scipy import special, stats

from pmp_surveys.analysis import linearization
from pmp_surveys.analysis.linearization import (
    Core,
    FloatArray,
    IntArray,
    estimate_core,
    factorize,
    prepare,
    require_columns,
)
from pmp_surveys.analysis.results import DEFAULT_SUPPRESSION_THRESHOLD, Estimate, check_confidence_level

LonelyPSU = linearization.LonelyPSU
LONELY_PSU_RULES: tuple[LonelyPSU, ...] = get_args(LonelyPSU)
ProportionInterval = Literal["logit", "beta", "mean"]
PROPORTION_INTERVALS: tuple[ProportionInterval, ...] = get_args(ProportionInterval)
MeanInterval = Literal["mean"]


class SurveyDesign(msgspec.Struct, frozen=True, kw_only=True):
    """Column names of a single-stage survey design; every part is optional.

    - ``weights``: sampling weights. Without it, weights are ``N_h/n_h`` from ``fpc`` (as R's
      ``svydesign`` with ``fpc`` and no weights) or 1.
    - ``strata``: stratum of each respondent.
    - ``clusters``: primary sampling unit (PSU); without it every respondent is a PSU.
    - ``fpc``: population size of the stratum, counted in PSUs (the number of PSUs in the
      population of the stratum, or the number of units for an unclustered design); constant
      within a stratum. Omit for sampling with replacement / infinite population.
    - ``lonely_psu``: rule for a stratum with a single PSU (see the module notes).
    - ``raked_on`` / ``post_stratified_on``: the columns the weights were raked or
      post-stratified on; the variance then uses calibration residuals (module notes).

    Cluster ids are taken as nested in strata (R's ``nest=TRUE``).
    """

    weights: str | None = None
    strata: str | None = None
    clusters: str | None = None
    fpc: str | None = None
    lonely_psu: LonelyPSU = "adjust"
    raked_on: tuple[str, ...] = ()
    post_stratified_on: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.lonely_psu not in LONELY_PSU_RULES:
            raise ValueError(f"lonely_psu must be one of {LONELY_PSU_RULES}, got {self.lonely_psu!r}")
        if self.raked_on and self.post_stratified_on:
            raise ValueError("give raked_on or post_stratified_on, not both")
        if (self.raked_on or self.post_stratified_on) and self.weights is None:
            raise ValueError("raked_on / post_stratified_on describe calibrated weights: set weights too")

    def columns(self) -> list[str]:
        """The frame columns the design uses."""
        names = (self.weights, self.strata, self.clusters, self.fpc)
        calibrated = [*self.raked_on, *self.post_stratified_on]
        return [name for name in names if name is not None] + calibrated


class DesignEstimate(Estimate, frozen=True, kw_only=True):
    """A design-based estimate: the Estimate fields plus the design's diagnostics.

    ``n`` is the number of respondents in the domain with a non-null value; ``n_missing`` the
    in-domain respondents whose value was null (set aside). ``df`` = PSUs − strata in the
    domain; ``n_psu`` and ``n_strata`` are counted among the domain's respondents.
    """

    deff: float | None
    df: int
    n_psu: int
    n_strata: int
    effective_n: float | None
    n_missing: int = 0
    weight_total: float | None = None


def _finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def _degenerate(method: str, p: float, proportion: bool) -> bool:
    """A proportion at 0 or 1 whose mean/logit interval would have zero width (module notes)."""
    return proportion and method in ("mean", "logit") and (p <= 0.0 or p >= 1.0)


def _interval(
    method: str, p: float, se: float, n: int, df: int, confidence_level: float, *, proportion: bool = False
) -> tuple[float | None, float | None]:
    if n < 2 or df < 1:
        return None, None
    if _degenerate(method, p, proportion):
        method = "beta"  # never zero-width at 0 or n; the caller reports "beta"
    alpha = 1.0 - confidence_level
    t = float(stats.t.ppf(1.0 - alpha / 2.0, df))
    if method == "mean":
        return p - t * se, p + t * se
    if method == "logit":
        if p <= 0.0 or p >= 1.0 or se == 0.0:
            return p, p
        centre = float(special.logit(p))
        half = t * se / (p * (1.0 - p))
        return float(special.expit(centre - half)), float(special.expit(centre + half))
    # Korn-Graubard ("beta")
    ratio = (float(stats.t.ppf(alpha / 2.0, n - 1)) / float(stats.t.ppf(alpha / 2.0, df))) ** 2
    n_eff = (p * (1.0 - p) / se**2 if se > 0.0 else float(n)) * ratio
    low = 0.0 if p <= 0.0 else float(stats.beta.ppf(alpha / 2.0, n_eff * p, n_eff * (1.0 - p) + 1.0))
    high = 1.0 if p >= 1.0 else float(stats.beta.ppf(1.0 - alpha / 2.0, n_eff * p + 1.0, n_eff * (1.0 - p)))
    return low, high


def _result(core: Core, i: int, method: str, confidence_level: float, *, proportion: bool = False) -> DesignEstimate:
    n = int(core.n[i])
    common = {
        "confidence_level": confidence_level,
        "n": n,
        "method": method,
        "df": int(core.df[i]),
        "n_psu": int(core.n_psu[i]),
        "n_strata": int(core.n_strata[i]),
        "n_missing": int(core.n_missing[i]),
    }
    if n == 0:
        return DesignEstimate(
            estimate=None,
            std_error=None,
            ci_low=None,
            ci_high=None,
            deff=None,
            effective_n=None,
            weight_total=None,
            **common,  # type: ignore[arg-type]
        )
    p = float(core.estimate[i])
    se = float(np.sqrt(max(float(core.variance[i]), 0.0)))
    low, high = _interval(method, p, se, n, int(core.df[i]), confidence_level, proportion=proportion)
    if _degenerate(method, p, proportion) and low is not None:
        common["method"] = "beta"  # the Korn–Graubard fallback actually used
    deff = _finite(float(core.deff[i]))
    return DesignEstimate(
        estimate=p,
        std_error=se,
        ci_low=low,
        ci_high=high,
        deff=deff,
        effective_n=(n / deff) if deff else None,
        weight_total=float(core.weight_total[i]),
        **common,  # type: ignore[arg-type]
    )


def _variable(frame: pl.DataFrame, variable: str, *, binary: bool) -> FloatArray:
    require_columns(frame, [variable])
    series = frame.get_column(variable)
    if not (series.dtype.is_numeric() or series.dtype == pl.Boolean):
        raise ValueError(f"variable {variable!r} must be numeric or boolean, got {series.dtype}")
    values = series.cast(pl.Float64).fill_nan(None).to_numpy().astype(np.float64)
    if binary:
        present = values[~np.isnan(values)]
        if np.any((present != 0.0) & (present != 1.0)):
            raise ValueError(f"variable {variable!r} must be 0/1 or boolean for a proportion")
    return values


def _domain_codes(frame: pl.DataFrame, domain: str | pl.Expr | None) -> IntArray:
    if domain is None:
        return np.zeros(frame.height, dtype=np.int64)
    expr = pl.col(domain) if isinstance(domain, str) else domain
    mask = frame.select(expr.cast(pl.Boolean).fill_null(False)).to_series().to_numpy()
    return np.where(mask, 0, -1).astype(np.int64)


def _check(method: str, allowed: tuple[str, ...], confidence_level: float) -> None:
    check_confidence_level(confidence_level)
    if method not in allowed:
        raise ValueError(f"method must be one of {allowed}, got {method!r}")


def survey_proportion(
    frame: pl.DataFrame,
    variable: str,
    design: SurveyDesign,
    *,
    confidence_level: float = 0.95,
    method: ProportionInterval = "logit",
    domain: str | pl.Expr | None = None,
) -> DesignEstimate:
    """Design-based proportion of a 0/1 or boolean column, optionally in a domain.

    `domain` is a boolean column name or expression; rows where it is false or null are out of
    the domain but stay in the design. Null values of `variable` are set aside (``n_missing``).
    R: ``svyciprop(~y, subset(design, domain), method=method, level=confidence_level)``.
    """
    _check(method, PROPORTION_INTERVALS, confidence_level)
    prep = prepare(frame, design)
    core = estimate_core(prep, _variable(frame, variable, binary=True), _domain_codes(frame, domain), 1)
    return _result(core, 0, method, confidence_level, proportion=True)


def survey_mean(
    frame: pl.DataFrame,
    variable: str,
    design: SurveyDesign,
    *,
    confidence_level: float = 0.95,
    method: MeanInterval = "mean",
    domain: str | pl.Expr | None = None,
) -> DesignEstimate:
    """Design-based mean of a numeric column with a t interval on the design's df.

    R: ``confint(svymean(~y, subset(design, domain), na.rm=TRUE, deff=TRUE), df=degf(...))``.
    """
    _check(method, ("mean",), confidence_level)
    prep = prepare(frame, design)
    core = estimate_core(prep, _variable(frame, variable, binary=False), _domain_codes(frame, domain), 1)
    return _result(core, 0, method, confidence_level)


def _by(
    frame: pl.DataFrame,
    variable: str,
    design: SurveyDesign,
    by: str,
    *,
    binary: bool,
    method: str,
    confidence_level: float,
) -> pl.DataFrame:
    require_columns(frame, [by])
    prep = prepare(frame, design)
    by_series = frame.get_column(by)
    codes = np.full(frame.height, -1, dtype=np.int64)
    present = by_series.is_not_null().to_numpy()
    present_codes, levels = factorize(by_series.filter(by_series.is_not_null()))
    codes[present] = present_codes
    core = estimate_core(prep, _variable(frame, variable, binary=binary), codes, levels.len())
    order = levels.arg_sort().to_list()
    rows = [_result(core, i, method, confidence_level, proportion=binary).to_dict() for i in order]
    result = pl.DataFrame(rows, schema=_FRAME_SCHEMA) if rows else pl.DataFrame(schema=_FRAME_SCHEMA)
    return result.select(levels.gather(order).alias(by), pl.all())


_FRAME_SCHEMA: dict[str, type[pl.DataType] | pl.DataType] = {
    "estimate": pl.Float64,
    "std_error": pl.Float64,
    "ci_low": pl.Float64,
    "ci_high": pl.Float64,
    "confidence_level": pl.Float64,
    "n": pl.Int64,
    "method": pl.String,
    "suppressed": pl.Boolean,
    "deff": pl.Float64,
    "df": pl.Int64,
    "n_psu": pl.Int64,
    "n_strata": pl.Int64,
    "effective_n": pl.Float64,
    "n_missing": pl.Int64,
    "weight_total": pl.Float64,
}


def survey_proportion_by(
    frame: pl.DataFrame,
    variable: str,
    design: SurveyDesign,
    by: str,
    *,
    confidence_level: float = 0.95,
    method: ProportionInterval = "logit",
) -> pl.DataFrame:
    """:func:`survey_proportion` in every domain of column `by` at once, one row per level.

    Rows whose `by` value is null belong to no domain. R: ``svyby(~y, ~by, design, svyciprop)``.
    Columns: `by` then the :class:`DesignEstimate` fields.
    """
    _check(method, PROPORTION_INTERVALS, confidence_level)
    return _by(frame, variable, design, by, binary=True, method=method, confidence_level=confidence_level)


def survey_mean_by(
    frame: pl.DataFrame,
    variable: str,
    design: SurveyDesign,
    by: str,
    *,
    confidence_level: float = 0.95,
    method: MeanInterval = "mean",
) -> pl.DataFrame:
    """:func:`survey_mean` in every domain of column `by` at once. R: ``svyby(~y, ~by, design, svymean)``."""
    _check(method, ("mean",), confidence_level)
    return _by(frame, variable, design, by, binary=False, method=method, confidence_level=confidence_level)


#: The figures of a design-based result: what small-cell suppression must blank, e.g.
#: ``suppression.suppress_frame(table, columns=DESIGN_FIGURE_COLUMNS)`` on a ``*_by`` frame.
DESIGN_FIGURE_COLUMNS: tuple[str, ...] = (
    "estimate",
    "std_error",
    "ci_low",
    "ci_high",
    "deff",
    "effective_n",
    "weight_total",
)


def suppress_design_estimate(
    estimate: DesignEstimate, threshold: int = DEFAULT_SUPPRESSION_THRESHOLD
) -> DesignEstimate:
    """Blank every figure of `estimate` (``suppressed=True``) when ``n < threshold``; the design
    counts (n, df, n_psu, n_strata, n_missing) are kept for the output layer to judge."""
    if estimate.suppressed or estimate.n >= threshold:
        return estimate
    return msgspec.structs.replace(
        estimate,
        estimate=None,
        std_error=None,
        ci_low=None,
        ci_high=None,
        deff=None,
        effective_n=None,
        weight_total=None,
        suppressed=True,
    )
