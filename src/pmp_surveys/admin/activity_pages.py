"""Admin page for the plan's activities results table: rows per year (goal, activity, funding,
planned result, achieved value — maybe linked to an indicator or a survey item —, impact, what
helped or hindered); add, edit, delete. The rows appear in the mid-term report and workbook."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.access import CurrentUser, require_evaluator
from pmp_surveys.admin.common import AdminPageController, known_municipalities, scope_municipality
from pmp_surveys.admin.forms import Posted, convert_form
from pmp_surveys.admin.i18n import notice_text
from pmp_surveys.admin.rendering import admin_lang, back_with_notice, render
from pmp_surveys.catalogue.loader import DEFAULT_INSTRUMENTS
from pmp_surveys.errors import ValidationFailed
from pmp_surveys.evaldata.activities import ActivityForm, delete_activity, list_activities, save_activity
from pmp_surveys.web.context import context_from

FIELDS: tuple[str, ...] = (
    "year",
    "goal",
    "activity",
    "funding",
    "planned_result",
    "achieved",
    "indicator",
    "survey_item",
    "impact",
    "factors",
)


class AdminActivityPages(AdminPageController):
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
        values: dict[str, str] | None = None,
    ) -> Response[Any]:
        require_evaluator(user, municipality)
        plan = context_from(request.app.state).catalogue.municipalities[municipality]
        return render(
            request,
            "activities.html",
            user=user,
            status=status,
            municipality=municipality,
            municipalities=known_municipalities(request.app.state),
            rows=await list_activities(session, user, municipality),
            indicators=plan.indicators,
            errors=errors or [],
            notice=notice,
            values=values or {},
        )

    @get("/activities", summary="The plan's activities results table (per year)")
    async def activities(
        self,
        request: Request[Any, Any, Any],
        state: State,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        municipality: Annotated[str | None, QueryParameter(description="operators: which municipality")] = None,
        edit: Annotated[int | None, QueryParameter(description="a row to edit")] = None,
        saved: Annotated[str | None, QueryParameter(description="notice after a change")] = None,
    ) -> Response[Any]:
        scope = scope_municipality(state, user, municipality)
        values: dict[str, str] = {}
        if edit is not None:
            row = next((r for r in await list_activities(session, user, scope) if r.id == edit), None)
            if row is not None:
                values = {k: "" if getattr(row, k) is None else str(getattr(row, k)) for k in FIELDS}
                values["id"] = str(row.id)
        return await self._page(
            request, session, user, scope, notice=notice_text(admin_lang(request), saved), values=values
        )

    @post("/activities", summary="Add an activity row, or replace one (field `id`)", status_code=200)
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
        plan = context_from(state).catalogue.municipalities[municipality]
        raw_id = form.get("id").strip()
        fields = {k: form.get(k) for k in FIELDS}
        try:
            data = convert_form(fields, ActivityForm)
            await save_activity(
                session, user, plan, data, set(DEFAULT_INSTRUMENTS), int(raw_id) if raw_id.isdigit() else None
            )
        except ValidationFailed as exc:
            values = {**fields, "id": raw_id}
            return await self._page(request, session, user, municipality, status=422, errors=exc.errors, values=values)
        notice = "saved"
        return back_with_notice("/admin/activities", municipality, notice)

    @post("/activities/delete", summary="Delete an activity row (field `id`)")
    async def delete(
        self,
        request: Request[Any, Any, Any],
        state: State,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        form: NamedDependency[Posted],
    ) -> Response[Any]:
        municipality = scope_municipality(state, user, form.get("municipality") or None)
        require_evaluator(user, municipality)
        raw_id = form.get("id").strip()
        if raw_id.isdigit():
            await delete_activity(session, user, municipality, int(raw_id))
        notice = "saved"
        return back_with_notice("/admin/activities", municipality, notice)
