"""The in-memory paths `benchmarks/evaluation.py` times beside the end-to-end evaluation.

All three do the same work on the extracted frames of one municipality (both waves): the 7 rules'
design-based shares per wave with schools as strata and head-count fpc (weights N_h/n_h),
Korn–Graubard intervals, the change 2026 − 2024 (z difference of independent estimates) and the
verdict against the target ``at least 0.5``; each returns {(rule, wave): (p, ci_low, ci_high,
std_error)} and {rule: (change, change_low, change_high)} so the runs can be checked against each
other.

- :func:`floor`: one polars group-by into school × wave cells (counts and successes per rule),
  then the interval arithmetic written out in numpy/scipy on those cells — the least work the
  result needs, the yardstick of the issue.
- :func:`api_path`: the public API a statistician would call — the instrument's scoring
  expressions, :func:`pmp_surveys.analysis.prepared.prepare_design` once per wave and
  ``proportions`` of every rule on it.
- :func:`row_level_path`: the row-level API (:func:`pmp_surveys.analysis.design.survey_proportion`
  per rule and wave), what the evaluation did before the prepared design.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
from scipy import stats

from pmp_surveys.analysis.design import SurveyDesign, survey_proportion
from pmp_surveys.analysis.prepared import prepare_design
from pmp_surveys.indicators.evaluate import EvaluationInputs
from pmp_surveys.indicators.scoring import scale_expr, share_exprs, threshold_exprs
from pmp_surveys.instruments.coding import build_layout
from pmp_surveys.instruments.definition import Instrument, ScaleRule, ShareRule, ThresholdRule

Values = dict[tuple[str, int], tuple[float, ...]]
Changes = dict[str, tuple[float, float, float]]
KEY = "bench-thirty-items"
SCHOOLS_AS_STRATA = SurveyDesign(strata="school_id", fpc="teachers")
Z = float(stats.norm.ppf(0.975))


def _y_exprs(instrument: Instrument, rules: tuple[str, ...]) -> tuple[list[pl.Expr], list[pl.Expr]]:
    """(scale score columns, y column per rule) from the instrument's own scoring expressions."""
    layout = build_layout(instrument)
    scales, ys = [], []
    for rule_id in rules:
        rule = instrument.rule(rule_id)
        if isinstance(rule, ShareRule):
            y, _ = share_exprs(instrument, layout, rule)
        else:
            assert isinstance(rule, ThresholdRule)
            scale = instrument.rule(rule.scale)
            assert isinstance(scale, ScaleRule)
            scales.append(scale_expr(instrument, layout, scale).alias(f"score:{rule.scale}"))
            y, _ = threshold_exprs(instrument, layout, rule, pl.col(f"score:{rule.scale}"))
        ys.append(y.alias(rule_id))
    return scales, ys


def _changes(values: Values, rules: tuple[str, ...], se: dict[tuple[str, int], float]) -> Changes:
    found = {}
    for rule in rules:
        diff = values[(rule, 2026)][0] - values[(rule, 2024)][0]
        half = Z * math.hypot(se[(rule, 2026)], se[(rule, 2024)])
        found[rule] = (diff, diff - half, diff + half)
    return found


