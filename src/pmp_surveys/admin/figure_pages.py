"""Admin pages for administrative figures: upload CSV/XLSX with a preview, every bad row listed
with its fix, import all or nothing, upload history, and one figure entered or corrected by hand."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.access import CurrentUser, require_evaluator
from pmp_surveys.admin.common import AdminPageController, known_municipalities, scope_municipality
from pmp_surveys.admin.forms import Posted
from pmp_surveys.admin.i18n import notice_param, notice_text, translator
from pmp_surveys.admin.rendering import admin_lang, back_with_notice, render
from pmp_surveys.catalogue.errors import AdminFiguresError, RowProblem
from pmp_surveys.evaldata.service import FigurePreview, figure_history, figure_text, preview_figures, store_figures
from pmp_surveys.web.context import context_from

MAX_UPLOAD_NAME = 200


class AdminFigurePages(AdminPageController):
    async def _page(
        self,
        request: Request[Any, Any, Any],
        session: AsyncSession,
        user: CurrentUser,
        municipality: str,
        *,
        status: int = 200,
        problems: list[RowProblem] | None = None,
        preview: FigurePreview | None = None,
        filename: str = "",
        notice: str | None = None,
        one: dict[str, str] | None = None,
        one_problems: list[RowProblem] | None = None,
    ) -> Response[Any]:
        require_evaluator(user, municipality)
        figures, uploads = await figure_history(session, user, municipality)
        catalogue = context_from(request.app.state).catalogue
        plan = catalogue.municipalities[municipality]
        indicators = [i for i in plan.indicators if not i.is_survey]
        return render(
            request,
            "figures.html",
            user=user,
            status=status,
            municipality=municipality,
            municipality_names={code: m.names for code, m in catalogue.municipalities.items()},
            municipalities=known_municipalities(request.app.state),
            indicators=indicators,
            indicator_names={i.code: i.names for i in plan.indicators},
            schools=plan.schools,
            figures=figures,
            uploads=uploads,
            problems=problems or [],
            preview=preview,
            filename=filename,
            notice=notice,
            one=one or {},
            one_problems=one_problems or [],
        )

    @get("/figures", summary="Administrative figures: upload, history, one figure")
    async def figures(
        self,
        request: Request[Any, Any, Any],
        state: State,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        municipality: Annotated[str | None, QueryParameter(description="operators: which municipality")] = None,
        saved: Annotated[str | None, QueryParameter(description="notice after a change")] = None,
    ) -> Response[Any]:
        scope = scope_municipality(state, user, municipality)
        notice = notice_text(admin_lang(request), saved)
        return await self._page(request, session, user, scope, notice=notice)

    @post("/figures/preview", summary="Check an uploaded figures table without storing it", status_code=200)
    async def preview(
        self,
        request: Request[Any, Any, Any],
        state: State,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        form: NamedDependency[Posted],
    ) -> Response[Any]:
        municipality = scope_municipality(state, user, form.get("municipality") or None)
        require_evaluator(user, municipality)
        uploaded = form.files.get("file", b"")
        data: bytes | str = uploaded if uploaded.strip() else form.get("csv_text")
        filename = (form.file_names.get("file") or "") if uploaded.strip() else ""
        catalogue = context_from(state).catalogue
        try:
            result = await preview_figures(session, user, catalogue, municipality, data)
        except AdminFiguresError as exc:
            return await self._page(
                request, session, user, municipality, status=422, problems=list(exc.problems), filename=filename
            )
        return await self._page(request, session, user, municipality, preview=result, filename=filename)

    @post("/figures/import", summary="Store a previewed figures table (all rows or none)", status_code=200)
    async def import_table(
        self,
        request: Request[Any, Any, Any],
        state: State,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        form: NamedDependency[Posted],
    ) -> Response[Any]:
        municipality = scope_municipality(state, user, form.get("municipality") or None)
        filename = form.get("filename").strip()[:MAX_UPLOAD_NAME] or "—"
        catalogue = context_from(state).catalogue
        try:
            outcome = await store_figures(
                session, catalogue, form.get("csv_text"), user=user, filename=filename, municipality=municipality
            )
        except AdminFiguresError as exc:
            return await self._page(request, session, user, municipality, status=422, problems=list(exc.problems))
        notice = notice_param("figures_stored", outcome.rows, outcome.inserted, outcome.updated)
        return back_with_notice("/admin/figures", municipality, notice)

    @post("/figures/one", summary="Enter or correct one administrative figure", status_code=200)
    async def one_figure(
        self,
        request: Request[Any, Any, Any],
        state: State,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        form: NamedDependency[Posted],
    ) -> Response[Any]:
        municipality = scope_municipality(state, user, form.get("municipality") or None)
        names = ("indicator", "year", "school", "numerator", "denominator")
        one = {k: form.get(k).strip() for k in names}
        text = figure_text(municipality, *(one[k] for k in names))
        catalogue = context_from(state).catalogue
        t = translator(admin_lang(request))
        try:
            outcome = await store_figures(
                session, catalogue, text, user=user, filename=t("figure_form"), municipality=municipality
            )
        except AdminFiguresError as exc:
            return await self._page(
                request, session, user, municipality, status=422, one=one, one_problems=list(exc.problems)
            )
        notice = notice_param("figures_stored", outcome.rows, outcome.inserted, outcome.updated)
        return back_with_notice("/admin/figures", municipality, notice)
