"""SQL for catalogue versions. There is deliberately no update method: versions are immutable."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.models import User
from pmp_surveys.plans.models import CatalogueVersion


class CatalogueVersionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def latest_numbers(self) -> dict[str, tuple[int, str]]:
        """municipality → (latest version number, its content hash); one small query per admin request."""
        rows = await self.session.execute(
            select(CatalogueVersion.municipality, CatalogueVersion.version, CatalogueVersion.content_hash)
            .distinct(CatalogueVersion.municipality)
            .order_by(CatalogueVersion.municipality, CatalogueVersion.version.desc())
        )
        return {str(m): (int(v), str(h)) for m, v, h in rows.all()}

    async def get(self, municipality: str, version: int | None = None) -> CatalogueVersion | None:
        """That version, or the latest when `version` is None."""
        query = select(CatalogueVersion).where(CatalogueVersion.municipality == municipality)
        if version is not None:
            query = query.where(CatalogueVersion.version == version)
        return (await self.session.scalars(query.order_by(CatalogueVersion.version.desc()).limit(1))).first()

    async def by_hash(self, municipality: str, content_hash: str) -> CatalogueVersion | None:
        return (
            await self.session.scalars(
                select(CatalogueVersion)
                .where(CatalogueVersion.municipality == municipality, CatalogueVersion.content_hash == content_hash)
                .order_by(CatalogueVersion.version.desc())
            )
        ).first()

    async def history(self, municipality: str) -> list[tuple[CatalogueVersion, str | None]]:
        """Every version of `municipality`, newest first, with the e-mail of who stored it."""
        rows = await self.session.execute(
            select(CatalogueVersion, User.email)
            .outerjoin(User, User.id == CatalogueVersion.created_by)
            .where(CatalogueVersion.municipality == municipality)
            .order_by(CatalogueVersion.version.desc())
        )
        return [(row[0], row[1]) for row in rows.all()]

    async def add(
        self, municipality: str, content_hash: str, toml: str, *, created_by: int | None, note: str
    ) -> CatalogueVersion:
        # Serialise concurrent revisions of one municipality so numbers stay 1, 2, 3 …
        await self.session.execute(select(func.pg_advisory_xact_lock(func.hashtext("catalogue:" + municipality))))
        current = await self.session.scalar(
            select(func.coalesce(func.max(CatalogueVersion.version), 0)).where(
                CatalogueVersion.municipality == municipality
            )
        )
        row = CatalogueVersion(
            municipality=municipality,
            version=int(current or 0) + 1,
            content_hash=content_hash,
            toml=toml,
            created_by=created_by,
            note=note,
        )
        self.session.add(row)
        await self.session.flush()
        return row
