"""Admin pages for schools' teacher head-counts: list, edit one, import a CSV."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.access import CurrentUser
from pmp_surveys.admin.common import AdminPageController, known_municipalities, scope_municipality
from pmp_surveys.admin.forms import Posted
from pmp_surveys.admin.i18n import notice_param, notice_text
from pmp_surveys.admin.rendering import admin_lang, back_with_notice, render, see_other
from pmp_surveys.errors import ValidationFailed
from pmp_surveys.schools.service import import_teachers, schools_for, update_teachers


class AdminSchoolPages(AdminPageController):
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
    ) -> Response[Any]:
        schools = await schools_for(session, user, municipality)
        return render(
            request,
            "schools.html",
            user=user,
            status=status,
            schools=schools,
            municipality=municipality,
            municipalities=known_municipalities(request.app.state),
            errors=errors or [],
            notice=notice,
            csv_text=csv_text,
        )

    @get("/schools", summary="Schools and teacher head-counts")
    async def schools(
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

    @post("/schools/{school_id:int}/teachers", summary="Set a school's teacher head-count", status_code=200)
    async def set_teachers(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        form: NamedDependency[Posted],
        school_id: FromPath[int],
    ) -> Response[Any]:
        raw = form.get("teachers").strip()
        try:
            try:
                teachers = None if raw == "" else int(raw)
            except ValueError:
                raise ValidationFailed(
                    "Not a number.",
                    errors=[
                        {"field": "teachers", "code": "not_a_number", "message": f"{raw!r} is not a whole number."}
                    ],
                ) from None
            school = await update_teachers(session, user, school_id, teachers)
        except ValidationFailed as exc:
            from pmp_surveys.schools.service import school_for

            school = await school_for(session, user, school_id)
            return await self._page(request, session, user, school.municipality, status=422, errors=exc.errors)
        query = urlencode({"municipality": school.municipality, "saved": "saved"})
        return see_other(f"/admin/schools?{query}#school-{school.id}")

    @post("/schools/import", summary="Import teacher head-counts from CSV (all rows or none)", status_code=200)
    async def import_csv(
        self,
        request: Request[Any, Any, Any],
        state: State,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        form: NamedDependency[Posted],
    ) -> Response[Any]:
        municipality = scope_municipality(state, user, form.get("municipality") or None)
        uploaded = form.files.get("file", b"")
        text = uploaded.decode("utf-8-sig", errors="replace") if uploaded.strip() else form.get("csv_text")
        try:
            result = await import_teachers(session, user, municipality, text)
        except ValidationFailed as exc:
            return await self._page(request, session, user, municipality, status=422, errors=exc.errors, csv_text=text)
        notice = notice_param("imported", result.updated, result.unchanged)
        return back_with_notice("/admin/schools", municipality, notice)
