"""Responses of a wave into polars, one frame per instrument version, columns named by its layout.

A wave (municipality × instrument × year) may have been answered on several instrument versions
(a campaign pins one version; a new version means a new campaign). Each version has its own
storage layout (:mod:`pmp_surveys.instruments.coding`), so each is read and named separately; the
scoring rules of each version are applied to its own frame, and :meth:`WaveResponses.aligned`
stacks them by variable name when the raw variables are needed together.

Several waves are read concurrently, each on its own connection of the session's engine, when
``concurrency`` > 1: PostgreSQL then formats one wave while polars parses another.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby

import msgspec
import polars as pl
from sqlalchemy.ext.asyncio import AsyncEngine

from pmp_surveys.indicators.repository import IndicatorRepository
from pmp_surveys.instruments.coding import Layout, build_layout
from pmp_surveys.instruments.definition import Instrument

__all__ = [
    "VersionPart",
    "WaveResponses",
    "extract_wave",
    "extract_waves",
    "parse_responses_csv",
    "response_schema",
]


@dataclass(frozen=True)
class VersionPart:
    """The responses of one instrument version: ``campaign_id``, ``school_id`` and one column per
    coded variable (``Int16`` codes, ``Float64`` numbers), named as in the layout."""

    instrument_version_id: int
    version: int
    instrument: Instrument
    frame: pl.DataFrame


@dataclass(frozen=True)
class WaveResponses:
    instrument_key: str
    wave: int
    parts: tuple[VersionPart, ...] = field(default_factory=tuple)

    @property
    def n(self) -> int:
        return sum(p.frame.height for p in self.parts)

    def aligned(self) -> pl.DataFrame:
        """Every version's rows stacked by variable name (absent variables are null), with an
        ``instrument_version_id`` column."""
        frames = [
            p.frame.with_columns(pl.lit(p.instrument_version_id, pl.Int32).alias("instrument_version_id"))
            for p in self.parts
        ]
        if not frames:
            return pl.DataFrame(schema={"campaign_id": pl.Int32, "school_id": pl.Int32})
        return pl.concat(frames, how="diagonal_relaxed")


def response_schema(layout: Layout) -> dict[str, pl.DataType]:
    schema: dict[str, pl.DataType] = {"campaign_id": pl.Int32(), "school_id": pl.Int32()}
    schema.update({v.name: pl.Int16() for v in layout.codes})
    schema.update({v.name: pl.Float64() for v in layout.numbers})
    return schema


def parse_responses_csv(data: bytes, layout: Layout) -> pl.DataFrame:
    """Parse the lines written by :meth:`IndicatorRepository.copy_responses_csv` (empty = null)."""
    schema = response_schema(layout)
    if not data:
        return pl.DataFrame(schema=schema)
    return pl.read_csv(io.BytesIO(data), has_header=False, schema=schema)


@dataclass(frozen=True)
class _Job:
    key: str
    wave: int
    instrument_version_id: int
    version: int
    instrument: Instrument
    layout: Layout
    campaign_ids: tuple[int, ...]
    cutoff: int | None = None


async def _plan(repo: IndicatorRepository, municipality: str, key: str, wave: int, step: int = 1) -> list[_Job]:
    cutoff = None if step <= 1 else await repo.release_cutoff(municipality, key, wave, step)
    campaigns = sorted(await repo.wave_campaigns(municipality, key, wave), key=lambda c: c.instrument_version_id)
    jobs = []
    for version_id, group in groupby(campaigns, key=lambda c: c.instrument_version_id):
        rows = list(group)
        instrument = msgspec.convert(rows[0].definition, Instrument)
        jobs.append(
            _Job(
                key,
                wave,
                version_id,
                rows[0].version,
                instrument,
                build_layout(instrument),
                tuple(c.campaign_id for c in rows),
                cutoff,
            )
        )
    return jobs


async def extract_waves(
    repo: IndicatorRepository,
    municipality: str,
    waves: Iterable[tuple[str, int]],
    *,
    concurrency: int = 2,
    release_step: int = 1,
) -> dict[tuple[str, int], WaveResponses]:
    """Read every response of each (instrument key, wave year); pairs without campaigns are absent.

    `release_step` k > 1: only the released responses, the first k·⌊N/k⌋ of the wave in submission
    order (README, "Disclosure control": two releases differ by whole steps of k respondents)."""
    jobs = [job for key, wave in sorted(set(waves)) for job in await _plan(repo, municipality, key, wave, release_step)]
    engine = repo.session.bind
    parallel = concurrency > 1 and len(jobs) > 1 and isinstance(engine, AsyncEngine)
    semaphore = asyncio.Semaphore(max(1, concurrency))

    async def fetch(job: _Job) -> VersionPart:
        n_codes, n_numbers = len(job.layout.codes), len(job.layout.numbers)
        if parallel:
            assert isinstance(engine, AsyncEngine)
            async with semaphore, engine.connect() as conn:
                data = await repo.copy_responses_csv(
                    job.campaign_ids, job.instrument_version_id, n_codes, n_numbers, connection=conn, cutoff=job.cutoff
                )
        else:
            data = await repo.copy_responses_csv(
                job.campaign_ids, job.instrument_version_id, n_codes, n_numbers, cutoff=job.cutoff
            )
        frame = await asyncio.to_thread(parse_responses_csv, data, job.layout)
        return VersionPart(job.instrument_version_id, job.version, job.instrument, frame)

    if parallel:
        parts = await asyncio.gather(*(fetch(job) for job in jobs))
    else:
        parts = [await fetch(job) for job in jobs]
    found: dict[tuple[str, int], WaveResponses] = {}
    for job, part in zip(jobs, parts, strict=True):
        pair = (job.key, job.wave)
        previous = found.get(pair, WaveResponses(instrument_key=job.key, wave=job.wave))
        found[pair] = WaveResponses(job.key, job.wave, (*previous.parts, part))
    return found


async def extract_wave(repo: IndicatorRepository, municipality: str, instrument_key: str, wave: int) -> WaveResponses:
    """Read every response of one wave, one :class:`VersionPart` per instrument version."""
    found = await extract_waves(repo, municipality, [(instrument_key, wave)], concurrency=1)
    return found.get((instrument_key, wave), WaveResponses(instrument_key=instrument_key, wave=wave))
