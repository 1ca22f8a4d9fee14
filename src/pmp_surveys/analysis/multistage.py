"""Multistage sampling designs and their linearised covariance (R ``svyrecvar``).

A :class:`MultistageDesign` is a list of sampling stages, each with its own clusters, strata and
finite population correction: schools (PSUs) sampled from a region's schools, then teachers
within each sampled school::

    MultistageDesign(
        weights=None,  # then Π_s N_s/n_s, as R's svydesign with fpc and no weights
        stages=(
            Stage(clusters="school", strata="region", fpc="schools_in_region"),
            Stage(fpc="teachers"),  # clusters=None: the respondents themselves
        ),
    )

is R's ``svydesign(ids=~school+teacher, strata=~region, fpc=~schools_in_region+teachers)``.

Variance (Lumley 2010 §2.2; R ``survey:::multistage``)
------------------------------------------------------
For a matrix of linearised scores Z (n rows × k estimates) the covariance is the sum over
stages s and over the strata h of stage s (strata of stage s > 1 are nested in the units of
stage s − 1) of

    m_h · f_h · n_h/(n_h − 1) · Σ_j (T_hj − T̄_h)(T_hj − T̄_h)ᵀ,

with T_hj the score totals of unit j, n_h the number of units sampled in h, f_h = (N_h − n_h)/N_h
(1 without fpc) and m_h the product of the sampling fractions n/N of the ancestor units at the
earlier stages (1 at the first stage). A stage is followed into the next only when it has an
fpc: without one the first-stage (ultimate-cluster) variance already contains the later stages,
as R does (``!is.null(fpcs)``). Lonely units (n_h = 1) follow ``lonely_psu`` as in
:mod:`.design`: "adjust" adds m_h·f_h·T_hTᵀ_h, "certainty"/"remove" add 0, "fail" raises.
A stratum whose fpc equals its sample (f_h < 1e-7) adds 0.

Linear (GREG) calibration (:mod:`.greg`) is applied to the scores first: Z ← w·(U − Xβ) with
U = Z/w and β the base-weighted regression of U on the calibration model matrix, as R's
``svyrecvar`` does for a ``calibrate(..., calfun="linear")`` design.

Degrees of freedom are R's ``degf``: first-stage units minus first-stage strata among the rows
that take part (the domain's respondents with a value).
"""

from __future__ import annotations

from typing import Literal

import msgspec
import numpy as np
import polars as pl

from pmp_surveys.analysis.design import LONELY_PSU_RULES, SurveyDesign
from pmp_surveys.analysis.linearization import FloatArray, IntArray, LonelyPSU, compress, dense_codes, require_columns

#: R's onestrat() treats a stratum with f_h below this as self-representing.
_CERTAINTY_TOLERANCE = 1e-7


class Stage(msgspec.Struct, frozen=True, kw_only=True):
    """One sampling stage: ``clusters`` (None: the rows themselves), ``strata`` (None: one
    stratum per unit of the previous stage), ``fpc`` (population size of the stratum in units of
    this stage, constant within the stratum; None: with replacement / infinite)."""

    clusters: str | None = None
    strata: str | None = None
    fpc: str | None = None


class GregSpec(msgspec.Struct, frozen=True, kw_only=True):
    """What a linear calibration used, so that the variance can use its residuals: the column of
    the weights before calibration and the model matrix (see :mod:`.greg`)."""

    base_weights: str
    numeric: tuple[str, ...] = ()
    categorical: tuple[str, ...] = ()
    levels: tuple[tuple[str, ...], ...] = ()
    intercept: bool = False


class MultistageDesign(msgspec.Struct, frozen=True, kw_only=True):
    """Column names of a multistage design (module notes); ``stages`` must not be empty."""

    stages: tuple[Stage, ...]
    weights: str | None = None
    lonely_psu: LonelyPSU = "adjust"
    calibration: GregSpec | None = None

    def __post_init__(self) -> None:
        if not self.stages:
            raise ValueError("a design needs at least one stage")
        if self.lonely_psu not in LONELY_PSU_RULES:
            raise ValueError(f"lonely_psu must be one of {LONELY_PSU_RULES}, got {self.lonely_psu!r}")

    def columns(self) -> list[str]:
        names = [self.weights] + [n for s in self.stages for n in (s.clusters, s.strata, s.fpc)]
        if self.calibration is not None:
            names += [self.calibration.base_weights, *self.calibration.numeric, *self.calibration.categorical]
        return [name for name in names if name is not None]


AnyDesign = SurveyDesign | MultistageDesign


