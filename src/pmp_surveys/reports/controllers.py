"""`GET /admin/reports/{municipality}/{wave}`: the report as HTML, XLSX, PDF or the evaluation JSON.

Evaluators of that municipality and operators only (another municipality's evaluator gets 404,
a coordinator 403, nobody signed in is sent to the sign-in page).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from litestar import Controller, Response, get
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, PathParameter, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.access import CurrentUser, require_evaluator
from pmp_surveys.accounts.auth import provide_user
from pmp_surveys.admin.forms import PAGE_ERRORS
from pmp_surveys.errors import NotFound, ValidationFailed
from pmp_surveys.indicators.baseline import parse_baseline
from pmp_surveys.plans.service import plan_version
from pmp_surveys.reports.build import build_report
from pmp_surveys.reports.files import base_name, pdf_footer
from pmp_surveys.reports.html import render_html
from pmp_surveys.reports.pdf import PdfUnavailable, render_pdf
from pmp_surveys.reports.xlsx import render_xlsx
from pmp_surveys.web.context import context_from
from pmp_surveys.web.dependencies import provide_report_session
from pmp_surveys.web.headers import SELF_CONTAINED_CSP

__all__ = ["ReportController", "report_url"]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_url(
    municipality: str,
    wave: int,
    *,
    baseline: str | None = None,
    lang: str = "lv",
    fmt: str = "html",
    catalogue: int | None = None,
) -> str:
    """The link the admin pages put on a "Report" button (`catalogue`: a stored plan version)."""
    query = f"lang={lang}&format={fmt}" + (f"&baseline={baseline}" if baseline else "")
    query += f"&catalogue={catalogue}" if catalogue else ""
    return f"/admin/reports/{municipality}/{wave}?{query}"


def _baseline(value: str | None) -> int | Literal["plan", "published"] | None:
    try:
        return parse_baseline(value)
    except ValueError:
        raise ValidationFailed(
            "The baseline is not valid.",
            errors=[{"field": "baseline", "code": "invalid", "message": "Give a year, 'auto', 'plan' or 'published'."}],
        ) from None


class ReportController(Controller):
    path = "/admin/reports"
    tags = ["admin pages"]
    include_in_schema = False
    exception_handlers = PAGE_ERRORS
    dependencies = {"user": Provide(provide_user), "session": Provide(provide_report_session)}

    @get("/{municipality:str}/{wave:int}", name="admin:report")
    async def report(
        self,
        state: State,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        municipality: FromPath[str],
        wave: Annotated[int, PathParameter(ge=1990, le=2100)],
        baseline: Annotated[str | None, QueryParameter(description="a year, 'auto', 'plan' or 'published'")] = None,
        lang: Annotated[Literal["lv", "en"], QueryParameter(description="report language")] = "lv",
        format: Annotated[  # the query parameter's name
            Literal["html", "xlsx", "pdf", "json"], QueryParameter(description="output format")
        ] = "html",
        catalogue: Annotated[
            int | None, QueryParameter(ge=1, description="a stored plan version (default: the latest)")
        ] = None,
    ) -> Response[Any]:
        """The mid-term evaluation report of one municipality and wave."""
        require_evaluator(user, municipality)
        if municipality not in context_from(state).catalogue.municipalities:
            raise NotFound("Not found.")
        plan = await plan_version(session, municipality, catalogue)  # NotFound for an unknown version
        report = await build_report(
            session, plan.municipality, wave, baseline=_baseline(baseline), catalogue_version=plan.ref
        )
        stem = base_name(report, lang)
        headers = {"Cache-Control": "no-store"}
        if format == "json":
            disposition = f'attachment; filename="pmp-evaluation-{municipality}-{wave}.json"'
            return Response(
                report.evaluation.to_json(indent=2),
                media_type="application/json",
                headers={**headers, "Content-Disposition": disposition},
            )
        if format == "xlsx":
            return Response(
                render_xlsx(report, lang),
                media_type=XLSX_TYPE,
                headers={**headers, "Content-Disposition": f'attachment; filename="{stem}.xlsx"'},
            )
        html = render_html(report, lang)
        if format == "pdf":
            try:
                printer = state.get("pdf")  # the app's kept browser (PdfPrinter), when it has one
                pdf = await render_pdf(html, footer=pdf_footer(report, lang), printer=printer)
            except PdfUnavailable as exc:
                return Response(
                    {"title": "PDF unavailable", "detail": str(exc), "status": 503},
                    status_code=503,
                    media_type="application/problem+json",
                    headers=headers,
                )
            return Response(
                pdf,
                media_type="application/pdf",
                headers={**headers, "Content-Disposition": f'attachment; filename="{stem}.pdf"'},
            )
        # The report is one self-contained file (inline <style>, inline SVG): the app's default
        # CSP (`style-src 'self'`) would show it unstyled; allow exactly that, and no script.
        return Response(
            html,
            media_type="text/html; charset=utf-8",
            headers={**headers, "Content-Security-Policy": SELF_CONTAINED_CSP},
        )
