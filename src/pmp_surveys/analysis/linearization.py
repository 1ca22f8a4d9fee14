"""Taylor linearisation core of :mod:`.design`: codes, PSU totals, stratified variance.

Internal to the analysis package (the formulas and their R counterparts are documented in
:mod:`.design`). Everything is vectorised over rows and over domains with ``np.bincount``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import msgspec
import numpy as np
import numpy.typing as npt
import polars as pl

from pmp_surveys.analysis import calibration as calib

if TYPE_CHECKING:
    from pmp_surveys.analysis.design import SurveyDesign

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
LonelyPSU = Literal["adjust", "certainty", "remove", "fail"]

#: Above this many cells a grouped sum is done by sorting instead of a dense bincount.
_DENSE_LIMIT = 20_000_000
#: R's onestrat() treats a stratum with f_h below this as self-representing.
_CERTAINTY_TOLERANCE = 1e-7


class Prepared(msgspec.Struct, frozen=True):
    """Design arrays in row order: weights, stratum code, global PSU code per row, and per stratum
    the number of PSUs and the sampling factor f_h."""

    weights: FloatArray
    stratum: IntArray
    psu: IntArray
    psu_stratum: IntArray
    n_psu_h: FloatArray
    f_h: FloatArray
    lonely_psu: LonelyPSU
    has_clusters: bool
    calibration: calib.CalibrationTables | None


def _calibration(
    frame: pl.DataFrame, design: SurveyDesign, weights: FloatArray, stratum: IntArray, n_strata: int
) -> calib.CalibrationTables | None:
    if design.raked_on:
        codes = [dense_codes(frame.get_column(name)) for name in design.raked_on]
    elif design.post_stratified_on:
        joint = np.zeros(frame.height, dtype=np.int64)
        for name in design.post_stratified_on:
            part = dense_codes(frame.get_column(name))
            joint = joint * (int(part.max()) + 1 if part.size else 1) + part
        codes = [compress(joint)]
    else:
        return None
    return calib.build_tables(codes, raking=bool(design.raked_on), weights=weights, stratum=stratum, n_strata=n_strata)


def compress(raw: IntArray) -> IntArray:
    """Map non-negative integers to dense codes 0..G-1, keeping their order."""
    if raw.size == 0:
        return raw
    top = int(raw.max())
    if top <= 4 * raw.size + 1_000_000:
        present = np.bincount(raw, minlength=top + 1) > 0
        return (np.cumsum(present) - 1)[raw].astype(np.int64)
    return np.unique(raw, return_inverse=True)[1].astype(np.int64).ravel()


def factorize(series: pl.Series) -> tuple[IntArray, pl.Series]:
    """Dense integer codes of a null-free column and the level of each code.

    Integer columns keep their order; other columns are coded through a categorical (fast for
    strings, where ranking is slow) in no particular order.
    """
    if series.dtype.is_integer() or series.dtype == pl.Boolean:
        raw = series.cast(pl.Int64).to_numpy().astype(np.int64)
        raw = raw - raw.min() if raw.size else raw
    else:
        physical = series.cast(pl.String).cast(pl.Categorical).to_physical()
        raw = physical.cast(pl.Int64).to_numpy().astype(np.int64)
    codes = compress(raw)
    n_levels = int(codes.max()) + 1 if codes.size else 0
    first = np.zeros(n_levels, dtype=np.int64)
    first[codes[::-1]] = np.arange(codes.size - 1, -1, -1, dtype=np.int64)
    return codes, series.gather(first)


def dense_codes(series: pl.Series) -> IntArray:
    return factorize(series)[0]


def require_columns(frame: pl.DataFrame, names: list[str]) -> None:
    missing = [name for name in names if name not in frame.columns]
    if missing:
        raise ValueError(f"column(s) {missing} not in the frame (columns: {frame.columns})")


def prepare(frame: pl.DataFrame, design: SurveyDesign) -> Prepared:
    columns = design.columns()
    require_columns(frame, columns)
    for name in columns:
        nulls = frame.get_column(name).null_count()
        if nulls:
            raise ValueError(f"design column {name!r} has {nulls} null value(s); every row needs one")
    n_rows = frame.height
    if design.strata is not None:
        stratum = dense_codes(frame.get_column(design.strata))
    else:
        stratum = np.zeros(n_rows, dtype=np.int64)
    n_strata = int(stratum.max()) + 1 if n_rows else 0
    if design.clusters is not None:
        cluster = dense_codes(frame.get_column(design.clusters))
        psu = compress(stratum * (int(cluster.max()) + 1 if n_rows else 1) + cluster)
        n_psu = int(psu.max()) + 1 if n_rows else 0
        psu_stratum = np.zeros(n_psu, dtype=np.int64)
        psu_stratum[psu] = stratum
    else:
        psu = np.arange(n_rows, dtype=np.int64)
        psu_stratum = stratum
    n_psu_h = np.bincount(psu_stratum, minlength=n_strata).astype(np.float64)

    if design.fpc is not None:
        fpc = frame.get_column(design.fpc).cast(pl.Float64).to_numpy()
        pop_h = np.zeros(n_strata)
        pop_h[stratum] = fpc
        if not np.array_equal(pop_h[stratum], fpc):
            raise ValueError(f"fpc column {design.fpc!r} must be constant within each stratum")
        short = np.flatnonzero(pop_h < n_psu_h)
        if short.size:
            raise ValueError(
                f"fpc column {design.fpc!r} is smaller than the number of sampled PSUs in "
                f"{short.size} stratum/strata: it must be the population size (in PSUs) of the stratum"
            )
        # An infinite population (no head-count: no FPC) gives inf/inf in the branch np.where
        # discards; keep that from warning.
        with np.errstate(invalid="ignore"):
            f_h = np.where(np.isinf(pop_h), 1.0, (pop_h - n_psu_h) / pop_h)
    else:
        pop_h = None
        f_h = np.ones(n_strata)

    if design.weights is not None:
        weights = frame.get_column(design.weights).cast(pl.Float64).to_numpy()
        if not np.all(np.isfinite(weights)) or np.any(weights < 0):
            raise ValueError(f"weights column {design.weights!r} must be finite and non-negative")
    elif pop_h is not None:
        weights = (pop_h / n_psu_h)[stratum]
    else:
        weights = np.ones(n_rows)

    if design.lonely_psu == "fail":
        lonely = np.flatnonzero((n_psu_h == 1) & (f_h >= _CERTAINTY_TOLERANCE))
        if lonely.size:
            raise ValueError(
                f"{lonely.size} stratum/strata have a single PSU and lonely_psu='fail'; "
                "choose 'adjust', 'certainty' or 'remove'"
            )
    return Prepared(
        weights=np.ascontiguousarray(weights, dtype=np.float64),
        stratum=stratum,
        psu=psu,
        psu_stratum=psu_stratum,
        n_psu_h=n_psu_h,
        f_h=f_h,
        lonely_psu=design.lonely_psu,
        has_clusters=design.clusters is not None,
        calibration=_calibration(frame, design, weights, stratum, n_strata),
    )


def _group_sum(keys: IntArray, values: FloatArray, size: int) -> tuple[IntArray, FloatArray]:
    """Sums of `values` by integer `keys` in [0, size): (occupied keys, their sums)."""
    if size <= _DENSE_LIMIT:
        sums = np.bincount(keys, weights=values, minlength=size)
        counts = np.bincount(keys, minlength=size)
        occupied = np.flatnonzero(counts)
        return occupied.astype(np.int64), np.asarray(sums[occupied], dtype=np.float64)
    unique, inverse = np.unique(keys, return_inverse=True)
    return unique.astype(np.int64), np.bincount(inverse, weights=values).astype(np.float64)


def _count_distinct(keys: IntArray, groups: IntArray, size: int, n_groups: int) -> IntArray:
    """Number of distinct `keys` (< size) within each group of `groups` (< n_groups)."""
    combined = groups * size + keys
    if n_groups * size <= _DENSE_LIMIT:
        present = np.flatnonzero(np.bincount(combined, minlength=n_groups * size))
    else:
        present = np.unique(combined)
    return np.bincount(present // size, minlength=n_groups).astype(np.int64)


def _variance(prep: Prepared, rows: IntArray, g: IntArray, scores: FloatArray, n_groups: int) -> FloatArray:
    """Σ_h f_h n_h/(n_h − 1) Σ_j (T_hj − T̄_h)² per domain, from the scores of `rows` (domain `g`)."""
    n_strata_total = prep.n_psu_h.size
    n_psu_total = prep.psu_stratum.size
    psu = prep.psu[rows]
    # PSU score totals per (domain, PSU); without clusters every row is its own PSU.
    if prep.has_clusters:
        cell, totals = _group_sum(g * n_psu_total + psu, scores, n_groups * n_psu_total)
        cell_group = cell // n_psu_total
        cell_stratum = prep.psu_stratum[cell % n_psu_total]
    else:
        cell_group, totals, cell_stratum = g, scores, prep.stratum[rows]
    # Per (domain, stratum): mean PSU total over all n_h PSUs, zero totals included.
    gh_key = cell_group * n_strata_total + cell_stratum
    gh, gh_sum = _group_sum(gh_key, totals, n_groups * n_strata_total)
    gh_stratum = gh % n_strata_total
    gh_group = gh // n_strata_total
    n_h = prep.n_psu_h[gh_stratum]
    f_h = prep.f_h[gh_stratum]
    mean_h = gh_sum / n_h
    if n_groups * n_strata_total <= _DENSE_LIMIT:
        position = np.zeros(n_groups * n_strata_total, dtype=np.int64)
        position[gh] = np.arange(gh.size, dtype=np.int64)
        lookup = position[gh_key]
    else:
        lookup = np.searchsorted(gh, gh_key)
    dev = totals - mean_h[lookup]
    _, ss_occupied = _group_sum(lookup, dev * dev, gh.size)
    occupied = np.bincount(lookup, minlength=gh.size)
    ss = ss_occupied + (n_h - occupied) * mean_h * mean_h
    multi = n_h > 1
    with np.errstate(invalid="ignore", divide="ignore"):
        contribution = np.where(multi, f_h * n_h / np.where(multi, n_h - 1, 1) * ss, 0.0)
    if prep.lonely_psu == "adjust":
        _, raw_sq = _group_sum(lookup, totals * totals, gh.size)
        contribution = np.where(multi, contribution, f_h * raw_sq)
    contribution = np.where(f_h < _CERTAINTY_TOLERANCE, 0.0, contribution)
    variance = np.bincount(gh_group, weights=contribution, minlength=n_groups).astype(np.float64)
    return variance


def _stratum_variance(prep: Prepared, s1: FloatArray, s2: FloatArray) -> FloatArray:
    """Variance per domain from Σ T and Σ T² per (domain, stratum), one row per PSU."""
    n_h = prep.n_psu_h
    f_h = prep.f_h
    multi = n_h > 1
    with np.errstate(invalid="ignore", divide="ignore"):
        ss = s2 - s1 * s1 / n_h
        contribution = np.where(multi, f_h * n_h / np.where(multi, n_h - 1, 1) * ss, 0.0)
    if prep.lonely_psu == "adjust":
        contribution = np.where(multi, contribution, f_h * s2)
    contribution = np.where(f_h < _CERTAINTY_TOLERANCE, 0.0, contribution)
    return np.asarray(contribution.sum(axis=1), dtype=np.float64)


def _calibrated_variance(
    prep: Prepared,
    tables: calib.CalibrationTables,
    rows: IntArray,
    g: IntArray,
    scores: FloatArray,
    n_groups: int,
) -> FloatArray:
    w = prep.weights
    alpha = calib.coefficients(tables, rows, g, scores, w[rows], n_groups)
    if not prep.has_clusters:
        sums = calib.stratum_sums(
            tables, alpha, rows, g, scores, w[rows], prep.stratum[rows], n_groups, prep.n_psu_h.size
        )
        if sums is not None:
            return _stratum_variance(prep, *sums)
    variance = np.zeros(n_groups)
    everyone = np.arange(w.size, dtype=np.int64)
    single = np.zeros(w.size, dtype=np.int64)
    for domain in range(n_groups):
        in_g = g == domain
        residual = calib.residuals(tables, alpha[domain], rows[in_g], scores[in_g], w)
        variance[domain] = _variance(prep, everyone, single, residual, 1)[0]
    return variance


class Core(msgspec.Struct, frozen=True):
    n: IntArray
    n_missing: IntArray
    weight_total: FloatArray
    estimate: FloatArray
    variance: FloatArray
    df: IntArray
    n_psu: IntArray
    n_strata: IntArray
    deff: FloatArray


def estimate_core(prep: Prepared, y: FloatArray, group: IntArray, n_groups: int) -> Core:
    """Ratio means of `y` in every domain at once; `group` is -1 outside every domain."""
    w = prep.weights
    in_domain = group >= 0
    valid = in_domain & ~np.isnan(y) & (w > 0)
    g_all = group[in_domain]
    n_missing = np.bincount(g_all, minlength=n_groups) - np.bincount(group[valid], minlength=n_groups)

    rows = np.flatnonzero(valid)
    g = group[rows]
    wv = w[rows]
    yv = y[rows]
    n = np.bincount(g, minlength=n_groups)
    weight_total = np.bincount(g, weights=wv, minlength=n_groups).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        estimate = np.bincount(g, weights=wv * yv, minlength=n_groups) / weight_total
        resid = yv - estimate[g]
        scores = wv * resid / weight_total[g]

    if prep.calibration is None:
        variance = _variance(prep, rows, g, scores, n_groups)
    else:
        variance = _calibrated_variance(prep, prep.calibration, rows, g, scores, n_groups)
    n_strata_total = prep.n_psu_h.size
    n_psu_total = prep.psu_stratum.size
    psu = prep.psu[rows]

    n_psu = _count_distinct(psu, g, n_psu_total, n_groups) if prep.has_clusters else n.astype(np.int64)
    n_strata = _count_distinct(prep.stratum[rows], g, n_strata_total, n_groups)
    df = n_psu - n_strata

    # SRS variance for the design effect (R's svymean(deff=TRUE), "replace" if Σw <= n).
    with np.errstate(invalid="ignore", divide="ignore"):
        s2 = np.bincount(g, weights=wv * resid * resid, minlength=n_groups) / weight_total
        s2 = s2 * n / (n - 1)
        vsrs = np.where(weight_total > n, s2 * (weight_total - n) / (weight_total * n), s2 / n)
        deff = variance / vsrs
    return Core(
        n=n.astype(np.int64),
        n_missing=n_missing.astype(np.int64),
        weight_total=weight_total,
        estimate=estimate,
        variance=variance,
        df=df,
        n_psu=n_psu,
        n_strata=n_strata,
        deff=deff,
    )