def as_multistage(design: AnyDesign) -> MultistageDesign:
    """A :class:`.design.SurveyDesign` as a one-stage design (raked/post-stratified designs are
    not covered: use :mod:`.design` for them). Raises ValueError for those."""
    if isinstance(design, MultistageDesign):
        return design
    if design.raked_on or design.post_stratified_on:
        raise ValueError("raked/post-stratified designs are handled by survey_mean/survey_proportion only")
    stage = Stage(clusters=design.clusters, strata=design.strata, fpc=design.fpc)
    return MultistageDesign(stages=(stage,), weights=design.weights, lonely_psu=design.lonely_psu)


class _StageArrays(msgspec.Struct, frozen=True):
    unit: IntArray  # row -> unit code of this stage (nested in its stratum)
    unit_stratum: IntArray  # unit -> stratum code
    factor: FloatArray  # stratum -> m_h f_h n_h/(n_h-1) (or m_h f_h for a lonely adjusted unit)
    lonely: FloatArray  # stratum -> 1.0 when its units are not centred (lonely, adjust)
    rows_are_units: bool  # unit == row index (no clusters at this stage)


class Prepared(msgspec.Struct, frozen=True):
    """Row weights, the first-stage unit and stratum of each row, and each stage's arrays."""

    weights: FloatArray
    psu: IntArray
    stratum: IntArray
    stages: tuple[_StageArrays, ...]
    calibration_x: FloatArray | None
    base_weights: FloatArray | None


def _codes(frame: pl.DataFrame, name: str | None) -> IntArray:
    if name is None:
        return np.zeros(frame.height, dtype=np.int64)
    return dense_codes(frame.get_column(name))


def _nest(parent: IntArray, child: IntArray) -> IntArray:
    return compress(parent * (int(child.max()) + 1 if child.size else 1) + child)


def greg_model_matrix(frame: pl.DataFrame, spec: GregSpec) -> FloatArray:
    """The calibration model matrix (n × p) of `spec`: intercept, numeric columns, then dummies
    of each categorical column for the stored levels."""
    parts: list[FloatArray] = []
    if spec.intercept:
        parts.append(np.ones(frame.height))
    for name in spec.numeric:
        parts.append(frame.get_column(name).cast(pl.Float64).to_numpy())
    for name, levels in zip(spec.categorical, spec.levels, strict=True):
        values = frame.get_column(name).cast(pl.String)
        for level in levels:
            parts.append((values == level).cast(pl.Float64).to_numpy())
    return np.column_stack(parts) if parts else np.zeros((frame.height, 0))


def prepare(frame: pl.DataFrame, design: AnyDesign) -> Prepared:
    """Validate the design columns and build the per-stage arrays. Raises ValueError for missing
    columns, null design values, fpc varying within a stratum or smaller than the sample."""
    ms = as_multistage(design)
    require_columns(frame, ms.columns())
    for name in ms.columns():
        if frame.get_column(name).null_count():
            raise ValueError(f"design column {name!r} has null value(s); every row needs one")
    n_rows = frame.height
    parent = np.zeros(n_rows, dtype=np.int64)  # unit of the previous stage
    multiplier_row = np.ones(n_rows)  # m_h of each row's stratum at the current stage
    prob_weight = np.ones(n_rows)
    stages: list[_StageArrays] = []
    psu = stratum1 = parent
    for index, stage in enumerate(ms.stages):
        stratum = _nest(parent, _codes(frame, stage.strata))
        if stage.clusters is None:  # every row its own unit: no nesting or coding needed
            unit = np.arange(n_rows, dtype=np.int64)
        else:
            unit = _nest(stratum, _codes(frame, stage.clusters))
        n_units = int(unit.max()) + 1 if n_rows else 0
        n_strata = int(stratum.max()) + 1 if n_rows else 0
        unit_stratum = np.zeros(n_units, dtype=np.int64)
        unit_stratum[unit] = stratum
        n_h = np.bincount(unit_stratum, minlength=n_strata).astype(np.float64)
        m_h = np.ones(n_strata)
        m_h[stratum] = multiplier_row
        if stage.fpc is not None:
            fpc = frame.get_column(stage.fpc).cast(pl.Float64).to_numpy()
            pop = np.zeros(n_strata)
            pop[stratum] = fpc
            if not np.array_equal(pop[stratum], fpc):
                raise ValueError(f"fpc column {stage.fpc!r} must be constant within each stratum of its stage")
            if np.any(pop < n_h):
                raise ValueError(f"fpc column {stage.fpc!r} is smaller than the number of sampled units")
            with np.errstate(invalid="ignore"):
                f_h = np.where(np.isinf(pop), 1.0, (pop - n_h) / pop)
            prob_weight = prob_weight * (pop / n_h)[stratum]
        else:
            f_h = np.ones(n_strata)
        multi = n_h > 1
        if ms.lonely_psu == "fail" and np.any(~multi & (f_h >= _CERTAINTY_TOLERANCE)):
            raise ValueError(f"a stratum of stage {index + 1} has a single unit and lonely_psu='fail'")
        with np.errstate(invalid="ignore", divide="ignore"):
            factor = np.where(multi, m_h * f_h * n_h / np.where(multi, n_h - 1.0, 1.0), m_h * f_h)
        lonely = (~multi).astype(np.float64) if ms.lonely_psu == "adjust" else np.zeros(n_strata)
        factor = np.where(~multi & (ms.lonely_psu != "adjust"), 0.0, factor)
        factor = np.where(f_h < _CERTAINTY_TOLERANCE, 0.0, factor)
        stages.append(
            _StageArrays(
                unit=unit,
                unit_stratum=unit_stratum,
                factor=factor,
                lonely=lonely,
                rows_are_units=stage.clusters is None,
            )
        )
        if index == 0:
            psu, stratum1 = unit, stratum
        if stage.fpc is None:
            break
        with np.errstate(invalid="ignore", divide="ignore"):
            fraction = np.where(np.isinf(pop), 0.0, n_h / pop)
        multiplier_row = multiplier_row * fraction[stratum]
        parent = unit
    if ms.weights is not None:
        weights = frame.get_column(ms.weights).cast(pl.Float64).to_numpy()
        if not np.all(np.isfinite(weights)) or np.any(weights < 0):
            raise ValueError(f"weights column {ms.weights!r} must be finite and non-negative")
    else:
        weights = prob_weight
    calibration_x = base = None
    if ms.calibration is not None:
        calibration_x = greg_model_matrix(frame, ms.calibration)
        base = frame.get_column(ms.calibration.base_weights).cast(pl.Float64).to_numpy()
    return Prepared(
        weights=np.ascontiguousarray(weights, dtype=np.float64),
        psu=psu,
        stratum=stratum1,
        stages=tuple(stages),
        calibration_x=calibration_x,
        base_weights=base,
    )


