"""The app's `before_request` hook: signed-in pages and APIs see the latest stored plan versions.

Every worker asks PostgreSQL (one aggregate query) which catalogue version is the latest, so a
revision or a new municipality stored through one worker is used by all of them at once. The
hot respondent paths (`/s/…`, submissions) are not touched.
"""

from __future__ import annotations

import logging
from typing import Any

import asyncpg
from litestar import Request
from sqlalchemy.exc import SQLAlchemyError

from pmp_surveys.catalogue.errors import CatalogueError
from pmp_surveys.plans.service import PlanStore
from pmp_surveys.web.context import context_from

log = logging.getLogger(__name__)

REFRESHED = ("/admin", "/api/v1/evaluations", "/api/v1/admin")


async def refresh_catalogue(request: Request[Any, Any, Any]) -> None:
    """Replace `ctx.catalogue` by the latest stored versions; on a database problem keep the
    catalogue this process has (the request then meets the database in its usual way)."""
    if not request.url.path.startswith(REFRESHED):
        return
    store = request.app.state.get("plans")
    if not isinstance(store, PlanStore):
        return
    ctx = context_from(request.app.state)
    try:
        async with ctx.sessions() as session:
            ctx.catalogue = await store.refresh(session)
    except (SQLAlchemyError, asyncpg.PostgresError, OSError, TimeoutError, CatalogueError) as exc:
        log.warning("catalogue versions not refreshed: %s", exc)
