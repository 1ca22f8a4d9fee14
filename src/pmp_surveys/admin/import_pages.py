"""Admin page to import responses collected with another tool (evaluators; all rows or none).

    GET  /admin/campaigns/{slug}/import   the form: file, source tool, mode, optional mapping (TOML)
    POST /admin/campaigns/{slug}/import   check every row; import them all, or list every problem

The rules are in `responses.import_service`; the command line does the same
(`pmp-surveys responses import`).
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.access import CurrentUser, require_evaluator
from pmp_surveys.admin.common import AdminPageController
from pmp_surveys.admin.forms import Posted
from pmp_surveys.admin.rendering import admin_lang, render
from pmp_surveys.audit.service import record
from pmp_surveys.campaigns.management import campaign_for
from pmp_surveys.responses.import_service import ImportRejected, ImportReport, import_responses
from pmp_surveys.responses.import_sources import SOURCE_KINDS, ImportMapping, read_table
from pmp_surveys.responses.models import MODES
from pmp_surveys.web.context import context_from

WORDS: dict[str, tuple[str, str]] = {
    "import_title": ("Atbilžu imports no cita rīka", "Import responses from another tool"),
    "import_help": (
        "KoboToolbox vai ODK Central CSV (XLSForm nosaukumi), LimeSurvey CSV vai .sav, vai jebkura tabula "
        "(CSV, XLSX) ar kolonnu un vērtību atbilstību. Katru rindu pārbauda kā iesniegtu anketu; ja kāda "
        "rinda ir kļūdaina, neko neimportē. Identificējošas kolonnas (vārdi, e-pasti, tālruņi, IP, ierīces) "
        "neimportē.",
        "A KoboToolbox or ODK Central CSV (XLSForm names), a LimeSurvey CSV or .sav, or any table (CSV, XLSX) "
        "with a mapping of columns and values. Every row is checked like a submission; if any row is wrong, "
        "nothing is imported. Identifying columns (names, e-mails, phones, IPs, devices) are not imported.",
    ),
    "file": ("Fails (.csv, .xlsx, .sav)", "File (.csv, .xlsx, .sav)"),
    "source": ("Avots", "Source"),
    "mode": ("Atbilžu veids", "Mode of collection"),
    "mode_default": ("pēc avota", "by source"),
    "mapping": ("Atbilstība (TOML, nav obligāta)", "Mapping (TOML, optional)"),
    "dry_run": ("Tikai pārbaudīt", "Check only"),
    "run": ("Importēt", "Import"),
    "report": ("Rezultāts", "Result"),
}


def words(lang: str) -> Any:
    return lambda key: WORDS[key][0 if lang == "lv" else 1]


class AdminImportPages(AdminPageController):
    async def _page(
        self,
        request: Request[Any, Any, Any],
        user: CurrentUser,
        campaign: Any,
        *,
        status: int = 200,
        report: ImportReport | None = None,
        values: dict[str, str] | None = None,
    ) -> Response[Any]:
        return render(
            request,
            "import.html",
            user=user,
            status=status,
            w=words(admin_lang(request)),
            campaign=campaign,
            sources=SOURCE_KINDS,
            modes=MODES,
            report=report,
            values=values or {},
            errors=[],
        )

    @get("/campaigns/{slug:str}/import", summary="Import responses collected with another tool")
    async def form(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        slug: FromPath[str],
    ) -> Response[Any]:
        campaign, _ = await campaign_for(session, user, slug)
        require_evaluator(user, campaign.municipality)
        return await self._page(request, user, campaign)

    @post("/campaigns/{slug:str}/import", summary="Import a file of responses (all rows or none)", status_code=200)
    async def run(
        self,
        request: Request[Any, Any, Any],
        state: State,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        form: NamedDependency[Posted],
        slug: FromPath[str],
    ) -> Response[Any]:
        campaign, _ = await campaign_for(session, user, slug)
        require_evaluator(user, campaign.municipality)
        source = form.get("source")
        mode = form.get("mode") or None
        data = form.files.get("file", b"")
        name = _name(data)
        report = ImportReport(campaign=slug, source=f"{source}:{name}", mode=mode or "")
        try:
            if source not in SOURCE_KINDS or (mode is not None and mode not in MODES):
                raise ValueError("choose a source and a mode from the lists")
            mapping_text = form.get("mapping").strip()
            mapping = msgspec.toml.decode(mapping_text, type=ImportMapping) if mapping_text else None
            table = read_table(data, name)
            ctx = context_from(state)
            async with ctx.pg.acquire() as conn:
                report = await import_responses(
                    conn,
                    slug,
                    table,
                    source=source,
                    label=f"{source}:{name}"[:200],
                    mode=mode,
                    mapping=mapping,
                    keep_identical=form.get("keep_identical") == "1",
                    dry_run=form.get("dry_run") == "1",
                    versions=ctx.versions,
                )
        except ImportRejected as exc:
            return await self._page(request, user, campaign, status=422, report=exc.report, values=form.fields)
        except (ValueError, msgspec.ValidationError, msgspec.DecodeError) as exc:
            report.mapping_errors.append(str(exc))
            return await self._page(request, user, campaign, status=422, report=report, values=form.fields)
        details = {"source": report.source, "mode": report.mode, "imported": report.imported, "dry_run": report.dry_run}
        await record(session, user, "responses.import", "campaign", slug, campaign.municipality, details)
        return await self._page(request, user, campaign, report=report)


def _name(data: bytes) -> str:
    """A name for the upload by its content: XLSX (a zip), SPSS (``$FL2``/``$FL3``), else CSV."""
    if data.startswith(b"PK"):
        return "upload.xlsx"
    if data.startswith((b"$FL2", b"$FL3")):
        return "upload.sav"
    return "upload.csv"
