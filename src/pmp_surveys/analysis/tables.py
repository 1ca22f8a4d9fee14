"""Design-based tests of independence in a two-way table (R ``svychisq``).

``statistic``:

- ``"F"`` (default; Rao & Scott 1984 second-order correction): Pearson's X² of the weighted
  table scaled to the number of rows, divided by tr(Δ), referred to F(d₀, d₀·ν) with
  d₀ = tr(Δ)²/tr(Δ²); ν = first-stage PSUs − strata (the design df).
- ``"Chisq"`` (first-order correction): X²/δ̄ with δ̄ = tr(Δ)/((r−1)(c−1)) on (r−1)(c−1) df.
- ``"Wald"``: the Wald statistic of the (r−1)(c−1) independence residuals
  ``Y = N̂_ij − N̂_i·N̂_·j/N̂`` (totals and their linearised covariance), divided by its df and
  referred to F((r−1)(c−1), ν); ``"adjWald"`` multiplies by (ν − d + 1)/(d·ν) and uses
  F(d, ν − d + 1) (Thomas & Rao 1987).

Δ is the design-effect matrix ``(CᵀD⁻¹C/N)⁻¹ CᵀD⁻¹VD⁻¹C`` of the cell proportions (V their
linearised covariance, D = diag(p), C the interaction contrasts orthogonal to the main
effects), exactly as ``survey:::svychisq.survey.design`` (survey 4.1). Rows with a null in either
variable are set aside (``na.rm=TRUE``) but stay in the design; N counts every row.

References: Rao JNK, Scott AJ (1984), Annals of Statistics 12:46–60; Thomas DR, Rao JNK (1987),
JASA 82:630–636; Lumley T (2010) §6.
"""

from __future__ import annotations

from typing import Literal, get_args

import numpy as np
import polars as pl
from scipy import stats

from pmp_surveys.analysis import multistage
from pmp_surveys.analysis.linearization import FloatArray, require_columns
from pmp_surveys.analysis.multistage import AnyDesign
from pmp_surveys.analysis.results import Result

ChisqStatistic = Literal["F", "Chisq", "Wald", "adjWald"]
CHISQ_STATISTICS: tuple[ChisqStatistic, ...] = get_args(ChisqStatistic)


class TableTest(Result, frozen=True, kw_only=True):
    """``statistic`` on ``df`` (numerator, denominator; denominator None for χ²), ``p_value``;
    ``pearson`` is the uncorrected X² of the scaled table, ``design_effects`` the eigenvalue
    summary (tr Δ, d₀) for the Rao–Scott statistics."""

    statistic: float
    df: tuple[float, float | None]
    p_value: float
    method: str
    pearson: float
    trace_delta: float | None
    d0: float | None
    n: int


def _codes(series: pl.Series, valid: np.ndarray) -> tuple[np.ndarray, int]:
    levels = sorted(series.filter(pl.Series(valid)).unique().to_list())
    lookup = {level: i for i, level in enumerate(levels)}
    codes = np.array([lookup.get(v, -1) if ok else -1 for v, ok in zip(series.to_list(), valid, strict=True)])
    return codes, len(levels)


