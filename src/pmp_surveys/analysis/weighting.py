"""Survey weights: post-stratification, raking (iterative proportional fitting), Kish's deff.

Both weighting functions take a polars frame and return a new frame with one added weight column
plus a frozen :class:`WeightingReport`. The weights are checked against R's ``survey`` package:
``postStratify()`` and ``rake()`` (see ``tests/analysis/reference/make_design_refs.R``).

Margins are population totals keyed by category, e.g.
``{"age": {"18-34": 3100, "35-54": 4200, "55+": 4700}, "sex": {"F": 6300, "M": 5700}}``.
A category present in the sample but absent from the margins, or a category with a positive
population total but no respondents, is a ValueError that names it: silently dropping either
would bias the weights. A category with total 0 and no respondents is allowed.

The weights are calibration weights: estimate with
``SurveyDesign(weights="weight", raked_on=tuple(margins))`` (or ``post_stratified_on=``) so that
the variance takes the calibration into account, as for R's ``rake()``/``postStratify()`` designs.

References
----------
- Deming WE, Stephan FF (1940). On a least squares adjustment of a sampled frequency table when
  the expected marginal totals are known. Annals of Mathematical Statistics 11:427–444.
- Kish L (1965). Survey Sampling. Wiley, §11.7 (design effect of unequal weights 1 + CV²).
- Lumley T (2010). Complex Surveys: A Guide to Analysis Using R. Wiley, ch. 7.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import polars as pl

from pmp_surveys.analysis.linearization import factorize
from pmp_surveys.analysis.results import Result

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Margins = Mapping[str, Mapping[Any, float]]


class KishDesignEffect(Result, frozen=True, kw_only=True):
    """Kish's design effect of unequal weighting: ``deff = 1 + CV²`` (CV with divisor n),
    ``effective_n = (Σw)²/Σw² = n/deff``."""

    n: int
    deff: float | None
    effective_n: float | None
    cv: float | None


class MarginError(Result, frozen=True, kw_only=True):
    """How far the weighted totals of one margin are from its targets after weighting."""

    variable: str
    max_relative_error: float


class WeightingReport(Result, frozen=True, kw_only=True):
    """What a weighting run did.

    ``max_relative_error`` is ``max |weighted total − target| / target`` over every category of
    every margin; ``converged`` says whether it fell below the tolerance within ``max_iter``
    iterations (always True for post-stratification, 1 iteration). ``trimmed`` counts the weights
    sitting at a trimming bound at the end.
    """

    method: Literal["rake", "post-stratify"]
    weight_column: str
    iterations: int
    converged: bool
    max_relative_error: float
    margins: list[MarginError]
    n: int
    weight_total: float
    trimmed: int
    kish: KishDesignEffect


def kish_design_effect(weights: pl.Series | Sequence[float] | npt.ArrayLike) -> KishDesignEffect:
    """Kish (1965) design effect 1 + CV² and effective sample size of a set of weights.

    Null weights are ignored; weights must be non-negative. An empty set or all-zero weights
    give None values.
    """
    if isinstance(weights, pl.Series):
        w = weights.drop_nulls().cast(pl.Float64).to_numpy()
    else:
        w = np.asarray(weights, dtype=np.float64)
        w = w[~np.isnan(w)]
    if np.any(w < 0) or not np.all(np.isfinite(w)):
        raise ValueError("weights must be finite and non-negative")
    n = int(w.size)
    total = float(w.sum())
    if n == 0 or total <= 0.0:
        return KishDesignEffect(n=n, deff=None, effective_n=None, cv=None)
    square_sum = float(np.dot(w, w))
    deff = n * square_sum / (total * total)
    return KishDesignEffect(
        n=n,
        deff=deff,
        effective_n=total * total / square_sum,
        cv=float(np.sqrt(max(deff - 1.0, 0.0))),
    )


def _base_weights(frame: pl.DataFrame, base_weight: str | None) -> FloatArray:
    if base_weight is None:
        return np.ones(frame.height)
    if base_weight not in frame.columns:
        raise ValueError(f"base weight column {base_weight!r} not in the frame")
    series = frame.get_column(base_weight)
    if series.null_count():
        raise ValueError(f"base weight column {base_weight!r} has null values")
    w = series.cast(pl.Float64).to_numpy().astype(np.float64)
    if not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise ValueError(f"base weight column {base_weight!r} must be finite and positive")
    return w


def _margin_codes(frame: pl.DataFrame, variable: str, targets: Mapping[Any, float]) -> tuple[IntArray, FloatArray]:
    """Row codes into the sample's categories of `variable` and the target of each category."""
    if variable not in frame.columns:
        raise ValueError(f"margin variable {variable!r} is not a column of the frame")
    series = frame.get_column(variable)
    if series.null_count():
        raise ValueError(
            f"margin variable {variable!r} has {series.null_count()} null value(s): every respondent "
            "needs a category (impute or add an explicit 'unknown' category with a population total)"
        )
    codes, level_series = factorize(series)
    levels = level_series.to_list()
    unknown = [level for level in levels if level not in targets]
    if unknown:
        raise ValueError(
            f"category {unknown[0]!r} of {variable!r} is in the data but has no population total "
            f"(margin categories: {sorted(map(str, targets))}); all unmatched: {sorted(map(str, unknown))}"
        )
    for category, total in targets.items():
        if not np.isfinite(total) or total < 0:
            raise ValueError(f"population total of {variable!r}={category!r} must be a non-negative number")
    absent = [category for category, total in targets.items() if total > 0 and category not in levels]
    if absent:
        raise ValueError(
            f"category {absent[0]!r} of {variable!r} has a population total of {targets[absent[0]]} "
            f"but no respondents in the sample; collapse it with a neighbouring category (all: {absent})"
        )
    target = np.array([float(targets[level]) for level in levels])
    if np.any(target == 0):
        zero = [level for level in levels if targets[level] == 0]
        raise ValueError(f"category {zero[0]!r} of {variable!r} has respondents but a population total of 0")
    return codes, target


