"""What every request handler may reach: built once at start-up, stored in `app.state`."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg
from litestar.datastructures import State
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from pmp_surveys.catalogue.schema import Catalogue
from pmp_surveys.instruments.service import VersionCache
from pmp_surveys.responses.service import CampaignIdentityCache
from pmp_surveys.settings import Settings


@dataclass
class AppContext:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    #: Immutable things cached per process: instrument validators and campaign identities.
    versions: VersionCache
    identities: CampaignIdentityCache
    #: Municipalities, schools and indicators, loaded and validated once when the app is built.
    catalogue: Catalogue
    #: The hot submission path's asyncpg pool, opened at start-up (see `db.pg`).
    pool: asyncpg.Pool | None = None
    #: A small separate pool for exports, so downloads never take the submissions' connections.
    export_pool: asyncpg.Pool | None = None
    #: Reports' and evaluations' own small engine (PMP_REPORT_POOL_SIZE connections, no
    #: overflow): slow reports wait for each other, never for the connections others need.
    report_sessions: async_sessionmaker[AsyncSession] | None = None

    @property
    def reports_db(self) -> async_sessionmaker[AsyncSession]:
        """Sessions for reports and evaluations (the shared ones if the app has no report engine)."""
        return self.report_sessions if self.report_sessions is not None else self.sessions

    @property
    def pg(self) -> asyncpg.Pool:
        if self.pool is None:
            raise RuntimeError("the asyncpg pool is opened by the app's lifespan; is the app started?")
        return self.pool

    @property
    def exports_pg(self) -> asyncpg.Pool:
        """The exports' pool (the hot pool if the app was started without one)."""
        return self.export_pool if self.export_pool is not None else self.pg


def context_from(state: State) -> AppContext:
    ctx = state["ctx"]
    assert isinstance(ctx, AppContext)
    return ctx
