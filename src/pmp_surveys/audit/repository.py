"""SQL for the audit log."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.models import User
from pmp_surveys.audit.models import AuditEntry


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, entry: AuditEntry) -> AuditEntry:
        self.session.add(entry)
        await self.session.flush()
        return entry

    async def latest(
        self, municipality: str | None, *, limit: int = 200, offset: int = 0
    ) -> Sequence[tuple[AuditEntry, str | None]]:
        """Newest first, with the e-mail of who made the change; `None` municipality = all."""
        query = select(AuditEntry, User.email).outerjoin(User, User.id == AuditEntry.user_id)
        if municipality is not None:
            query = query.where(AuditEntry.municipality == municipality)
        rows = await self.session.execute(query.order_by(AuditEntry.id.desc()).limit(limit).offset(offset))
        return [(r[0], r[1]) for r in rows]