def _relative_errors(w: FloatArray, margins: list[tuple[str, IntArray, FloatArray]]) -> list[MarginError]:
    errors = []
    for variable, codes, target in margins:
        achieved = np.bincount(codes, weights=w, minlength=target.size)
        errors.append(
            MarginError(variable=variable, max_relative_error=float(np.max(np.abs(achieved - target) / target)))
        )
    return errors


def rake(
    frame: pl.DataFrame,
    margins: Margins,
    *,
    base_weight: str | None = None,
    weight_column: str = "weight",
    max_iter: int = 100,
    tolerance: float = 1e-8,
    trim: tuple[float, float] | None = None,
) -> tuple[pl.DataFrame, WeightingReport]:
    """Rake weights to the given margins by iterative proportional fitting (Deming–Stephan).

    Starting from `base_weight` (or 1), each iteration scales the weights of every category of
    every margin in turn so that its weighted total equals the target; it stops when the largest
    relative margin error is below `tolerance` or after `max_iter` iterations (then
    ``converged=False``: margins that contradict each other through empty cells cannot be met).
    All margins must have the same grand total.

    `trim`, optional, is ``(lower, upper)`` as multiples of the mean raked weight (grand total of
    the margins / n): after each iteration weights are clipped to that range and raking
    continues, so the margins are met as closely as the bounds allow. Without trimming the
    result equals R's ``rake(design, sample.margins, population.margins)``.
    """
    if not margins:
        raise ValueError("at least one margin is needed")
    if max_iter < 1:
        raise ValueError("max_iter must be at least 1")
    if trim is not None and not 0.0 <= trim[0] < 1.0 < trim[1]:
        raise ValueError(f"trim must be (lower, upper) with 0 <= lower < 1 < upper, got {trim!r}")
    if frame.height == 0:
        raise ValueError("cannot rake an empty frame")
    w = _base_weights(frame, base_weight)
    prepared = [(variable, *_margin_codes(frame, variable, targets)) for variable, targets in margins.items()]
    grand = [float(sum(targets.values())) for targets in margins.values()]
    if max(grand) - min(grand) > 1e-9 * max(grand):
        listed = ", ".join(f"{name}={total:g}" for name, total in zip(margins, grand, strict=True))
        raise ValueError(f"margins must have the same grand total, got {listed}")

    # Trimming bounds are relative to the mean weight the margins imply: grand total / n.
    mean_weight = grand[0] / frame.height
    bounds = (trim[0] * mean_weight, trim[1] * mean_weight) if trim is not None else (-np.inf, np.inf)
    iterations = 0
    max_error = float("inf")
    errors: list[MarginError] = []
    for iterations in range(1, max_iter + 1):  # noqa: B007 - the count is reported
        for _, codes, target in prepared:
            achieved = np.bincount(codes, weights=w, minlength=target.size)
            w = w * (target / achieved)[codes]
        if trim is not None:
            w = np.clip(w, bounds[0], bounds[1])
        errors = _relative_errors(w, prepared)
        max_error = max(error.max_relative_error for error in errors)
        if max_error < tolerance:
            break
    trimmed = int(np.sum((w <= bounds[0]) | (w >= bounds[1])))
    report = WeightingReport(
        method="rake",
        weight_column=weight_column,
        iterations=iterations,
        converged=max_error < tolerance,
        max_relative_error=max_error,
        margins=errors,
        n=frame.height,
        weight_total=float(w.sum()),
        trimmed=trimmed,
        kish=kish_design_effect(w),
    )
    return frame.with_columns(pl.Series(weight_column, w)), report


