"""Engine and session factory, built once per app from settings."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine


def create_engine(
    url: str,
    *,
    pool_size: int = 10,
    max_overflow: int | None = None,
    pool_timeout: float = 30,
    application_name: str = "pmp-surveys",
) -> AsyncEngine:
    """An engine of `pool_size` connections plus `max_overflow` (default: as many again) beyond;
    a request waits at most `pool_timeout` seconds for one (then `sqlalchemy.exc.TimeoutError`,
    answered 503 with Retry-After). `application_name` shows in `pg_stat_activity`."""
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size if max_overflow is None else max_overflow,
        pool_timeout=pool_timeout,
        pool_pre_ping=True,  # survive a database restart: stale connections are replaced
        connect_args={"server_settings": {"application_name": application_name}},
    )


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
