"""The trend of every indicator: each wave collected so far against the plan's target path.

A trend point of year Y is read from the evaluation of wave Y itself (:func:`pmp_surveys.indicators.evaluate.evaluate`
run for Y, baseline ``published`` — the value and its interval do not depend on the baseline), so
it shows exactly what that evaluation publishes: its value and interval, or nothing for a group
under the suppression threshold (``suppressed=True``, no figure). The target path is the plan's
printed baseline followed by its targets (e.g. 2022 → mid-term 2026 → 2028).

- :func:`trend_series` (pure): evaluations of several waves → one :class:`TrendSeries` per indicator.
- :func:`earlier_evaluations` (async, reads the database): the evaluations of every earlier wave
  with responses or figures, reusing the responses the report already read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from functools import partial

import anyio.to_thread
import polars as pl
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.catalogue.schema import Municipality
from pmp_surveys.indicators.evaluate import EvaluationInputs, evaluate
from pmp_surveys.indicators.extract import extract_waves
from pmp_surveys.indicators.repository import IndicatorRepository
from pmp_surveys.indicators.schemas import Evaluation
from pmp_surveys.reports.model import Label, PathPoint, TrendPoint, TrendSeries

__all__ = ["earlier_evaluations", "evaluate_years", "trend_series"]


def trend_series(municipality: Municipality, evaluations: Sequence[Evaluation]) -> tuple[TrendSeries, ...]:
    """One series per indicator of the plan (plan order), one point per evaluated wave with a
    figure or a withheld one; waves without any figure for the indicator give no point."""
    by_year = sorted(evaluations, key=lambda e: e.wave)
    series: list[TrendSeries] = []
    for ind in municipality.indicators:
        points: list[TrendPoint] = []
        for evaluation in by_year:
            row = next((r for r in evaluation.indicators if r.code == ind.code), None)
            if row is None:
                continue
            if row.suppressed:
                points.append(TrendPoint(year=evaluation.wave, suppressed=True))
            elif row.value is not None:
                points.append(
                    TrendPoint(
                        year=evaluation.wave,
                        value=row.value,
                        ci_low=row.ci_low,
                        ci_high=row.ci_high,
                        n=row.n,
                        census=row.inference == "census",
                    )
                )
        path: list[PathPoint] = []
        if ind.baseline is not None and ind.baseline.value is not None and ind.baseline.year is not None:
            path.append(PathPoint(year=ind.baseline.year, value=ind.baseline.value, kind="baseline"))
        path.extend(
            PathPoint(year=t.year, value=t.value, kind=t.kind) for t in sorted(ind.targets, key=lambda t: t.year)
        )
        series.append(
            TrendSeries(
                code=ind.code,
                name=Label(ind.names.lv, ind.names.en),
                direction=ind.direction,
                points=tuple(points),
                path=tuple(path),
            )
        )
    return tuple(series)


async def earlier_evaluations(
    session: AsyncSession,
    municipality: Municipality,
    wave: int,
    inputs: EvaluationInputs,
    *,
    confidence_level: float = 0.95,
    generated_at: dt.datetime | None = None,
) -> list[Evaluation]:
    """The evaluation of every wave before `wave` with survey responses or administrative figures.

    Responses already in `inputs` (the report's wave and its baseline waves) are not read again;
    the others are read released-only, as any evaluation reads them. Each evaluation uses the
    published baseline (no further wave is needed) and the municipality's suppression threshold."""
    repo = IndicatorRepository(session)
    keys = sorted({i.survey.instrument for i in municipality.indicators if i.survey is not None})
    available = {key: [y for y in await repo.waves_with_responses(municipality.code, key) if y < wave] for key in keys}
    figure_years = {int(y) for y in inputs.figures.filter(pl.col("year") < wave).get_column("year").unique().to_list()}
    years = sorted({y for ys in available.values() for y in ys} | figure_years)
    missing = {(key, y) for key, ys in available.items() for y in ys if (key, y) not in inputs.responses}
    responses = dict(inputs.responses)
    if missing:
        responses.update(
            await extract_waves(repo, municipality.code, missing, release_step=municipality.suppression_threshold)
        )
    merged = replace(inputs, responses=responses)
    run = partial(
        evaluate_years, municipality, years, merged, confidence_level=confidence_level, generated_at=generated_at
    )
    return await anyio.to_thread.run_sync(run)


def evaluate_years(
    municipality: Municipality,
    years: Sequence[int],
    inputs: EvaluationInputs,
    *,
    confidence_level: float,
    generated_at: dt.datetime | None,
) -> list[Evaluation]:
    """The evaluation of each of `years` on `inputs` (pure), baseline ``published``."""
    return [
        evaluate(
            municipality,
            year,
            inputs,
            baseline="published",
            confidence_level=confidence_level,
            generated_at=generated_at,
        )
        for year in years
    ]
