"""Recording and reading the audit log. Services call `record` for every admin change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.access import CurrentUser
from pmp_surveys.audit.models import AuditEntry
from pmp_surveys.audit.repository import AuditRepository
from pmp_surveys.errors import Forbidden


class AuditRead(msgspec.Struct, kw_only=True):
    at: datetime
    user_email: str | None
    action: str
    municipality: str | None
    object_type: str
    object_id: str
    details: dict[str, Any]


async def record(
    session: AsyncSession,
    user: CurrentUser | None,
    action: str,
    object_type: str,
    object_id: str | int,
    municipality: str | None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry; `user` is None for changes made on the server's command line."""
    return await AuditRepository(session).add(
        AuditEntry(
            user_id=None if user is None else user.id,
            action=action,
            municipality=municipality,
            object_type=object_type,
            object_id=str(object_id),
            details=details or {},
        )
    )


async def entries_for(session: AsyncSession, user: CurrentUser, *, limit: int = 200) -> list[AuditRead]:
    """Operators see everything; evaluators their municipality's entries; coordinators nothing."""
    if user.role == "coordinator":
        raise Forbidden("School coordinators cannot read the audit log.")
    municipality = None if user.is_operator else user.municipality
    rows = await AuditRepository(session).latest(municipality, limit=limit)
    return [
        AuditRead(
            at=entry.at,
            user_email=email,
            action=entry.action,
            municipality=entry.municipality,
            object_type=entry.object_type,
            object_id=entry.object_id,
            details=entry.details,
        )
        for entry, email in rows
    ]
