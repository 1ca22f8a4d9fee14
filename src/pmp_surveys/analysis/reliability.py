"""Instrument quality of a multi-item scale: raw and standardised α, α if an item is deleted,
item–rest correlations and the inter-item correlation matrix (R ``psych::alpha``).

Missing answers (``missing``)
-----------------------------
- ``"pairwise"`` (psych's default): C is the covariance matrix with each entry over the rows
  where both items are answered (R ``cov(x, use="pairwise")``); R = cov2cor(C).
- ``"listwise"``: only the rows where every item is answered (``psych::alpha(na.omit(x))``).

Formulas (Cronbach 1951; psych 2.2.9 ``alpha.1``), k items:

- raw α = k/(k − 1)·(1 − tr C / ΣC); standardised α = k/(k − 1)·(1 − k/ΣR);
  average r = (ΣR − k)/(k(k − 1)).
- α if item i is deleted: the same on C and R without row and column i.
- item–rest r (corrected item–total, psych ``r.drop``) = (Σ_j C_ij − C_ii)/sqrt(C_ii·ΣC₋ᵢ,₋ᵢ).
- ``correlations``: Pearson correlations over pairwise (or listwise) complete rows, R
  ``cor(x, use="pairwise")`` — with missing answers this differs slightly from cov2cor(C).

The interval of raw α (Feldt 1965) is :func:`.scales.cronbach_alpha`'s, on complete cases.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import polars as pl

from pmp_surveys.analysis.linearization import FloatArray, require_columns
from pmp_surveys.analysis.results import Result
from pmp_surveys.analysis.scales import _check_items, _keyed_items

MissingRule = Literal["pairwise", "listwise"]


class ItemStatistics(Result, frozen=True, kw_only=True):
    """One item: answers, mean, SD, item–rest r, raw and standardised α without it."""

    item: str
    n: int
    mean: float | None
    sd: float | None
    item_rest_r: float | None
    alpha_if_deleted: float | None
    std_alpha_if_deleted: float | None


class Reliability(Result, frozen=True, kw_only=True):
    """α (raw, standardised), average inter-item r, per-item statistics and the correlation
    matrix (``items`` order); ``n`` rows used (any answer for pairwise, complete for listwise)."""

    raw_alpha: float | None
    std_alpha: float | None
    average_r: float | None
    n: int
    n_complete: int
    missing: MissingRule
    items: tuple[ItemStatistics, ...]
    correlations: tuple[tuple[float | None, ...], ...]
    method: str = "psych::alpha"


def _complete_pairs(x: FloatArray) -> tuple[FloatArray, FloatArray]:
    """:func:`_pairwise` for a matrix without missing values, with the same arithmetic in the
    same order (each column centred on its own mean once, one dot product per pair), so the
    figures are bit-for-bit those of the general loop, without a row mask per pair."""
    n, k = x.shape
    cov = np.full((k, k), np.nan)
    cor = np.full((k, k), np.nan)
    if n < 2:
        return cov, cor
    columns = np.ascontiguousarray(x.T)
    centred = [column - column.mean() for column in columns]
    squares = [float(d @ d) for d in centred]
    for i in range(k):
        for j in range(i, k):
            cross = float(centred[i] @ centred[j])
            cov[i, j] = cov[j, i] = cross / (n - 1)
            denominator = float(np.sqrt(squares[i] * squares[j]))
            cor[i, j] = cor[j, i] = cross / denominator if denominator > 0 else np.nan
    return cov, cor


def _pairwise(x: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Covariance and correlation matrices over pairwise complete rows (R ``cov``/``cor`` with
    ``use="pairwise"``); an entry with fewer than two such rows is NaN. Shapes (k, k)."""
    k = x.shape[1]
    present = ~np.isnan(x)
    if present.all():
        return _complete_pairs(x)
    cov = np.full((k, k), np.nan)
    cor = np.full((k, k), np.nan)
    for i in range(k):
        for j in range(i, k):
            both = present[:, i] & present[:, j]
            if both.sum() < 2:
                continue
            a, b = x[both, i], x[both, j]
            da, db = a - a.mean(), b - b.mean()
            cov[i, j] = cov[j, i] = float(da @ db) / (both.sum() - 1)
            denominator = float(np.sqrt((da @ da) * (db @ db)))
            cor[i, j] = cor[j, i] = float(da @ db) / denominator if denominator > 0 else np.nan
    return cov, cor


def _alphas(c: FloatArray) -> tuple[float | None, float | None, float | None]:
    k = c.shape[0]
    if k < 2 or not np.all(np.isfinite(c)) or np.any(np.diag(c) <= 0):
        return None, None, None
    sd = np.sqrt(np.diag(c))
    r = c / np.outer(sd, sd)
    with np.errstate(divide="ignore", invalid="ignore"):  # a total without variance: undefined
        raw = (1.0 - np.trace(c) / c.sum()) * k / (k - 1)
        std = (1.0 - k / r.sum()) * k / (k - 1)
    average = (r.sum() - k) / (k * (k - 1))
    return _finite(raw), _finite(std), _finite(average)


def _finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def scale_reliability(
    frame: pl.DataFrame,
    items: Sequence[str],
    *,
    reverse: Sequence[str] = (),
    points: int | None = None,
    missing: MissingRule = "pairwise",
) -> Reliability:
    """Reliability statistics of the scale `items` (reverse-coded items keyed as ``points + 1 −
    answer`` first). R: ``psych::alpha(x)`` (pairwise) or ``psych::alpha(na.omit(x))``.

    Raises ValueError for missing columns, repeated items, a reverse item without ``points`` or
    an unknown missing rule. Statistics that are undefined (fewer than 2 items or rows, an item
    without variance) are None.
    """
    _check_items(items, reverse, points)
    require_columns(frame, list(items))
    if missing not in ("pairwise", "listwise"):
        raise ValueError(f"missing must be 'pairwise' or 'listwise', got {missing!r}")
    keyed = frame.select(_keyed_items(items, reverse, points)).with_columns(pl.all().fill_nan(None))
    x = keyed.to_numpy().astype(np.float64)
    complete = ~np.isnan(x).any(axis=1)
    if missing == "listwise":
        x = x[complete]
    used = int((~np.isnan(x).all(axis=1)).sum())
    cov, cor = _pairwise(x)
    raw, std, average = _alphas(cov)
    k = len(items)
    stats: list[ItemStatistics] = []
    for i, name in enumerate(items):
        column = x[:, i][~np.isnan(x[:, i])]
        others = [j for j in range(k) if j != i]
        sub = cov[np.ix_(others, others)]
        drop_raw, drop_std, _ = _alphas(sub) if k > 2 else (None, None, None)
        rest = float(cov[i].sum() - cov[i, i])
        denominator = float(cov[i, i] * sub.sum())
        item_rest = rest / np.sqrt(denominator) if denominator > 0 else np.nan
        stats.append(
            ItemStatistics(
                item=name,
                n=int(column.size),
                mean=float(column.mean()) if column.size else None,
                sd=float(column.std(ddof=1)) if column.size > 1 else None,
                item_rest_r=_finite(item_rest),
                alpha_if_deleted=drop_raw,
                std_alpha_if_deleted=drop_std,
            )
        )
    return Reliability(
        raw_alpha=raw,
        std_alpha=std,
        average_r=average,
        n=used,
        n_complete=int(complete.sum()),
        missing=missing,
        items=tuple(stats),
        correlations=tuple(tuple(_finite(v) for v in row) for row in cor),
    )
