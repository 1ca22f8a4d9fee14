"""Instrument versions: load files into immutable versions, and build validators once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.db.pg import Executor
from pmp_surveys.errors import NotFound
from pmp_surveys.instruments.definition import Instrument
from pmp_surveys.instruments.loader import LoadedInstrument, load_instrument_dir
from pmp_surveys.instruments.models import InstrumentVersion
from pmp_surveys.instruments.repository import InstrumentRepository, version_by_id
from pmp_surveys.instruments.validation import AnswerValidator


@dataclass(frozen=True)
class VersionRecord:
    """An instrument version with its validator: built once per process and reused."""

    id: int
    key: str
    version: int
    content_hash: str
    instrument: Instrument
    validator: AnswerValidator


@dataclass(frozen=True)
class SyncOutcome:
    key: str
    version: int
    content_hash: str
    created: bool
    source: Path


async def sync_instruments(session: AsyncSession, loaded: list[LoadedInstrument]) -> list[SyncOutcome]:
    """Store each loaded instrument as a version unless identical content is stored already.

    Changing a file and loading it creates a new version; the old one stays, because responses
    pin the version they answered.
    """
    repo = InstrumentRepository(session)
    outcomes = []
    for item in loaded:
        existing = await repo.by_hash(item.content_hash)
        created = existing is None
        if existing is None:
            existing = await repo.add(item.instrument.key, item.content_hash, msgspec.json.decode(item.canonical_json))
        outcomes.append(SyncOutcome(item.instrument.key, existing.version, item.content_hash, created, item.source))
    return outcomes


async def load_and_sync(session: AsyncSession, surveys_dir: Path) -> list[SyncOutcome]:
    return await sync_instruments(session, load_instrument_dir(surveys_dir))


def record_from_row(row: InstrumentVersion) -> VersionRecord:
    instrument = msgspec.convert(row.definition, Instrument)
    return VersionRecord(
        id=row.id,
        key=row.key,
        version=row.version,
        content_hash=row.content_hash,
        instrument=instrument,
        validator=AnswerValidator(instrument),
    )


class VersionCache:
    """Instrument versions by id. Versions are immutable, so entries never go stale.

    Loads go through the caller's connection or pool: taking a second pooled connection while
    a request holds one deadlocks the pool when many requests miss the cache at once.
    """

    def __init__(self) -> None:
        self._records: dict[int, VersionRecord] = {}

    async def get(self, db: Executor, version_id: int) -> VersionRecord:
        record = self._records.get(version_id)
        if record is None:
            row = await version_by_id(db, version_id)
            if row is None:
                raise NotFound(f"Instrument version {version_id} does not exist.")
            record = self._records.setdefault(version_id, record_from_row(row))
        return record
