"""A plain asyncpg pool for the hot submission path.

SQLAlchemy serves everything else; for the one statement that every respondent's answer goes
through, its execution machinery costs more CPU than the statement itself (profiled: about a
third of the request), so that path talks to asyncpg directly, as the benchmark's bare
ceiling does.
"""

from __future__ import annotations

from typing import Any, Protocol

import asyncpg
import msgspec

from pmp_surveys.db.embedded import asyncpg_connect_args


class Executor(Protocol):
    """What repositories need: an asyncpg Connection or Pool both fit."""

    async def fetchrow(self, query: str, *args: Any, timeout: float | None = None) -> Any: ...  # noqa: ASYNC109
    async def fetch(self, query: str, *args: Any, timeout: float | None = None) -> Any: ...  # noqa: ASYNC109
    async def execute(self, query: str, *args: Any, timeout: float | None = None) -> str: ...  # noqa: ASYNC109


async def _init_connection(conn: asyncpg.Connection) -> None:
    for name in ("json", "jsonb"):
        await conn.set_type_codec(
            name, encoder=lambda v: msgspec.json.encode(v).decode(), decoder=msgspec.json.decode, schema="pg_catalog"
        )


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Release without `RESET ALL; UNLISTEN *; …`: an extra round trip per request that buys
    nothing here, since the pool's statements set no session state, take no session advisory
    locks and LISTEN to nothing. asyncpg still rolls back any transaction left open."""


async def create_pool(url: str, size: int) -> asyncpg.Pool:
    """A pool from a SQLAlchemy-style URL (`postgresql+asyncpg://…`, socket or TCP)."""
    args = asyncpg_connect_args(url)
    return await asyncpg.create_pool(
        **args,
        min_size=min(2, size),
        max_size=size,
        init=_init_connection,
        reset=_keep_session,
        server_settings={"application_name": "pmp-surveys"},
    )
