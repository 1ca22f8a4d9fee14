"""The application factory: `create_app(settings)` wires domains, errors and the database."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from pathlib import Path

from litestar import Litestar, get
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from pmp_surveys import __version__
from pmp_surveys.admin.routes import ADMIN_ROUTES
from pmp_surveys.campaigns.controllers import PublicCampaignController
from pmp_surveys.catalogue.loader import load_catalogue
from pmp_surveys.db.engine import create_engine, session_factory
from pmp_surveys.db.pg import create_pool
from pmp_surveys.exports.controllers import ExportController
from pmp_surveys.indicators.controllers import EvaluationController
from pmp_surveys.instruments.service import VersionCache
from pmp_surveys.reports.controllers import ReportController
from pmp_surveys.reports.pdf import PdfPrinter
from pmp_surveys.responses.controllers import SubmissionController
from pmp_surveys.responses.pages import RespondentPages
from pmp_surveys.responses.service import CampaignIdentityCache
from pmp_surveys.settings import Settings
from pmp_surveys.web.context import AppContext, context_from
from pmp_surveys.web.csrf import Signer, secret_from
from pmp_surveys.web.problems import json_error_handlers
from pmp_surveys.web.ratelimit import SubmissionLimiter, limit_public_submissions

PACKAGE = Path(__file__).resolve().parent


@get("/healthz", tags=["operations"], summary="Liveness and database reachability")
async def healthz(state: State) -> dict[str, str]:
    from sqlalchemy import text

    ctx = context_from(state)
    async with ctx.engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
    return {"status": "ok", "database": "ok", "version": __version__}


def create_app(settings: Settings) -> Litestar:
    if not settings.database_url:
        raise ValueError("create_app needs settings.database_url (the CLI starts the embedded server)")
    engine = create_engine(settings.database_url, pool_size=settings.db_pool_size)
    sessions = session_factory(engine)
    ctx = AppContext(
        settings=settings,
        engine=engine,
        sessions=sessions,
        versions=VersionCache(),
        identities=CampaignIdentityCache(),
        # A broken catalogue file stops the start with its problems listed, not a later request.
        catalogue=load_catalogue(settings.catalogue_dir),
    )

    printer = PdfPrinter()  # one kept browser for the PDF reports, started on the first

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncGenerator[None, None]:
        assert settings.database_url
        ctx.pool = await create_pool(settings.database_url, settings.db_pool_size)
        try:
            yield
        finally:
            await printer.close()
            await ctx.pool.close()
            ctx.pool = None
            await engine.dispose()

    return Litestar(
        route_handlers=[
            healthz,
            PublicCampaignController,
            SubmissionController,
            EvaluationController,
            ExportController,
            ReportController,
            *ADMIN_ROUTES,
            RespondentPages,
            create_static_files_router(path="/static", directories=[PACKAGE / "static"]),
        ],
        state=State(
            {
                "ctx": ctx,
                "signer": Signer(secret_from(settings)),
                "limiter": SubmissionLimiter(settings.submit_rate_per_minute),
                "pdf": printer,
            }
        ),
        guards=[limit_public_submissions],
        template_config=TemplateConfig(directory=PACKAGE / "templates", engine=JinjaTemplateEngine),
        lifespan=[lifespan],
        exception_handlers=json_error_handlers(),
        request_max_body_size=settings.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="pmp-surveys",
            version=__version__,
            path="/schema",
            render_plugins=[ScalarRenderPlugin()],
        ),
        debug=False,
    )


def app_from_env() -> Litestar:
    """Factory for `uvicorn --factory pmp_surveys.app:app_from_env` (PMP_DATABASE_URL required)."""
    return create_app(Settings.from_env())