def post_stratify(
    frame: pl.DataFrame,
    cells: pl.DataFrame,
    *,
    total: str = "total",
    base_weight: str | None = None,
    weight_column: str = "weight",
) -> tuple[pl.DataFrame, WeightingReport]:
    """Post-stratify to known cell totals: ``wᵢ · N_c / Σ_{j∈c} w_j`` in each cell c.

    `cells` has one column per cell variable (named as in `frame`) and a `total` column with the
    population count of the cell; every cell in the sample must be listed, and every listed cell
    with a positive total must have respondents. As R's ``postStratify(design, ~a+b, cells)``.
    """
    if total not in cells.columns:
        raise ValueError(f"cells must have a {total!r} column with the population totals")
    variables = [name for name in cells.columns if name != total]
    if not variables:
        raise ValueError("cells must have at least one cell variable column besides the totals")
    missing = [name for name in variables if name not in frame.columns]
    if missing:
        raise ValueError(f"cell variable(s) {missing} are not columns of the frame")
    for name in variables:
        nulls = frame.get_column(name).null_count()
        if nulls:
            raise ValueError(f"cell variable {name!r} has {nulls} null value(s): every respondent needs a cell")
    if cells.select(variables).is_duplicated().any():
        raise ValueError(f"cells lists a combination of {variables} more than once")
    if cells.get_column(total).null_count() or (cells.get_column(total) < 0).any():
        raise ValueError(f"{total!r} must be non-negative numbers without nulls")
    if frame.height == 0:
        raise ValueError("cannot post-stratify an empty frame")

    w = _base_weights(frame, base_weight)
    target_name = "__pmp_cell_total"
    lookup = cells.select(
        *[pl.col(name).cast(frame.schema[name]) for name in variables],
        pl.col(total).cast(pl.Float64).alias(target_name),
    )
    work = frame.select(variables).with_columns(pl.Series("__pmp_w", w)).with_row_index("__pmp_row")
    joined = work.join(lookup, on=variables, how="left").sort("__pmp_row")
    unmatched = joined.filter(pl.col(target_name).is_null())
    if unmatched.height:
        cell = unmatched.row(0, named=True)
        described = ", ".join(f"{name}={cell[name]!r}" for name in variables)
        raise ValueError(f"cell ({described}) is in the data but has no population total in cells")
    present = work.select(variables).unique()
    empty = lookup.filter(pl.col(target_name) > 0).join(present, on=variables, how="anti")
    if empty.height:
        cell = empty.row(0, named=True)
        described = ", ".join(f"{name}={cell[name]!r}" for name in variables)
        raise ValueError(
            f"cell ({described}) has a population total of {cell[target_name]:g} but no respondents; "
            "collapse it with a neighbouring cell"
        )
    weighted = joined.select(
        (pl.col("__pmp_w") * pl.col(target_name) / pl.col("__pmp_w").sum().over(variables)).alias(weight_column)
    ).to_series()
    new_w = weighted.to_numpy().astype(np.float64)
    return frame.with_columns(weighted), WeightingReport(
        method="post-stratify",
        weight_column=weight_column,
        iterations=1,
        converged=True,
        max_relative_error=0.0,
        margins=[],
        n=frame.height,
        weight_total=float(new_w.sum()),
        trimmed=0,
        kish=kish_design_effect(new_w),
    )