def design_chisq(
    frame: pl.DataFrame, rows: str, cols: str, design: AnyDesign, *, statistic: ChisqStatistic = "F"
) -> TableTest:
    """Test of independence of `rows` and `cols` on the design. R: ``svychisq(~rows + cols,
    design, statistic=statistic)``. Raises ValueError for an unknown statistic or a table with
    fewer than two levels in either margin."""
    if statistic not in CHISQ_STATISTICS:
        raise ValueError(f"statistic must be one of {CHISQ_STATISTICS}, got {statistic!r}")
    require_columns(frame, [rows, cols])
    prep = multistage.prepare(frame, design)
    valid = (
        frame.get_column(rows).is_not_null().to_numpy()
        & frame.get_column(cols).is_not_null().to_numpy()
        & (prep.weights > 0)
    )
    r_code, nr = _codes(frame.get_column(rows), valid)
    c_code, nc = _codes(frame.get_column(cols), valid)
    if nr < 2 or nc < 2:
        raise ValueError("each margin needs at least two levels")
    n_all = frame.height
    idx = np.flatnonzero(valid)
    w = prep.weights[idx]
    cell = r_code[idx] + nr * c_code[idx]  # rows vary fastest, as R's interaction()
    k = nr * nc
    nu = float(np.unique(prep.psu).size - np.unique(prep.stratum).size)
    table = np.bincount(cell, weights=w, minlength=k)
    scaled = table / table.sum() * n_all
    grid = scaled.reshape(nc, nr)  # [column, row]
    expected = np.outer(grid.sum(axis=0), grid.sum(axis=1)).ravel(order="F") / n_all
    pearson = float(((scaled - expected) ** 2 / expected).sum())
    d = (nr - 1) * (nc - 1)
    if statistic in ("Wald", "adjWald"):
        return _wald(prep, idx, w, r_code[idx], c_code[idx], nr, nc, nu, statistic, pearson, n_all)
    p = table / table.sum()
    indicator = np.zeros((idx.size, k))
    indicator[np.arange(idx.size), cell] = 1.0
    scores = np.zeros((n_all, k))
    scores[idx] = w[:, None] * (indicator - p) / w.sum()
    v = multistage.covariance(prep, scores)
    grid_r = np.tile(np.arange(nr), nc)
    grid_c = np.repeat(np.arange(nc), nr)
    main = np.column_stack(
        [np.ones(k)]
        + [(grid_r == i).astype(float) for i in range(1, nr)]
        + [(grid_c == j).astype(float) for j in range(1, nc)]
    )
    inter = np.column_stack([(grid_r == i) & (grid_c == j) for j in range(1, nc) for i in range(1, nr)]).astype(float)
    cmat = inter - main @ np.linalg.lstsq(main, inter, rcond=None)[0]
    inv_d = np.diag(np.where(p == 0, 0.0, 1.0 / np.where(p == 0, 1.0, p)))
    denom = cmat.T @ (inv_d / n_all) @ cmat
    numer = cmat.T @ inv_d @ v @ inv_d @ cmat
    delta: FloatArray = np.linalg.solve(denom, numer)
    trace = float(np.trace(delta))
    d0 = trace**2 / float(np.trace(delta @ delta))
    if statistic == "F":
        value = pearson / trace
        return TableTest(
            statistic=value,
            df=(d0, d0 * nu),
            p_value=float(stats.f.sf(value, d0, d0 * nu)),
            method="Rao-Scott second-order F",
            pearson=pearson,
            trace_delta=trace,
            d0=d0,
            n=int(idx.size),
        )
    value = pearson / (trace / d)
    return TableTest(
        statistic=value,
        df=(float(d), None),
        p_value=float(stats.chi2.sf(value, d)),
        method="Rao-Scott first-order chi-squared",
        pearson=pearson,
        trace_delta=trace,
        d0=d0,
        n=int(idx.size),
    )


def _wald(
    prep: multistage.Prepared,
    idx: np.ndarray,
    w: FloatArray,
    r: np.ndarray,
    c: np.ndarray,
    nr: int,
    nc: int,
    nu: float,
    statistic: str,
    pearson: float,
    n_all: int,
) -> TableTest:
    k = nr * nc
    columns = np.zeros((idx.size, k + nr + nc + 1))
    rows = np.arange(idx.size)
    columns[rows, r + nr * c] = 1.0
    columns[rows, k + r] = 1.0
    columns[rows, k + nr + c] = 1.0
    columns[:, -1] = 1.0
    scores = np.zeros((prep.weights.size, columns.shape[1]))
    scores[idx] = w[:, None] * columns
    totals = scores.sum(axis=0)
    sigma = multistage.covariance(prep, scores)
    row_t, col_t, grand = totals[k : k + nr], totals[k + nr : k + nr + nc], totals[-1]
    grid_r = np.tile(np.arange(nr), nc)
    grid_c = np.repeat(np.arange(nc), nr)
    jac = np.hstack(
        [
            np.eye(k),
            -(grid_r[:, None] == np.arange(nr)).astype(float) * (col_t[grid_c] / grand)[:, None],
            -(grid_c[:, None] == np.arange(nc)).astype(float) * (row_t[grid_r] / grand)[:, None],
            (row_t[grid_r] * col_t[grid_c] / grand**2)[:, None],
        ]
    )
    y = totals[:k] - row_t[grid_r] * col_t[grid_c] / grand
    v = jac @ sigma @ jac.T
    use = np.flatnonzero((grid_r > 0) & (grid_c > 0))
    wald = float(y[use] @ np.linalg.solve(v[np.ix_(use, use)], y[use]))
    d = float((nr - 1) * (nc - 1))
    if statistic == "Wald":
        value, df = wald / d, (d, nu)
    else:
        value, df = wald * (nu - d + 1) / (d * nu), (d, nu - d + 1)
    return TableTest(
        statistic=value,
        df=df,
        p_value=float(stats.f.sf(value, df[0], df[1])),
        method="design-based Wald" if statistic == "Wald" else "design-based adjusted Wald",
        pearson=pearson,
        trace_delta=None,
        d0=None,
        n=int(idx.size),
    )
