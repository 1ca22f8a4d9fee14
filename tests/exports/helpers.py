"""Run an export through the service layer the way the HTTP and CLI paths do."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import asyncpg

from pmp_surveys.exports import service
from pmp_surveys.exports.codebook import Codebook
from pmp_surveys.exports.writers import csv_chunks, write_parquet, write_sav

SNAPSHOT: dict[str, Any] = {"isolation": "repeatable_read", "readonly": True}


#: The format tests check coding with k = 1 (no disclosure control: every row as answered);
#: tests of the disclosure rules pass their own threshold (test_disclosure.py, k = 5).
NO_SDC = {"bauska": 1, "riga": 1}


async def scope_of(conn: asyncpg.Connection, slug: str, **kw: Any) -> service.ExportScope:
    args: dict[str, Any] = {"user": None, "lang": "lv", "include_text": False, "thresholds": NO_SDC} | kw
    return await service.campaign_scope(conn, slug, **args)


async def csv_bytes(conn: asyncpg.Connection, slug: str, *, batch_size: int = 2000, **kw: Any) -> bytes:
    async with conn.transaction(**SNAPSHOT):
        scope = await scope_of(conn, slug, **kw)
        shield = await service.protection(conn, scope)
        batches = service.column_batches(conn, scope, shield, batch_size)
        return b"".join([chunk async for chunk in csv_chunks(batches, scope.variables)])


async def parquet_file(conn: asyncpg.Connection, slug: str, path: Path, **kw: Any) -> int:
    async with conn.transaction(**SNAPSHOT):
        scope = await scope_of(conn, slug, **kw)
        shield = await service.protection(conn, scope)
        book = await service.build_codebook(conn, scope, shield)
        return await write_parquet(service.column_batches(conn, scope, shield), scope.variables, path, book)


async def sav_file(conn: asyncpg.Connection, slug: str, path: Path, **kw: Any) -> int:
    async with conn.transaction(**SNAPSHOT):
        scope = await scope_of(conn, slug, **kw)
        shield = await service.protection(conn, scope)
        return await write_sav(service.column_batches(conn, scope, shield), scope.variables, path)


async def codebook_of(conn: asyncpg.Connection, slug: str, **kw: Any) -> Codebook:
    async with conn.transaction(**SNAPSHOT):
        scope = await scope_of(conn, slug, **kw)
        return await service.build_codebook(conn, scope)
