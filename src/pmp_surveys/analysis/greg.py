"""Linear (GREG) calibration of design weights to known population totals.

Beside raking and post-stratification (:mod:`.weighting`): the weights ``w₀`` are multiplied by
``gᵢ = 1 + (T − t̂)ᵀ(XᵀW₀X)⁻¹xᵢ`` so that the weighted totals of the model matrix X equal the
population totals T exactly (Deville & Särndal 1992, the chi-squared distance; R
``calibrate(design, formula, population, calfun="linear")``). X is an intercept (the population
size), numeric auxiliaries, and treatment-coded dummies of categorical auxiliaries (every level
but the first in sorted order, as R's ``model.matrix``).

The returned design carries the model, so every estimator of :mod:`.design_estimates`,
:mod:`.contrasts` and :mod:`.tables` uses the calibration residuals in its variance (the GREG
variance; :func:`.multistage.calibrated_scores`), as R does for a calibrated design. Weights may
be negative for extreme units (linear calibration is unbounded), as in R.

Reference: Deville JC, Särndal CE (1992). Calibration estimators in survey sampling. JASA
87:376–382; Lumley T (2010) §7.
"""

from __future__ import annotations

from collections.abc import Mapping

import msgspec
import numpy as np
import polars as pl

from pmp_surveys.analysis import multistage
from pmp_surveys.analysis.linearization import require_columns
from pmp_surveys.analysis.multistage import AnyDesign, GregSpec, MultistageDesign, as_multistage


def greg_calibrate(
    frame: pl.DataFrame,
    design: AnyDesign,
    *,
    population_size: float,
    numeric: Mapping[str, float] | None = None,
    categorical: Mapping[str, Mapping[str, float]] | None = None,
    weight_column: str = "greg_weight",
) -> tuple[pl.DataFrame, MultistageDesign]:
    """Calibrate the design's weights linearly; return the frame with ``weight_column`` (the new
    weights) and ``weight_column + "_base"`` (the weights before) added, and the calibrated design.

    - ``population_size``: N, the total of the intercept.
    - ``numeric``: population total of each numeric column (e.g. ``{"x": 2000}``).
    - ``categorical``: population count of each level of each categorical column; the first level
      (sorted) is the reference and its count is implied by N.

    R: ``calibrate(design, ~region + x, population=c(`(Intercept)`=N, regionB=.., regionC=..,
    x=..), calfun="linear")``. Raises ValueError for missing columns, a level absent from the
    population counts, or a singular model (collinear auxiliaries).
    """
    numeric = dict(numeric or {})
    categorical = {name: dict(levels) for name, levels in (categorical or {}).items()}
    require_columns(frame, [*numeric, *categorical])
    ms = as_multistage(design)
    if ms.calibration is not None:
        raise ValueError("the design is already calibrated")
    prep = multistage.prepare(frame, ms)
    levels: list[tuple[str, ...]] = []
    targets = [float(population_size)] + [float(v) for v in numeric.values()]
    for name, counts in categorical.items():
        present = sorted(frame.get_column(name).cast(pl.String).unique().drop_nulls().to_list())
        unknown = [level for level in present if level not in counts]
        if unknown:
            raise ValueError(f"population counts of {name!r} lack level(s) {unknown}")
        kept = tuple(sorted(counts))[1:]
        levels.append(kept)
        targets += [float(counts[level]) for level in kept]
    base_column = f"{weight_column}_base"
    spec = GregSpec(
        base_weights=base_column,
        numeric=tuple(numeric),
        categorical=tuple(categorical),
        levels=tuple(levels),
        intercept=True,
    )
    x = multistage.greg_model_matrix(frame, spec)
    w0 = prep.weights
    gram = (x * w0[:, None]).T @ x
    if np.linalg.matrix_rank(gram) < gram.shape[0]:
        raise ValueError("the calibration model is singular (collinear auxiliaries or an empty level)")
    estimated = x.T @ w0
    lam = np.linalg.solve(gram, np.asarray(targets) - estimated)
    weights = w0 * (1.0 + x @ lam)
    out = frame.with_columns(pl.Series(base_column, w0), pl.Series(weight_column, weights))
    return out, msgspec.structs.replace(ms, weights=weight_column, calibration=spec)
