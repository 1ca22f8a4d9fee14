"""Admin pages for population margins (weighting the resident survey): list, upload or paste one
margin with its source, delete one. Stored margins replace the catalogue file's in evaluations."""

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
from pmp_surveys.admin.i18n import notice_text
from pmp_surveys.admin.rendering import admin_lang, back_with_notice, render
from pmp_surveys.errors import ValidationFailed
from pmp_surveys.evaldata.margins import delete_margin, margin_choices, save_margin, stored_margins
from pmp_surveys.web.context import context_from


class AdminMarginPages(AdminPageController):
    async def _page(
        self,
        request: Request[Any, Any, Any],
        session: AsyncSession,
        user: CurrentUser,
        municipality: str,
        *,
        status: int = 200,
        errors: list[Any] | None = None,
        notice: str | None = None,
        csv_text: str = "",
        source: str = "",
    ) -> Response[Any]:
        require_evaluator(user, municipality)
        catalogue = context_from(request.app.state).catalogue
        plan = catalogue.municipalities[municipality]
        return render(
            request,
            "margins.html",
            user=user,
            status=status,
            municipality=municipality,
            municipality_names={code: m.names for code, m in catalogue.municipalities.items()},
            municipalities=known_municipalities(request.app.state),
            margins=await stored_margins(session, user, municipality),
            file_margins=plan.population.margins if plan.population else [],
            choices=await margin_choices(session, plan, "en" if admin_lang(request) == "en" else "lv"),
            errors=errors or [],
            notice=notice,
            csv_text=csv_text,
            source=source,
        )

    @get("/margins", summary="Population margins for weighting the resident survey")
    async def margins(
        self,
        request: Request[Any, Any, Any],
        state: State,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        municipality: Annotated[str | None, QueryParameter(description="operators: which municipality")] = None,
        saved: Annotated[str | None, QueryParameter(description="notice after a change")] = None,
    ) -> Response[Any]:
        scope = scope_municipality(state, user, municipality)
        return await self._page(request, session, user, scope, notice=notice_text(admin_lang(request), saved))

    @post("/margins", summary="Store one population margin with its source (replaces the same variables)")
    async def save(
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
        text = uploaded.decode("utf-8-sig", errors="replace") if uploaded.strip() else form.get("csv_text")
        source = form.get("source")
        plan = context_from(state).catalogue.municipalities[municipality]
        try:
            await save_margin(session, user, plan, text, source)
        except ValidationFailed as exc:
            return await self._page(
                request, session, user, municipality, status=422, errors=exc.errors, csv_text=text, source=source
            )
        notice = "saved"
        return back_with_notice("/admin/margins", municipality, notice)

    @post("/margins/delete", summary="Delete one stored population margin")
    async def delete(
        self,
        request: Request[Any, Any, Any],
        state: State,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        form: NamedDependency[Posted],
    ) -> Response[Any]:
        municipality = scope_municipality(state, user, form.get("municipality") or None)
        await delete_margin(session, user, municipality, form.get("variables"))
        notice = "saved"
        return back_with_notice("/admin/margins", municipality, notice)
