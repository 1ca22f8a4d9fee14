"""Request-scoped database access: one transaction per request, committed at the edge."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from litestar.datastructures import State
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from pmp_surveys.web.context import AppContext, context_from


async def provide_ctx(state: State) -> AppContext:
    return context_from(state)


async def provide_session(state: State) -> AsyncGenerator[AsyncSession, None]:
    """A session whose work is committed after the handler returns, rolled back if it raised.

    Services only flush; this is the one place that commits, so a response is sent only after
    everything it reports is durable.
    """
    ctx = context_from(state)
    async with ctx.sessions() as session:
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise
        else:
            await session.commit()


async def provide_report_session(state: State) -> AsyncGenerator[AsyncSession, None]:
    """A session on the reports' own small engine (`AppContext.reports_db`); reports and
    evaluations only read, so it is rolled back at the end, never committed.

    Raises `sqlalchemy.exc.TimeoutError` (answered 503 with Retry-After) when every report
    connection stayed busy for the engine's pool timeout.
    """
    async with context_from(state).reports_db() as session:
        try:
            yield session
        finally:
            await session.rollback()


async def provide_autocommit(state: State) -> AsyncGenerator[AsyncConnection, None]:
    """A connection in autocommit mode, for hot paths made of single atomic statements."""
    ctx = context_from(state)
    async with ctx.engine.connect() as conn:
        yield await conn.execution_options(isolation_level="AUTOCOMMIT")
