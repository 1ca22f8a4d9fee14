"""SQL for instrument versions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.db.pg import Executor
from pmp_surveys.instruments.models import InstrumentVersion


class InstrumentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_hash(self, content_hash: str) -> InstrumentVersion | None:
        return (
            await self.session.scalars(select(InstrumentVersion).where(InstrumentVersion.content_hash == content_hash))
        ).first()

    async def by_id(self, version_id: int) -> InstrumentVersion | None:
        return await self.session.get(InstrumentVersion, version_id)

    async def latest(self, key: str) -> InstrumentVersion | None:
        return (
            await self.session.scalars(
                select(InstrumentVersion)
                .where(InstrumentVersion.key == key)
                .order_by(InstrumentVersion.version.desc())
                .limit(1)
            )
        ).first()

    async def all_versions(self) -> list[InstrumentVersion]:
        rows = await self.session.scalars(
            select(InstrumentVersion).order_by(InstrumentVersion.key, InstrumentVersion.version)
        )
        return list(rows)

    async def add(self, key: str, content_hash: str, definition: dict[str, Any]) -> InstrumentVersion:
        # Serialise concurrent loads of the same key so version numbers stay 1, 2, 3 …
        await self.session.execute(select(func.pg_advisory_xact_lock(func.hashtext(key))))
        current = await self.session.scalar(
            select(func.coalesce(func.max(InstrumentVersion.version), 0)).where(InstrumentVersion.key == key)
        )
        row = InstrumentVersion(
            key=key, version=int(current or 0) + 1, content_hash=content_hash, definition=definition
        )
        self.session.add(row)
        await self.session.flush()
        return row


VERSION_BY_ID = "SELECT id, key, version, content_hash, definition FROM instrument_versions WHERE id = $1"


async def version_by_id(db: Executor, version_id: int) -> InstrumentVersion | None:
    """Load a version through the caller's asyncpg connection or pool (the hot path's)."""
    row = await db.fetchrow(VERSION_BY_ID, version_id)
    if row is None:
        return None
    return InstrumentVersion(
        id=row["id"],
        key=row["key"],
        version=row["version"],
        content_hash=row["content_hash"],
        definition=row["definition"],
    )
