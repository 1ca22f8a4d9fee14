"""Indicator evaluation against the database: read what the evaluation needs, run it off the loop.

Python API::

    from pmp_surveys.catalogue import load_catalogue
    from pmp_surveys.indicators import evaluate_municipality

    catalogue = load_catalogue(Path("analysis"))
    async with sessions() as session:
        evaluation = await evaluate_municipality(session, catalogue.municipality("bauska"), 2026, baseline=2024)
    evaluation.to_frame()      # polars, one row per indicator
    evaluation.to_json()       # the versioned result format (schemas.FORMAT_VERSION)

The statistics are synchronous numpy/polars work; they run in a worker thread
(``anyio.to_thread.run_sync``) so an API process keeps serving while an evaluation runs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import anyio.to_thread
import msgspec
import polars as pl
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.catalogue.admin_figures import parse_admin_figures
from pmp_surveys.catalogue.errors import AdminFiguresError, RowProblem
from pmp_surveys.catalogue.schema import Catalogue, Municipality
from pmp_surveys.catalogue.spreadsheet import table_text
from pmp_surveys.evaldata.margins import with_stored_margins
from pmp_surveys.indicators.evaluate import BaselineChoice, EvaluationInputs, evaluate, needed_waves
from pmp_surveys.indicators.extract import extract_waves
from pmp_surveys.indicators.repository import FigureWrite, IndicatorRepository
from pmp_surveys.indicators.schemas import Evaluation

__all__ = ["FiguresImported", "check_figures", "evaluate_municipality", "import_figures", "load_inputs"]

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


async def load_inputs(
    session: AsyncSession,
    municipality: Municipality,
    wave: int,
    baseline: BaselineChoice,
    progress: Progress = _quiet,
    *,
    concurrency: int = 2,
) -> EvaluationInputs:
    """Responses of every wave the evaluation may need, teacher head-counts and imported figures.

    `concurrency` > 1 reads waves in parallel on extra connections of the session's engine
    (committed data only, no common snapshot across waves)."""
    repo = IndicatorRepository(session)
    instruments = sorted({i.survey.instrument for i in municipality.indicators if i.survey is not None})
    available = {key: await repo.waves_with_responses(municipality.code, key) for key in instruments}
    pairs = needed_waves(municipality, wave, baseline, available)
    progress(f"reading responses of {len(pairs)} instrument wave(s)")
    responses = await extract_waves(
        repo, municipality.code, pairs, concurrency=concurrency, release_step=municipality.suppression_threshold
    )
    for (key, year), data in sorted(responses.items()):
        progress(f"read {data.n} {key} responses of {year}")
    schools = await repo.schools(municipality.code)
    teachers = pl.DataFrame(
        {"school_id": [s.id for s in schools], "teachers": [s.teachers for s in schools]},
        schema={"school_id": pl.Int32, "teachers": pl.Int64},
    )
    rows = await repo.figures(municipality.code)
    figures = pl.DataFrame(
        {
            "indicator": [r.indicator for r in rows],
            "year": [r.year for r in rows],
            "school_id": [r.school_id for r in rows],
            "numerator": [r.numerator for r in rows],
            "denominator": [r.denominator for r in rows],
        },
        schema={
            "indicator": pl.String,
            "year": pl.Int64,
            "school_id": pl.Int32,
            "numerator": pl.Int64,
            "denominator": pl.Int64,
        },
    )
    return EvaluationInputs(responses=responses, teachers=teachers, figures=figures)


async def evaluate_municipality(
    session: AsyncSession,
    municipality: Municipality,
    wave: int,
    *,
    baseline: BaselineChoice = None,
    confidence_level: float = 0.95,
    suppression_threshold: int | None = None,
    progress: Progress = _quiet,
) -> Evaluation:
    """Evaluate every indicator in `municipality`'s catalogue for the survey wave / figure year `wave`.

    - `baseline`: None (``auto``) — the most recent earlier wave of the same instrument with
      microdata (earlier year with figures), else the plan's baseline; "plan" — each indicator's
      catalogue baseline (a "to be set in 2024" baseline uses the 2024 wave's microdata; a
      published figure is compared as a known value); a year — that wave's microdata / that year's
      figures (two-sample comparison); "published" — the catalogue's published figures.
    - `suppression_threshold`: raise the municipality's threshold (never lower it).
    - `progress`: called with a short message per phase (the CLI prints them on stderr).

    Population margins stored in the database (admin page) replace the catalogue file's.

    Returns a frozen :class:`~pmp_surveys.indicators.schemas.Evaluation`; every figure of a group
    under the threshold is withheld. Reads only; the session is not committed.
    """
    municipality = await with_stored_margins(session, municipality)
    inputs = await load_inputs(session, municipality, wave, baseline, progress)
    progress(f"evaluating {len(municipality.indicators)} indicators")
    run = partial(
        evaluate,
        municipality,
        wave,
        inputs,
        baseline=baseline,
        confidence_level=confidence_level,
        suppression_threshold=suppression_threshold,
    )
    return await anyio.to_thread.run_sync(run)


class FiguresImported(msgspec.Struct, frozen=True, kw_only=True):
    rows: int
    inserted: int
    updated: int


async def check_figures(
    session: AsyncSession, catalogue: Catalogue, data: bytes | str, *, municipality: str | None = None
) -> list[FigureWrite]:
    """Parse a figures table (CSV text, CSV bytes or XLSX/XLS/ODS bytes) and resolve its schools;
    reads only. `municipality`: every row must belong to it (an evaluator's upload).

    Raises :class:`~pmp_surveys.catalogue.errors.AdminFiguresError` with every row problem (a
    school named in the file but not in the database is one too)."""
    figures = parse_admin_figures(table_text(data) if isinstance(data, bytes) else data, catalogue, only=municipality)
    repo = IndicatorRepository(session)
    ids: dict[tuple[str, str], int] = {}
    for code in {f.municipality for f in figures if f.school is not None}:
        ids.update({(code, s.code): s.id for s in await repo.schools(code)})
    problems = [
        RowProblem(
            code="ADM214",
            row=f.row,
            column="school",
            message=f"school {f.school!r} of {f.municipality} is not in the database.",
            fix="Run `pmp-surveys serve` or `pmp-surveys figures import` after the catalogue lists it.",
        )
        for f in figures
        if f.school is not None and (f.municipality, f.school) not in ids
    ]
    if problems:
        raise AdminFiguresError(problems)
    return [
        FigureWrite(
            municipality=f.municipality,
            indicator=f.indicator,
            year=f.year,
            school_id=None if f.school is None else ids[(f.municipality, f.school)],
            numerator=f.numerator,
            denominator=f.denominator,
        )
        for f in figures
    ]


async def import_figures(
    session: AsyncSession, catalogue: Catalogue, data: bytes | str, *, municipality: str | None = None
) -> FiguresImported:
    """Validate a figures table (see :func:`check_figures`) and upsert it; flushes, never commits.
    Nothing is written when any row is wrong."""
    writes = await check_figures(session, catalogue, data, municipality=municipality)
    inserted, updated = await IndicatorRepository(session).upsert_figures(writes)
    return FiguresImported(rows=len(writes), inserted=inserted, updated=updated)