def _column_sums(keys: IntArray, values: FloatArray, size: int) -> FloatArray:
    out = np.empty((size, values.shape[1]))
    for col in range(values.shape[1]):
        out[:, col] = np.bincount(keys, weights=values[:, col], minlength=size)
    return out


def calibrated_scores(prep: Prepared, scores: FloatArray) -> FloatArray:
    """Scores after removing the linear-calibration fit (module notes); unchanged if none."""
    if prep.calibration_x is None or prep.base_weights is None:
        return scores
    w = prep.weights
    with np.errstate(invalid="ignore", divide="ignore"):
        u = np.where(w[:, None] > 0, scores / w[:, None], 0.0)
    x = prep.calibration_x
    wx = x * prep.base_weights[:, None]
    beta = np.linalg.lstsq(wx.T @ x, wx.T @ u, rcond=None)[0]
    return np.asarray(w[:, None] * (u - x @ beta), dtype=np.float64)


def covariance(prep: Prepared, scores: FloatArray) -> FloatArray:
    """k × k linearised covariance of the estimates whose scores are the columns of `scores`
    (n × k, zero outside each estimate's domain), summed over the stages."""
    z = calibrated_scores(prep, np.asarray(scores, dtype=np.float64).reshape(prep.weights.size, -1))
    k = z.shape[1]
    total = np.zeros((k, k))
    for stage in prep.stages:
        n_units = stage.unit_stratum.size
        totals = z if stage.rows_are_units else _column_sums(stage.unit, z, n_units)
        counts = np.bincount(stage.unit_stratum, minlength=stage.factor.size).astype(np.float64)
        stratum_sum = _column_sums(stage.unit_stratum, totals, stage.factor.size)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = stratum_sum / counts[:, None]
        centre = np.where(stage.lonely[:, None] > 0, 0.0, np.nan_to_num(mean))
        dev = totals - centre[stage.unit_stratum]
        weight = stage.factor[stage.unit_stratum]
        total += (dev * weight[:, None]).T @ dev
    return total


def degrees_of_freedom(prep: Prepared, rows: IntArray) -> int:
    """R's ``degf``: distinct first-stage units minus distinct first-stage strata among `rows`."""
    n_psu = int(np.count_nonzero(np.bincount(prep.psu[rows], minlength=1)))
    n_strata = int(np.count_nonzero(np.bincount(prep.stratum[rows], minlength=1)))
    return n_psu - n_strata


InfiniteDf = Literal["design", "infinite"]
