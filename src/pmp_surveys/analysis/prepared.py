"""A survey design prepared once, then many variables and domains estimated on it (R's ``svyby``).

    >>> design = prepare_design(frame, SurveyDesign(strata="school", fpc="teachers"))
    >>> design.proportions(frame.select("agree_01", "agree_02"), method="beta")   # dict by column
    >>> design.proportion_by(frame.select("agree_01"), frame.get_column("wave"))  # one row per level

The estimators, variances, degrees of freedom, design effects and intervals are exactly those of
:mod:`.design` (``survey_proportion``, ``survey_mean``, ``*_by``; R's ``survey`` package), which
documents them; the tests check every figure against :mod:`.design` to 1e-12 (relative).

Sufficient statistics
---------------------
The linearised score of a respondent is ``zᵢ = wᵢ(yᵢ − ŷ)/W``, so a PSU total is
``T_j = (Σ_j wy − ŷ Σ_j w)/W``: for a design **without calibration** the variance needs only
weighted sums per (domain, PSU), and, when every respondent is its own PSU, per (domain, stratum)
the sums of ``w``, ``wy``, ``wy²``, ``w²``, ``w²y`` and ``w²y²`` (then
``Σ_h T = (Σwy − ŷΣw)/W`` and ``Σ_h T² = (Σw²y² − 2ŷΣw²y + ŷ²Σw²)/W²``). These sums are taken for
every variable at once in **one polars group-by**; the remaining arithmetic is on the cells
(strata or PSUs × domains), not on the rows. Means are centred on the variable's mean first, so
that the moment sums do not lose precision to a large level.

Calibrated designs (``raked_on`` / ``post_stratified_on``) need every row's calibration residual:
they are estimated exactly from the microdata (:func:`.linearization.estimate_core`), with the
design still prepared only once. ``uses_aggregates`` says which path a prepared design takes.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import polars as pl

from pmp_surveys.analysis.design import (
    _FRAME_SCHEMA,
    PROPORTION_INTERVALS,
    DesignEstimate,
    MeanInterval,
    ProportionInterval,
    SurveyDesign,
    _check,
    _result,
)
from pmp_surveys.analysis.linearization import (
    _CERTAINTY_TOLERANCE,
    Core,
    FloatArray,
    IntArray,
    Prepared,
    estimate_core,
    factorize,
    prepare,
)

__all__ = ["PreparedDesign", "prepare_design"]

Kind = Literal["proportion", "mean"]
_G, _S, _P, _W = "__domain", "__stratum", "__psu", "__weight"


def prepare_design(frame: pl.DataFrame, design: SurveyDesign) -> PreparedDesign:
    """Check and code `design`'s columns of `frame` once (strata, PSUs, fpc, weights).

    Raises ValueError as :func:`.design.survey_proportion` does (missing or null design columns,
    fpc not constant in a stratum or below the sampled PSUs, negative weights, lonely_psu="fail")."""
    return PreparedDesign(prepare(frame, design), design, frame.height)


class PreparedDesign:
    """A design coded on ``n_rows`` rows; the variables and domains given to its methods are
    Series / frames of the same rows in the same order."""

    def __init__(self, prep: Prepared, design: SurveyDesign, n_rows: int) -> None:
        self._prep = prep
        self.design = design
        self.n_rows = n_rows
        self.uses_aggregates = prep.calibration is None
        # Weights constant within each stratum and one row per PSU (e.g. N_h/n_h): the cells
        # need only unweighted counts and sums, the stratum's weight is applied afterwards.
        self._stratum_weight: FloatArray | None = None
        if not prep.has_clusters and self.uses_aggregates:
            first = np.zeros(prep.n_psu_h.size)
            first[prep.stratum] = prep.weights
            if np.array_equal(first[prep.stratum], prep.weights):
                self._stratum_weight = first
        columns: dict[str, IntArray | FloatArray] = {_S: prep.stratum}
        if self._stratum_weight is None:
            columns[_W] = prep.weights
        if prep.has_clusters:
            columns[_P] = prep.psu
        self._codes = pl.DataFrame(columns)

    # -- public ----------------------------------------------------------------------------------

    def proportions(
        self,
        values: pl.DataFrame,
        *,
        confidence_level: float = 0.95,
        method: ProportionInterval = "logit",
        domain: pl.Series | None = None,
    ) -> dict[str, DesignEstimate]:
        """The proportion of every 0/1 or boolean column of `values`, by column name.

        `domain`: a boolean Series (false or null = out of the domain, kept in the design).
        R: ``svyciprop(~y, subset(design, domain), method=method)`` for each column y."""
        _check(method, PROPORTION_INTERVALS, confidence_level)
        cores = self._cores(values, self._domain(domain), 1, "proportion")
        return {name: _result(core, 0, method, confidence_level, proportion=True) for name, core in cores.items()}

    def means(
        self,
        values: pl.DataFrame,
        *,
        confidence_level: float = 0.95,
        method: MeanInterval = "mean",
        domain: pl.Series | None = None,
    ) -> dict[str, DesignEstimate]:
        """The mean of every numeric column of `values` with a t interval on the design's df.
        R: ``svymean(~y, subset(design, domain), na.rm=TRUE, deff=TRUE)``."""
        _check(method, ("mean",), confidence_level)
        cores = self._cores(values, self._domain(domain), 1, "mean")
        return {name: _result(core, 0, method, confidence_level) for name, core in cores.items()}

    def proportion_by(
        self,
        values: pl.DataFrame,
        by: pl.Series,
        *,
        confidence_level: float = 0.95,
        method: ProportionInterval = "logit",
    ) -> pl.DataFrame:
        """Every column of `values` in every level of `by` (null = no domain): columns
        ``variable``, `by`'s name, then the :class:`DesignEstimate` fields, levels sorted.
        R: ``svyby(~y1 + y2, ~by, design, svyciprop)``."""
        _check(method, PROPORTION_INTERVALS, confidence_level)
        return self._by(values, by, "proportion", method, confidence_level)

    def mean_by(
        self,
        values: pl.DataFrame,
        by: pl.Series,
        *,
        confidence_level: float = 0.95,
        method: MeanInterval = "mean",
    ) -> pl.DataFrame:
        """:meth:`proportion_by` for means. R: ``svyby(~y1 + y2, ~by, design, svymean)``."""
        _check(method, ("mean",), confidence_level)
        return self._by(values, by, "mean", method, confidence_level)

    # -- domains ---------------------------------------------------------------------------------

    def _check_rows(self, series: pl.Series | pl.DataFrame, what: str) -> None:
        if isinstance(series, pl.DataFrame) and not series.columns:
            return  # no variables: nothing to estimate, whatever the height
        height = series.height if isinstance(series, pl.DataFrame) else series.len()
        if height != self.n_rows:
            raise ValueError(f"{what} has {height} rows, the design {self.n_rows}")

    def _domain(self, domain: pl.Series | None) -> IntArray | None:
        if domain is None:
            return None
        self._check_rows(domain, "domain")
        mask = domain.cast(pl.Boolean).fill_null(False).to_numpy()
        return np.where(mask, 0, -1).astype(np.int64)

    def _by(self, values: pl.DataFrame, by: pl.Series, kind: Kind, method: str, level: float) -> pl.DataFrame:
        self._check_rows(by, "by")
        codes = np.full(self.n_rows, -1, dtype=np.int64)
        present = by.is_not_null().to_numpy()
        present_codes, levels = factorize(by.filter(by.is_not_null()))
        codes[present] = present_codes
        cores = self._cores(values, codes, levels.len(), kind)
        order = levels.arg_sort().to_list()
        frames = []
        for name, core in cores.items():
            rows = [_result(core, i, method, level, proportion=kind == "proportion").to_dict() for i in order]
            frame = pl.DataFrame(rows, schema=_FRAME_SCHEMA) if rows else pl.DataFrame(schema=_FRAME_SCHEMA)
            frames.append(frame.select(pl.lit(name).alias("variable"), levels.gather(order).alias(by.name), pl.all()))
        if not frames:
            return pl.DataFrame(schema={"variable": pl.String, by.name: by.dtype, **_FRAME_SCHEMA})
        return pl.concat(frames)

    # -- estimation ------------------------------------------------------------------------------

    def _cores(self, values: pl.DataFrame, group: IntArray | None, n_groups: int, kind: Kind) -> dict[str, Core]:
        self._check_rows(values, "values")
        if not values.columns:
            return {}
        for name, dtype in values.schema.items():
            if not (dtype.is_numeric() or dtype == pl.Boolean):
                raise ValueError(f"variable {name!r} must be numeric or boolean, got {dtype}")
        values = values.select(pl.all().cast(pl.Float64).fill_nan(None))
        if kind == "proportion":
            bad = values.select((pl.all().is_not_null() & (pl.all() != 0.0) & (pl.all() != 1.0)).any())
            wrong = [name for name, flag in bad.row(0, named=True).items() if flag]
            if wrong:
                raise ValueError(f"variable {wrong[0]!r} must be 0/1 or boolean for a proportion")
        if not self.uses_aggregates:
            g = np.zeros(self.n_rows, dtype=np.int64) if group is None else group
            return {
                name: estimate_core(self._prep, values.get_column(name).to_numpy().astype(np.float64), g, n_groups)
                for name in values.columns
            }
        return _aggregate_cores(self._prep, self._codes, values, group, n_groups, kind, self._stratum_weight)


def _aggregate_cores(
    prep: Prepared,
    codes: pl.DataFrame,
    values: pl.DataFrame,
    group: IntArray | None,
    n_groups: int,
    kind: Kind,
    stratum_weight: FloatArray | None,
) -> dict[str, Core]:
    """One group-by over (domain, PSU) — or (domain, stratum) when every row is a PSU — summing
    the weighted moments of every variable; then the variance of each from the cells."""
    names = values.columns
    clustered = prep.has_clusters
    shift = {name: 0.0 for name in names}
    if kind == "mean" and names:
        means = values.select(pl.all().mean()).row(0, named=True)
        shift = {name: float(means[name]) if means[name] is not None else 0.0 for name in names}
    frame = codes.hstack(values.rename({n: f"v{i}" for i, n in enumerate(names)}).get_columns())
    if group is not None:
        frame = frame.with_columns(pl.Series(_G, group)).filter(pl.col(_G) >= 0)
    else:
        frame = frame.with_columns(pl.lit(0, pl.Int64).alias(_G))
    if stratum_weight is not None:
        return _constant_weight_cores(prep, frame, names, n_groups, kind, shift, stratum_weight)
    w = pl.col(_W)
    aggs: list[pl.Expr] = [pl.len().alias("rows")]
    for i, name in enumerate(names):
        y = pl.col(f"v{i}") - shift[name] if shift[name] else pl.col(f"v{i}")
        wv = pl.when(pl.col(f"v{i}").is_not_null() & (w > 0)).then(w)
        aggs += [wv.count().alias(f"n{i}"), wv.sum().alias(f"a{i}"), (wv * y).sum().alias(f"b{i}")]
        if kind == "mean":
            aggs.append((wv * y * y).sum().alias(f"c{i}"))
        if not clustered:
            aggs += [(wv * w).sum().alias(f"d{i}"), (wv * w * y).sum().alias(f"e{i}")]
            if kind == "mean":
                aggs.append((wv * w * y * y).sum().alias(f"f{i}"))
    keys = [_G, _P if clustered else _S]
    cells = frame.group_by(keys).agg(aggs)
    g = cells.get_column(_G).to_numpy().astype(np.int64)
    unit = cells.get_column(keys[1]).to_numpy().astype(np.int64)
    stratum = prep.psu_stratum[unit] if clustered else unit
    rows = cells.get_column("rows").to_numpy().astype(np.int64)
    found: dict[str, Core] = {}
    for i, name in enumerate(names):

        def col(letter: str, i: int = i) -> FloatArray:
            return cells.get_column(f"{letter}{i}").to_numpy().astype(np.float64)

        moments = {k: col(k) for k in ("n", "a", "b")}
        moments["c"] = col("c") if kind == "mean" else moments["b"]
        if not clustered:
            moments["d"], moments["e"] = col("d"), col("e")
            moments["f"] = col("f") if kind == "mean" else moments["e"]
        found[name] = _core(prep, g, stratum, rows, moments, n_groups, shift[name])
    return found


def _constant_weight_cores(
    prep: Prepared,
    frame: pl.DataFrame,
    names: list[str],
    n_groups: int,
    kind: Kind,
    shift: dict[str, float],
    stratum_weight: FloatArray,
) -> dict[str, Core]:
    """Cells (domain, stratum) of a design whose weight w_h is constant in the stratum: the
    counts k, Σy and Σy² per cell give Σw = w_h k, Σwy = w_h Σy, Σw² = w_h² k and so on."""
    aggs: list[pl.Expr] = [pl.len().alias("rows")]
    for i, name in enumerate(names):
        y = pl.col(f"v{i}") - shift[name] if shift[name] else pl.col(f"v{i}")
        aggs += [y.count().alias(f"n{i}"), y.sum().alias(f"b{i}")]
        if kind == "mean":
            aggs.append((y * y).sum().alias(f"c{i}"))
    cells = frame.group_by(_G, _S).agg(aggs)
    g = cells.get_column(_G).to_numpy().astype(np.int64)
    stratum = cells.get_column(_S).to_numpy().astype(np.int64)
    rows = cells.get_column("rows").to_numpy().astype(np.int64)
    w = stratum_weight[stratum]
    positive = w > 0  # rows of weight 0 leave the estimate, as in the row-level path
    found: dict[str, Core] = {}
    for i, name in enumerate(names):
        k = np.where(positive, cells.get_column(f"n{i}").to_numpy().astype(np.float64), 0.0)
        sy = np.where(positive, cells.get_column(f"b{i}").to_numpy().astype(np.float64), 0.0)
        syy = cells.get_column(f"c{i}").to_numpy().astype(np.float64) if kind == "mean" else sy
        syy = np.where(positive, syy, 0.0)
        moments = {"n": k, "a": w * k, "b": w * sy, "c": w * syy, "d": w * w * k, "e": w * w * sy, "f": w * w * syy}
        found[name] = _core(prep, g, stratum, rows, moments, n_groups, shift[name])
    return found


def _core(
    prep: Prepared,
    g: IntArray,
    stratum: IntArray,
    rows: IntArray,
    m: dict[str, FloatArray],
    n_groups: int,
    shift: float,
) -> Core:
    n_cell = m["n"].astype(np.int64)
    n = np.bincount(g, weights=n_cell, minlength=n_groups).astype(np.int64)
    n_missing = np.bincount(g, weights=rows, minlength=n_groups).astype(np.int64) - n
    weight_total = np.bincount(g, weights=m["a"], minlength=n_groups).astype(np.float64)
    wy = np.bincount(g, weights=m["b"], minlength=n_groups)
    n_strata_total = prep.n_psu_h.size
    with np.errstate(invalid="ignore", divide="ignore"):
        centred = wy / weight_total
        est = centred[g]
        wt = weight_total[g]
        totals = (m["b"] - est * m["a"]) / wt  # Σ z per cell
        if prep.has_clusters:
            variance = _psu_variance(prep, g, stratum, totals, n_groups)
        else:
            squares = (m["f"] - 2.0 * est * m["e"] + est * est * m["d"]) / (wt * wt)
            variance = _stratum_variance(prep, g, stratum, totals, squares, n_groups)
        resid = np.bincount(g, weights=m["c"] - 2.0 * est * m["b"] + est * est * m["a"], minlength=n_groups)
        s2 = resid / weight_total * n / (n - 1)
        vsrs = np.where(weight_total > n, s2 * (weight_total - n) / (weight_total * n), s2 / n)
        deff = variance / vsrs
    occupied = n_cell > 0
    n_units = np.bincount(g[occupied], minlength=n_groups).astype(np.int64)
    if prep.has_clusters:
        gh = np.unique(g[occupied] * n_strata_total + stratum[occupied])
        n_strata = np.bincount(gh // n_strata_total, minlength=n_groups).astype(np.int64)
        n_psu = n_units
    else:
        n_strata, n_psu = n_units, n
    return Core(
        n=n,
        n_missing=n_missing,
        weight_total=weight_total,
        estimate=centred + shift,
        variance=variance,
        df=n_psu - n_strata,
        n_psu=n_psu,
        n_strata=n_strata,
        deff=deff,
    )


def _contribution(prep: Prepared, h: IntArray, ss: FloatArray, raw_sq: FloatArray) -> FloatArray:
    """f_h n_h/(n_h − 1) · ss per (domain, stratum), with the lonely-PSU and certainty rules of
    :func:`.linearization._variance`."""
    n_h = prep.n_psu_h[h]
    f_h = prep.f_h[h]
    multi = n_h > 1
    contribution = np.where(multi, f_h * n_h / np.where(multi, n_h - 1, 1) * ss, 0.0)
    if prep.lonely_psu == "adjust":
        contribution = np.where(multi, contribution, f_h * raw_sq)
    return np.where(f_h < _CERTAINTY_TOLERANCE, 0.0, contribution)


def _stratum_variance(
    prep: Prepared, g: IntArray, h: IntArray, s1: FloatArray, s2: FloatArray, n_groups: int
) -> FloatArray:
    """Cells are (domain, stratum) with Σ T and Σ T² over the stratum's one-row PSUs."""
    ss = s2 - s1 * s1 / prep.n_psu_h[h]
    return np.bincount(g, weights=_contribution(prep, h, ss, s2), minlength=n_groups).astype(np.float64)


def _psu_variance(prep: Prepared, g: IntArray, h: IntArray, totals: FloatArray, n_groups: int) -> FloatArray:
    """Cells are (domain, PSU) with their score totals; centred on the mean over all n_h PSUs."""
    key = g * prep.n_psu_h.size + h
    gh, lookup = np.unique(key, return_inverse=True)
    lookup = lookup.ravel()
    n_h = prep.n_psu_h[gh % prep.n_psu_h.size]
    mean_h = np.bincount(lookup, weights=totals, minlength=gh.size) / n_h
    dev = totals - mean_h[lookup]
    occupied = np.bincount(lookup, minlength=gh.size)
    ss = np.bincount(lookup, weights=dev * dev, minlength=gh.size) + (n_h - occupied) * mean_h * mean_h
    raw_sq = np.bincount(lookup, weights=totals * totals, minlength=gh.size).astype(np.float64)
    contribution = _contribution(prep, gh % prep.n_psu_h.size, ss, raw_sq)
    return np.bincount(gh // prep.n_psu_h.size, weights=contribution, minlength=n_groups).astype(np.float64)
