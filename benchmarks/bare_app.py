"""The ceiling to compare against: bare Litestar + one asyncpg pool + one JSONB insert.

Started by `benchmarks/submissions.py` with BENCH_DSN set; not part of the product.
"""

from __future__ import annotations

import os
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import msgspec
from litestar import Litestar, Request, post

pool: asyncpg.Pool | None = None


@asynccontextmanager
async def lifespan(app: Litestar) -> AsyncGenerator[None, None]:
    global pool
    pool = await asyncpg.create_pool(os.environ["BENCH_DSN"], min_size=10, max_size=10)
    try:
        yield
    finally:
        await pool.close()


@post("/bare/{slug:str}/responses", status_code=201)
async def insert(request: Request[Any, Any, Any], slug: str) -> dict[str, str]:
    body = await request.body()
    assert pool is not None
    await pool.execute("INSERT INTO bench_bare (body) VALUES ($1::jsonb)", body.decode())
    return {"status": "stored"}


app = Litestar(route_handlers=[insert], lifespan=[lifespan])
_ = msgspec  # the bare app decodes nothing: the ceiling includes no validation at all
