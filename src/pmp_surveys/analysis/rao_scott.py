"""Design-based test of independence in a two-way table: Pearson's X² with the Rao–Scott correction.

For subgroup comparisons ("does the share differ by programme / district / school type?") under
the survey design (strata, clusters, fpc, weights), as R's ``svychisq``:

1. X² is Pearson's statistic on the weighted table scaled to the sample size n (``svytable(...,
   Ntotal=n)``).
2. The design covariance V of the r·c cell proportions is linearised (influence scores
   w_i (1[cell] − p̂)/Σw summed per PSU; stratified variance with the finite population factor, as
   :mod:`.design`). V_srs = (diag p̂ − p̂ p̂ᵀ)/n.
3. With C the interaction contrasts (the r·c × (r−1)(c−1) columns of the saturated model,
   residualised on the main effects) and D = diag(1/p̂):
   Δ = (Cᵀ D C / n)⁻¹ (Cᵀ D V D C), the generalised design effects.
4. ``"F"`` (second order, R's default): F = X² / tr Δ on d₀ = (tr Δ)²/tr Δ² and d₀·ν degrees of
   freedom, ν = PSUs − strata. ``"Chisq"`` (first order): X² / mean(diag Δ) on (r−1)(c−1) df
   (R prints the uncorrected X² as its statistic but takes the p-value of the corrected one; here
   ``statistic`` is the corrected value and ``pearson`` the uncorrected X²).

References: Rao JNK, Scott AJ (1984). On chi-squared tests for multiway contingency tables with
cell proportions estimated from survey data. Annals of Statistics 12:46–60. Lumley T, R package
survey, ``svychisq`` (the formulas above follow its code). Calibrated designs (raking) are not
supported here (ValueError). Pure: polars in, a frozen result out.
"""

from __future__ import annotations

from typing import Literal

import msgspec
import numpy as np
import polars as pl
from scipy import stats

from pmp_surveys.analysis.design import SurveyDesign
from pmp_surveys.analysis.linearization import dense_codes, prepare, require_columns

__all__ = ["RaoScottResult", "rao_scott_test"]

Statistic = Literal["F", "Chisq"]


class RaoScottResult(msgspec.Struct, frozen=True, kw_only=True):
    """The corrected statistic, its degrees of freedom and p-value; ``pearson`` is the uncorrected
    X² on the table scaled to n; ``design_effects`` the eigenvalues' mean (tr Δ / k)."""

    statistic: float
    df_num: float
    df_den: float | None
    p_value: float
    pearson: float
    mean_design_effect: float
    method: Statistic
    rows: int
    cols: int
    n: int


def _design_covariance(frame: pl.DataFrame, design: SurveyDesign, cells: np.ndarray, k: int) -> np.ndarray:
    prep = prepare(frame, design)
    w = prep.weights
    total = w.sum()
    indicator = np.zeros((cells.size, k))
    indicator[np.arange(cells.size), cells] = 1.0
    p = (w[:, None] * indicator).sum(axis=0) / total
    scores = w[:, None] * (indicator - p) / total
    n_psu = prep.psu_stratum.size
    psu_totals = np.zeros((n_psu, k))
    np.add.at(psu_totals, prep.psu, scores)
    cov = np.zeros((k, k))
    for h in range(prep.n_psu_h.size):
        members = psu_totals[prep.psu_stratum == h]
        n_h = members.shape[0]
        if prep.f_h[h] <= 0.0 or n_h == 0:
            continue
        if n_h == 1:  # a lonely PSU: centred at the overall mean (0) with "adjust", else left out
            if prep.lonely_psu == "adjust":
                cov += prep.f_h[h] * members.T @ members
            continue
        dev = members - members.mean(axis=0)
        cov += prep.f_h[h] * n_h / (n_h - 1) * dev.T @ dev
    return cov


def rao_scott_test(
    frame: pl.DataFrame, row: str, col: str, design: SurveyDesign, *, statistic: Statistic = "F"
) -> RaoScottResult:
    """Test that `row` and `col` are independent under `design` (see the module notes).

    R: ``svychisq(~row + col, design, statistic=statistic)``. Raises ValueError for a variable
    with nulls, fewer than two levels, or a calibrated design.
    """
    if statistic not in ("F", "Chisq"):
        raise ValueError(f"statistic must be 'F' or 'Chisq', got {statistic!r}")
    if design.raked_on or design.post_stratified_on:
        raise ValueError("the Rao-Scott test here supports strata, clusters, fpc and weights, not calibration")
    require_columns(frame, [row, col])
    for name in (row, col):
        if frame.get_column(name).null_count():
            raise ValueError(f"{name!r} has null values: drop or code them first")
    r_codes, c_codes = dense_codes(frame.get_column(row)), dense_codes(frame.get_column(col))
    nr, nc = int(r_codes.max()) + 1, int(c_codes.max()) + 1
    if nr < 2 or nc < 2:
        raise ValueError("both variables need at least two levels")
    n = frame.height
    k = nr * nc
    cells = r_codes + nr * c_codes  # rows vary fastest, as R's interaction() and expand.grid()
    prep = prepare(frame, design)
    weighted = np.bincount(cells, weights=prep.weights, minlength=k)
    p = weighted / weighted.sum()
    table = (p * n).reshape(nc, nr).T  # r × c, scaled to n
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / n
    with np.errstate(divide="ignore", invalid="ignore"):
        pearson = float(np.nansum((table - expected) ** 2 / expected))
    # interaction contrasts residualised on the main effects
    grid_r = np.tile(np.arange(nr), nc)
    grid_c = np.repeat(np.arange(nc), nr)
    main = np.column_stack(
        [np.ones(k)] + [grid_r == i for i in range(1, nr)] + [grid_c == j for j in range(1, nc)]
    ).astype(float)
    inter = np.column_stack([(grid_r == i) & (grid_c == j) for j in range(1, nc) for i in range(1, nr)]).astype(float)
    coef, *_ = np.linalg.lstsq(main, inter, rcond=None)
    contrasts = inter - main @ coef
    inv_p = np.where(p > 0, 1.0 / np.where(p > 0, p, 1.0), 0.0)
    v = _design_covariance(frame, design, cells, k)
    denom = contrasts.T @ (inv_p[:, None] / n * contrasts)
    numer = contrasts.T @ (inv_p[:, None] * v * inv_p[None, :]) @ contrasts
    delta = np.linalg.solve(denom, numer)
    trace, trace2 = float(np.trace(delta)), float(np.trace(delta @ delta))
    df = (nr - 1) * (nc - 1)
    if statistic == "Chisq":
        value = pearson / (trace / df)
        return RaoScottResult(
            statistic=value,
            df_num=float(df),
            df_den=None,
            p_value=float(stats.chi2.sf(value, df)),
            pearson=pearson,
            mean_design_effect=trace / df,
            method="Chisq",
            rows=nr,
            cols=nc,
            n=n,
        )
    d0 = trace * trace / trace2
    nu = prep.psu_stratum.size - prep.n_psu_h.size
    value = pearson / trace
    return RaoScottResult(
        statistic=value,
        df_num=d0,
        df_den=d0 * nu,
        p_value=float(stats.f.sf(value, d0, d0 * nu)),
        pearson=pearson,
        mean_design_effect=trace / df,
        method="F",
        rows=nr,
        cols=nc,
        n=n,
    )