def floor(inputs: EvaluationInputs, rules: tuple[str, ...]) -> tuple[Values, Changes]:
    """One group-by into school × wave cells, then the stratified variance and Korn–Graubard
    limits on the cells (formulas of :mod:`pmp_surveys.analysis.design`)."""
    waves = (2024, 2026)
    parts = [inputs.responses[(KEY, wave)].parts[0] for wave in waves]
    scales, ys = _y_exprs(parts[0].instrument, rules)
    stacked = pl.concat(
        [p.frame.lazy().with_columns(pl.lit(w, pl.Int32).alias("wave")) for p, w in zip(parts, waves, strict=True)]
    )
    aggs = [pl.len().alias("rows")]
    for rule in rules:
        aggs += [pl.col(rule).count().alias(f"k:{rule}"), pl.col(rule).sum().alias(f"x:{rule}")]
    cells = (
        stacked.with_columns(scales)
        .select("wave", "school_id", *ys)
        .group_by("wave", "school_id")
        .agg(aggs)
        .collect()
        .join(inputs.teachers, on="school_id", how="left")
    )
    values: Values = {}
    se: dict[tuple[str, int], float] = {}
    alpha = 0.05
    for wave in waves:
        c = cells.filter(pl.col("wave") == wave)
        n_h = c.get_column("rows").to_numpy().astype(np.float64)
        pop = c.get_column("teachers").to_numpy().astype(np.float64)
        w, f = pop / n_h, (pop - n_h) / pop
        for rule in rules:
            k = c.get_column(f"k:{rule}").to_numpy().astype(np.float64)
            x = c.get_column(f"x:{rule}").to_numpy().astype(np.float64)
            total = float((w * k).sum())
            p = float((w * x).sum()) / total
            s1 = w * (x - p * k) / total
            s2 = w * w * (x * (1.0 - p) ** 2 + (k - x) * p * p) / (total * total)
            variance = float((f * n_h / (n_h - 1.0) * (s2 - s1 * s1 / n_h)).sum())
            n = int(k.sum())
            df = n - int((k > 0).sum())
            ratio = (stats.t.ppf(alpha / 2, n - 1) / stats.t.ppf(alpha / 2, df)) ** 2
            n_eff = p * (1.0 - p) / variance * ratio
            low = float(stats.beta.ppf(alpha / 2, n_eff * p, n_eff * (1.0 - p) + 1.0))
            high = float(stats.beta.ppf(1.0 - alpha / 2, n_eff * p + 1.0, n_eff * (1.0 - p)))
            se[(rule, wave)] = math.sqrt(variance)
            values[(rule, wave)] = (p, low, high, se[(rule, wave)])
    return values, _changes(values, rules, se)


def _design_frame(frame: pl.DataFrame, teachers: pl.DataFrame) -> pl.DataFrame:
    return frame.select("school_id").join(teachers, on="school_id", how="left", maintain_order="left")


def api_path(inputs: EvaluationInputs, rules: tuple[str, ...]) -> tuple[Values, Changes]:
    """Public API: scoring expressions, one prepared design per wave, every rule estimated on it."""
    values: Values = {}
    se: dict[tuple[str, int], float] = {}
    for wave in (2024, 2026):
        part = inputs.responses[(KEY, wave)].parts[0]
        scales, ys = _y_exprs(part.instrument, rules)
        scored = part.frame.lazy().with_columns(scales).select(ys).collect()
        design = prepare_design(_design_frame(part.frame, inputs.teachers), SCHOOLS_AS_STRATA)
        for rule, est in design.proportions(scored, method="beta").items():
            assert est.estimate is not None and est.ci_low is not None and est.ci_high is not None
            assert est.std_error is not None
            values[(rule, wave)] = (est.estimate, est.ci_low, est.ci_high, est.std_error)
            se[(rule, wave)] = est.std_error
    return values, _changes(values, rules, se)


def row_level_path(inputs: EvaluationInputs, rules: tuple[str, ...]) -> tuple[Values, Changes]:
    """The row-level API: ``survey_proportion`` per rule and wave (the design rebuilt each call)."""
    values: Values = {}
    se: dict[tuple[str, int], float] = {}
    for wave in (2024, 2026):
        part = inputs.responses[(KEY, wave)].parts[0]
        scales, ys = _y_exprs(part.instrument, rules)
        scored = part.frame.lazy().with_columns(scales).select(ys).collect()
        frame = _design_frame(part.frame, inputs.teachers).hstack(scored.get_columns())
        for rule in rules:
            est = survey_proportion(frame, rule, SCHOOLS_AS_STRATA, method="beta")
            assert est.estimate is not None and est.ci_low is not None and est.ci_high is not None
            assert est.std_error is not None
            values[(rule, wave)] = (est.estimate, est.ci_low, est.ci_high, est.std_error)
            se[(rule, wave)] = est.std_error
    return values, _changes(values, rules, se)


def max_relative_difference(a: Values | Changes, b: Values | Changes) -> float:
    """The largest |x − y| / |y| over the figures two results share (same keys; the shorter row
    decides how many figures of each row are compared)."""
    worst = 0.0
    for key, row in a.items():
        for x, y in zip(row, b[key], strict=False):  # type: ignore[index]
            worst = max(worst, abs(x - y) / max(abs(y), 1e-300))
    return worst


def max_absolute_difference(a: Changes, b: Changes) -> float:
    """The largest |x − y| over the figures of two sets of changes (a change can be near 0,
    where a relative difference says nothing)."""
    return max((abs(x - y) for key, row in a.items() for x, y in zip(row, b[key], strict=True)), default=0.0)
