"""Variance of estimates from raked or post-stratified weights (calibration residuals).

Used by :mod:`.design`. R's ``svyrecvar()`` replaces the linearised scores ``z`` of a design
returned by ``postStratify()`` or ``rake()`` by residuals before the usual PSU variance:

- post-stratification: ``r = z − w·Σ_cell z / Σ_cell w``;
- raking: ``u = z/w`` swept 10 times over the margins, each time subtracting the *unweighted*
  mean of ``u`` in each category of the margin; ``r = w·u``.

Both are ``rᵢ = wᵢ(u0ᵢ − Σ_m α_m[c_m(i)])`` with ``u0 = z/w`` zero outside the domain and one
coefficient α per category, so the sweeps are done on category sums and cross-count tables
(not on rows), for every domain at once. For a design without clusters the stratum sums
``Σ rᵢ`` and ``Σ rᵢ²`` then follow from weight tables built once per design, so the variance of
many domains costs a few passes over the rows; with clusters the residuals are formed row by row
for each domain.
"""

from __future__ import annotations

import msgspec
import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: R's svyrecvar() residualises raked scores with 10 backfitting sweeps over the margins.
RAKING_SWEEPS = 10
#: Largest H·p² (strata × categories²) for which the weight tables are built.
_TABLE_LIMIT = 20_000_000


class CalibrationTables(msgspec.Struct, frozen=True):
    """Category codes (offset into one index of p categories over all margins), per-category
    counts and weight totals, the p×p cross-count table and, when small enough, the per-stratum
    weight tables ``Wh[h, a] = Σ w`` and ``Q[h, a, b] = Σ w²`` over rows in both categories."""

    raking: bool
    codes: list[IntArray]
    blocks: list[tuple[int, int]]
    counts: FloatArray
    weight_totals: FloatArray
    cross: FloatArray
    stratum_weights: FloatArray | None
    stratum_squares: FloatArray | None


def build_tables(
    codes: list[IntArray], *, raking: bool, weights: FloatArray, stratum: IntArray, n_strata: int
) -> CalibrationTables:
    """Tables for margins (raking) or for one joint cell code (post-stratification)."""
    sizes = [int(c.max()) + 1 if c.size else 0 for c in codes]
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
    p = int(offsets[-1])
    shifted = [c + int(offsets[m]) for m, c in enumerate(codes)]
    blocks = [(int(offsets[m]), int(offsets[m + 1])) for m in range(len(codes))]
    counts = np.zeros(p)
    weight_totals = np.zeros(p)
    for c in shifted:
        counts += np.bincount(c, minlength=p)
        weight_totals += np.bincount(c, weights=weights, minlength=p)
    cross = np.zeros((p, p))
    for a in shifted:
        for b in shifted:
            cross += np.bincount(a * p + b, minlength=p * p).reshape(p, p)
    stratum_weights = stratum_squares = None
    if n_strata * p * p <= _TABLE_LIMIT:
        stratum_weights = np.zeros((n_strata, p))
        stratum_squares = np.zeros((n_strata, p, p))
        squares = weights * weights
        for a in shifted:
            stratum_weights += np.bincount(stratum * p + a, weights=weights, minlength=n_strata * p).reshape(
                n_strata, p
            )
            for b in shifted:
                key = (stratum * p + a) * p + b
                stratum_squares += np.bincount(key, weights=squares, minlength=n_strata * p * p).reshape(n_strata, p, p)
    return CalibrationTables(
        raking=raking,
        codes=shifted,
        blocks=blocks,
        counts=counts,
        weight_totals=weight_totals,
        cross=cross,
        stratum_weights=stratum_weights,
        stratum_squares=stratum_squares,
    )


def coefficients(
    tables: CalibrationTables,
    rows: IntArray,
    group: IntArray,
    scores: FloatArray,
    row_weights: FloatArray,
    n_groups: int,
) -> FloatArray:
    """α (n_groups × p): the category coefficients of every domain's residuals.

    `rows` are the respondents in a domain, `group` their domain, `scores` their
    z = w(y − ŷ)/Σw and `row_weights` their weights (all positive).
    """
    p = tables.counts.size
    if not tables.raking:
        (codes,) = tables.codes
        sums = np.bincount(group * p + codes[rows], weights=scores, minlength=n_groups * p)
        with np.errstate(invalid="ignore", divide="ignore"):
            alpha = np.nan_to_num(sums.reshape(n_groups, p) / tables.weight_totals)
        return np.asarray(alpha, dtype=np.float64)
    u0 = scores / row_weights
    u0_sums = np.zeros((n_groups, p))
    for codes in tables.codes:
        u0_sums += np.bincount(group * p + codes[rows], weights=u0, minlength=n_groups * p).reshape(n_groups, p)
    alpha = np.zeros((n_groups, p))
    for _ in range(RAKING_SWEEPS):
        for start, stop in tables.blocks:
            current = u0_sums[:, start:stop] - alpha @ tables.cross[start:stop, :].T
            alpha[:, start:stop] += current / tables.counts[start:stop]
    return alpha


def residuals(
    tables: CalibrationTables, alpha: FloatArray, rows: IntArray, scores: FloatArray, weights: FloatArray
) -> FloatArray:
    """Row residuals (length n) of one domain: ``z·1[domain] − w·Σ_m α[c_m]``."""
    shift = np.zeros(weights.size)
    for codes in tables.codes:
        shift += alpha[codes]
    result = -weights * shift
    result[rows] += scores
    return np.asarray(result, dtype=np.float64)


def stratum_sums(
    tables: CalibrationTables,
    alpha: FloatArray,
    rows: IntArray,
    group: IntArray,
    scores: FloatArray,
    row_weights: FloatArray,
    row_stratum: IntArray,
    n_groups: int,
    n_strata: int,
) -> tuple[FloatArray, FloatArray] | None:
    """(Σ rᵢ, Σ rᵢ²) per (domain, stratum) when every row is its own PSU; None if the weight
    tables were too large to build (the caller then forms residuals row by row)."""
    if tables.stratum_weights is None or tables.stratum_squares is None:
        return None
    p = tables.counts.size
    if n_groups * n_strata * p > _TABLE_LIMIT:
        return None
    gh = group * n_strata + row_stratum
    size = n_groups * n_strata
    a1 = np.bincount(gh, weights=scores, minlength=size).reshape(n_groups, n_strata)
    a2 = np.bincount(gh, weights=scores * scores, minlength=size).reshape(n_groups, n_strata)
    cross_scores = np.zeros((n_groups, n_strata, p))
    wz = row_weights * scores
    for codes in tables.codes:
        key = gh * p + codes[rows]
        cross_scores += np.bincount(key, weights=wz, minlength=size * p).reshape(n_groups, n_strata, p)
    s1 = a1 - alpha @ tables.stratum_weights.T
    s2 = (
        a2
        - 2.0 * np.einsum("gha,ga->gh", cross_scores, alpha)
        + np.einsum("ga,hab,gb->gh", alpha, tables.stratum_squares, alpha)
    )
    return np.asarray(s1, dtype=np.float64), np.asarray(s2, dtype=np.float64)
