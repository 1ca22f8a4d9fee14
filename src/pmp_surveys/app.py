"""The application factory: `create_app(settings)` wires domains, errors and the database."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from pathlib import Path

from litestar import Litestar, get
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
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
from pmp_surveys.keys import Keys
from pmp_surveys.plans.refresh import refresh_catalogue
from pmp_surveys.plans.service import PlanStore
from pmp_surveys.reports.controllers import ReportController
from pmp_surveys.reports.pdf import PdfPrinter
from pmp_surveys.responses.controllers import SubmissionController
from pmp_surveys.responses.pages import RespondentPages
from pmp_surveys.responses.service import CampaignIdentityCache
from pmp_surveys.settings import Settings
from pmp_surveys.web.context import AppContext, context_from
from pmp_surveys.web.csrf import Signer
from pmp_surveys.web.headers import fix_headers
from pmp_surveys.web.hostile import refuse_control_characters
from pmp_surveys.web.openapi import complete as complete_openapi
from pmp_surveys.web.problems import json_error_handlers
from pmp_surveys.web.ratelimit import limit_public_submissions, refund_unstored

PACKAGE = Path(__file__).resolve().parent


#: A real write, so /healthz fails while the database is read-only or its disk is full.
_WRITE_PROBE = """
INSERT INTO throttles (key, hits, window_start, last_at) VALUES ('\\x00'::bytea, 0, now(), now())
ON CONFLICT (key) DO UPDATE SET last_at = now()
"""


@get("/healthz", tags=["operations"], summary="Liveness, and whether the database takes writes")
async def healthz(state: State) -> dict[str, str]:
    """200 {"status": "ok"} when the database answers a write within 5 s; else 503 (problem,
    Retry-After) through the error mapping: read-only, full disk or unreachable."""
    ctx = context_from(state)
    await ctx.pg.execute(_WRITE_PROBE, timeout=5)
    return {"status": "ok", "database": "ok", "version": __version__}


def create_app(settings: Settings) -> Litestar:
    if not settings.database_url:
        raise ValueError("create_app needs settings.database_url (the CLI starts the embedded server)")
    keys = Keys.from_settings(settings)  # the one secret; fails the start if it cannot be had
    engine = create_engine(settings.database_url, pool_size=settings.db_pool_size)
    sessions = session_factory(engine)
    # Reports and evaluations: their own few connections, no overflow; a report waits up to
    # two minutes for one (then 503), so ten slow reports queue instead of taking everyone's.
    report_engine = create_engine(
        settings.database_url,
        pool_size=max(1, settings.report_pool_size),
        max_overflow=0,
        pool_timeout=120,
        application_name="pmp-surveys-reports",
    )
    ctx = AppContext(
        settings=settings,
        engine=engine,
        sessions=sessions,
        versions=VersionCache(),
        identities=CampaignIdentityCache(),
        # A broken catalogue file stops the start with its problems listed, not a later request.
        catalogue=load_catalogue(settings.catalogue_dir),
        report_sessions=session_factory(report_engine),
    )

    printer = PdfPrinter()  # one kept browser for the PDF reports, started on the first

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncGenerator[None, None]:
        assert settings.database_url
        ctx.pool = await create_pool(settings.database_url, settings.db_pool_size)
        ctx.export_pool = await create_pool(settings.database_url, max(1, settings.export_pool_size))
        try:
            yield
        finally:
            await printer.close()
            await ctx.export_pool.close()
            ctx.export_pool = None
            await ctx.pool.close()
            ctx.pool = None
            await report_engine.dispose()
            await engine.dispose()

    app = Litestar(
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
                "keys": keys,
                "signer": Signer(keys.pages),
                "pdf": printer,
                # Plan revisions: the catalogue of the latest stored versions (seeded from the files).
                "plans": PlanStore(settings.catalogue_dir, ctx.catalogue),
            }
        ),
        guards=[refuse_control_characters, limit_public_submissions],
        before_send=[refund_unstored, fix_headers],
        before_request=refresh_catalogue,
        template_config=TemplateConfig(directory=PACKAGE / "templates", engine=JinjaTemplateEngine),
        lifespan=[lifespan],
        exception_handlers=json_error_handlers(),
        request_max_body_size=settings.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="pmp-surveys",
            version=__version__,
            path="/schema",
            # The document itself, no documentation UI: no third-party JavaScript on this origin.
            render_plugins=[JsonRenderPlugin(path=["/", "/openapi.json"])],
        ),
        debug=False,
    )
    complete_openapi(app.openapi_schema)  # cached by the app: statuses, security, export variants
    return app


def app_from_env() -> Litestar:
    """Factory for `uvicorn --factory pmp_surveys.app:app_from_env` (PMP_DATABASE_URL required)."""
    return create_app(Settings.from_env())
