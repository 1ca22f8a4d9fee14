"""One indicator value for one group (a wave's scored responses, or a year's figures), pure.

- ``simple``: Wilson score interval of x/n (:func:`pmp_surveys.analysis.proportions.proportion_ci`).
- ``clustered`` (teachers in schools): schools as strata, teachers as units, each school's teacher
  head-count as the fpc of its stratum and ``N_h/n_h`` as weights (see the notes of
  :mod:`pmp_surveys.analysis.design`); Korn–Graubard ("beta") interval. The design is prepared
  once per wave (:mod:`pmp_surveys.analysis.prepared`) and every rule of the wave is estimated on
  it from per-school sums (:func:`estimate_clustered_rules`). A school without a usable
  head-count (missing, or fewer teachers than respondents) gets no fpc and the mean weight of the
  other schools; respondents without a school form one more stratum. Both are stated in the notes.
- ``weighted`` (residents): raked to the municipality's population margins
  (:func:`pmp_surveys.analysis.weighting.rake`), calibration-aware variance, Korn–Graubard interval.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from pmp_surveys.analysis.design import ProportionInterval, SurveyDesign, survey_proportion
from pmp_surveys.analysis.prepared import PreparedDesign, prepare_design
from pmp_surveys.analysis.proportions import proportion_ci
from pmp_surveys.analysis.results import Estimate
from pmp_surveys.analysis.weighting import rake
from pmp_surveys.catalogue.schema import Margin
from pmp_surveys.indicators.notes import note
from pmp_surveys.indicators.schemas import NoteCode
from pmp_surveys.indicators.scoring import SET_ASIDE_BLANK, SET_ASIDE_EXCLUDED

__all__ = [
    "CENSUS_METHOD",
    "DESIGN_INTERVAL",
    "ClusteredDesign",
    "GroupEstimate",
    "clustered_design",
    "estimate_census",
    "estimate_clustered",
    "estimate_clustered_rules",
    "estimate_simple",
    "estimate_weighted",
]

#: Interval of design-based proportions: Korn & Graubard (1998), R svyciprop(method="beta").
DESIGN_INTERVAL: ProportionInterval = "beta"
#: The clustered design on the columns of :attr:`ClusteredDesign.frame`.
CLUSTERED_SURVEY = SurveyDesign(strata="stratum", fpc="fpc", weights="weight")


@dataclass(frozen=True)
class GroupEstimate:
    """An estimate with its set-aside counts. ``successes`` is set for simple (binomial) groups."""

    estimate: Estimate | None
    n_total: int
    n_excluded: int
    n_blank: int
    successes: int | None = None
    deff: float | None = None
    notes: tuple[NoteCode, ...] = field(default_factory=tuple)
    design: str = "simple"
    """The design actually used: simple, clustered, weighted, census (complete administrative
    counts) or administrative (administrative figures read as a sample)."""

    @property
    def n(self) -> int:
        return 0 if self.estimate is None else self.estimate.n

    @property
    def is_binomial(self) -> bool:
        return self.successes is not None


def _counts(scored: pl.DataFrame) -> tuple[int, int, int, int]:
    """(successes, counted, excluded, blank) of a scored frame (``y``, ``set_aside``)."""
    row = scored.select(
        pl.col("y").sum().alias("x"),
        pl.col("y").is_not_null().sum().alias("n"),
        (pl.col("set_aside") == SET_ASIDE_EXCLUDED).sum().alias("excluded"),
        (pl.col("set_aside") == SET_ASIDE_BLANK).sum().alias("blank"),
    ).row(0)
    return int(row[0] or 0), int(row[1] or 0), int(row[2] or 0), int(row[3] or 0)


def estimate_simple(scored: pl.DataFrame, *, confidence_level: float, notes: Sequence[NoteCode] = ()) -> GroupEstimate:
    x, n, excluded, blank = _counts(scored)
    estimate = proportion_ci(x, n, confidence_level=confidence_level, method="wilson") if n else None
    return GroupEstimate(estimate, scored.height, excluded, blank, successes=x, notes=tuple(notes))


#: ``Estimate.method`` of a complete count: the value is the population value, with no interval.
CENSUS_METHOD = "census"


def estimate_census(x: int, n: int, *, confidence_level: float, notes: Sequence[NoteCode] = ()) -> GroupEstimate:
    """A complete count (administrative figures read as a census): value ``x/n`` with no standard
    error and no interval, because nothing was sampled. ``successes`` stays None so no binomial
    test is ever applied to it."""
    estimate = (
        Estimate(
            estimate=x / n,
            std_error=None,
            ci_low=None,
            ci_high=None,
            confidence_level=confidence_level,
            n=n,
            method=CENSUS_METHOD,
        )
        if n
        else None
    )
    return GroupEstimate(estimate, n, 0, 0, notes=tuple(notes), design="census")


def estimate_from_counts(x: int, n: int, *, confidence_level: float, notes: Sequence[NoteCode] = ()) -> GroupEstimate:
    """A simple estimate from a numerator and denominator (administrative figures read as a sample
    or a super-population): Wilson interval."""
    estimate = proportion_ci(x, n, confidence_level=confidence_level, method="wilson") if n else None
    return GroupEstimate(estimate, n, 0, 0, successes=x, notes=tuple(notes), design="administrative")


@dataclass(frozen=True)
class ClusteredDesign:
    """Design columns (``stratum``, ``fpc``, ``weight``) row by row for a wave's responses, built
    once and shared by every indicator of the wave; ``frame`` is None when no school has a usable
    teacher head-count."""

    frame: pl.DataFrame | None
    notes: tuple[NoteCode, ...]
    prepared: PreparedDesign | None = None
    """:data:`CLUSTERED_SURVEY` prepared on ``frame`` (set by :func:`clustered_design`)."""


def clustered_design(school_ids: pl.Series, teachers: pl.DataFrame) -> ClusteredDesign:
    """Schools as strata: weight ``N_h/n_h`` and fpc ``N_h`` from the head-counts (see module notes)."""
    rows = school_ids.rename("school_id").to_frame()
    per_school = (
        rows.group_by("school_id")
        .agg(pl.len().alias("n_h"))
        .join(teachers.select("school_id", "teachers"), on="school_id", how="left")
        .with_columns(
            (
                pl.col("school_id").is_not_null()
                & pl.col("teachers").is_not_null()
                & (pl.col("teachers") >= pl.col("n_h"))
            ).alias("usable")
        )
    )
    usable = per_school.filter(pl.col("usable"))
    unusable = per_school.filter(~pl.col("usable"))
    if usable.height == 0:
        return ClusteredDesign(None, (note("clustered_without_head_counts"),))
    notes: list[NoteCode] = []
    ratios = usable.get_column("teachers").cast(pl.Float64) / usable.get_column("n_h").cast(pl.Float64)
    mean_ratio = float(ratios.mean() or 1.0)  # type: ignore[arg-type]
    without_school = int(unusable.filter(pl.col("school_id").is_null()).get_column("n_h").sum())
    schools = unusable.filter(pl.col("school_id").is_not_null()).height
    if schools:
        notes.append(note("schools_without_head_count", schools=schools))
    if without_school:
        notes.append(note("responses_without_school", responses=without_school))
    per_school = per_school.select(
        pl.col("school_id"),
        pl.when(pl.col("usable")).then(pl.col("teachers").cast(pl.Float64)).otherwise(math.inf).alias("fpc"),
        pl.when(pl.col("usable"))
        .then(pl.col("teachers").cast(pl.Float64) / pl.col("n_h"))
        .otherwise(mean_ratio)
        .alias("weight"),
    )
    frame = rows.join(per_school, on="school_id", how="left", nulls_equal=True, maintain_order="left")
    frame = frame.select(pl.col("school_id").fill_null(-1).alias("stratum"), "fpc", "weight")
    return ClusteredDesign(frame, tuple(notes), prepare_design(frame, CLUSTERED_SURVEY))


def estimate_clustered(
    scored: pl.DataFrame,
    teachers: pl.DataFrame,
    *,
    confidence_level: float,
    design: ClusteredDesign | None = None,
) -> GroupEstimate:
    """`scored` has ``school_id``, ``y``, ``set_aside``; `teachers` has ``school_id``, ``teachers``.
    `design`: :func:`clustered_design` of ``scored["school_id"]``, when already built."""
    design = design or clustered_design(scored.get_column("school_id"), teachers)
    return estimate_clustered_rules({"y": scored}, design, confidence_level=confidence_level)["y"]


def estimate_clustered_rules(
    scored: Mapping[str, pl.DataFrame], design: ClusteredDesign, *, confidence_level: float
) -> dict[str, GroupEstimate]:
    """Every rule of a wave on one prepared design: `scored` maps a rule to its scored frame
    (``y``, ``set_aside``), all of the same rows as `design` (:func:`clustered_design` of their
    ``school_id``). The proportions are computed together from per-school sums."""
    counts = _many_counts(scored)
    found: dict[str, GroupEstimate] = {}
    if design.prepared is None:
        for rule, frame in scored.items():
            _, n, excluded, blank = counts[rule]
            found[rule] = (
                GroupEstimate(None, frame.height, excluded, blank, design="clustered")
                if n == 0
                else estimate_simple(frame, confidence_level=confidence_level, notes=design.notes)
            )
        return found
    values = pl.DataFrame([frame.get_column("y").alias(rule) for rule, frame in scored.items()])
    wanted = [rule for rule in scored if counts[rule][1] > 0]
    estimates = (
        design.prepared.proportions(values.select(wanted), confidence_level=confidence_level, method=DESIGN_INTERVAL)
        if wanted
        else {}
    )
    for rule, frame in scored.items():
        _, n, excluded, blank = counts[rule]
        if n == 0:
            found[rule] = GroupEstimate(None, frame.height, excluded, blank, design="clustered")
            continue
        estimate = estimates[rule]
        found[rule] = GroupEstimate(
            estimate, frame.height, excluded, blank, deff=estimate.deff, notes=design.notes, design="clustered"
        )
    return found


def _many_counts(scored: Mapping[str, pl.DataFrame]) -> dict[str, tuple[int, int, int, int]]:
    """:func:`_counts` of frames of the same rows, in one pass."""
    if not scored:
        return {}
    rules = list(scored)
    columns = []
    for i, rule in enumerate(rules):
        frame = scored[rule]
        columns += [frame.get_column("y").alias(f"y{i}"), frame.get_column("set_aside").alias(f"s{i}")]
    exprs = []
    for i in range(len(rules)):
        exprs += [
            pl.col(f"y{i}").sum().alias(f"x{i}"),
            pl.col(f"y{i}").is_not_null().sum().alias(f"n{i}"),
            (pl.col(f"s{i}") == SET_ASIDE_EXCLUDED).sum().alias(f"e{i}"),
            (pl.col(f"s{i}") == SET_ASIDE_BLANK).sum().alias(f"b{i}"),
        ]
    row = pl.DataFrame(columns).select(exprs).row(0)
    return {rule: tuple(int(v or 0) for v in row[4 * i : 4 * i + 4]) for i, rule in enumerate(rules)}  # type: ignore[misc]


def _margin_column(margin: Margin) -> str:
    return "__margin__" + "__".join(margin.variables)


def margin_frame(frame: pl.DataFrame, margins: Sequence[Margin], value_of: dict[str, dict[int, str]]) -> pl.DataFrame:
    """Columns with each respondent's cell of every margin ("level|level" for joint margins);
    `value_of` maps a variable's stored code to its option value (the margin's level)."""
    columns = []
    for margin in margins:
        parts = [pl.col(v).replace_strict(value_of[v], default=None, return_dtype=pl.String) for v in margin.variables]
        columns.append(pl.concat_str(parts, separator="|").alias(_margin_column(margin)))
    return frame.select(columns)


def estimate_weighted(
    scored: pl.DataFrame, cells: pl.DataFrame, margins: Sequence[Margin], *, confidence_level: float
) -> GroupEstimate:
    """`cells` is :func:`margin_frame` of the same rows as `scored`."""
    _, n, excluded, blank = _counts(scored)
    if n == 0:
        return GroupEstimate(None, scored.height, excluded, blank, design="weighted")
    names = [_margin_column(m) for m in margins]
    targets = {_margin_column(m): {"|".join(c.levels): float(c.population) for c in m.cells} for m in margins}
    frame = scored.select("y").hstack(cells.get_columns())
    # A respondent without a category, or in one without a population figure (e.g. "prefer not
    # to say"), cannot be weighted: left out, and said so.
    in_cells = [pl.col(name).is_in(list(targets[name])).fill_null(False) for name in names]
    complete = frame.filter(pl.all_horizontal(in_cells))
    notes: list[NoteCode] = []
    dropped = frame.height - complete.height
    if dropped:
        notes.append(note("weighted_dropped", responses=dropped))
    if complete.get_column("y").is_not_null().sum() == 0:
        return GroupEstimate(None, scored.height, excluded, blank, notes=tuple(notes), design="weighted")
    try:
        weighted, report = rake(complete, targets)
    except ValueError as exc:
        impossible = note("weighted_raking_impossible", error=str(exc))
        return estimate_simple(scored, confidence_level=confidence_level, notes=[*notes, impossible])
    if not report.converged:
        # Weights that miss the margins are not "weighted to the population": say so, use simple.
        failed = note("raking_not_converged", error=float(report.max_relative_error))
        return estimate_simple(scored, confidence_level=confidence_level, notes=[failed])
    design = SurveyDesign(weights="weight", raked_on=tuple(names))
    estimate = survey_proportion(weighted, "y", design, confidence_level=confidence_level, method=DESIGN_INTERVAL)
    kish = report.kish.deff
    if kish is not None and np.isfinite(kish):
        notes.append(note("raked", margins=len(margins), deff=float(kish)))
    else:
        notes.append(note("raked_no_deff", margins=len(margins)))
    deff = estimate.deff if estimate.deff is not None and np.isfinite(estimate.deff) else None
    return GroupEstimate(estimate, scored.height, excluded, blank, deff=deff, notes=tuple(notes), design="weighted")
