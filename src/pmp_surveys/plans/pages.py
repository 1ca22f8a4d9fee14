"""`/admin/plan`: the plan's catalogue versions — list with dates, download any version as TOML,
upload a revised file, change one indicator's baseline/targets, onboard a municipality (operators).

Evaluators see and revise their own municipality only (another's answers 404); operators all.
Every stored revision is a new immutable version, audit-logged (:mod:`.service`).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, PathParameter, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.access import CurrentUser, require_evaluator
from pmp_surveys.admin.common import AdminPageController, known_municipalities, scope_municipality
from pmp_surveys.admin.forms import Posted
from pmp_surveys.admin.i18n import notice_param, notice_text
from pmp_surveys.admin.rendering import admin_lang, back_with_notice, render
from pmp_surveys.catalogue.errors import CatalogueError, Problem
from pmp_surveys.catalogue.schema import TargetKind
from pmp_surveys.errors import Forbidden, NotFound
from pmp_surveys.plans.repository import CatalogueVersionRepository
from pmp_surveys.plans.service import IndicatorRevision, plan_version, revise_indicator, store_revision
from pmp_surveys.reports.controllers import report_url
from pmp_surveys.web.context import context_from

TARGET_KINDS: tuple[TargetKind, ...] = ("at_least", "at_most", "below", "above")


def _form_problem(path: str, message: str, fix: str) -> Problem:
    return Problem(code="CAT199", file="form", path=path, message=message, fix=fix)


def _share(raw: str, path: str, problems: list[Problem]) -> float | None:
    """A percentage typed in the form ("70", "70,5") as a fraction; blank is None."""
    text = raw.strip().replace(",", ".").rstrip("%").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 100:
        problems.append(_form_problem(path, f"{raw!r} is not a percentage.", "Type a number from 0 to 100, e.g. 70."))
        return None
    return round(value / 100, 6)


def _year(raw: str, path: str, problems: list[Problem]) -> int | None:
    text = raw.strip()
    if not text:
        return None
    if not text.isdigit() or not 1990 <= int(text) <= 2100:
        problems.append(_form_problem(path, f"{raw!r} is not a year.", "Type a year such as 2026."))
        return None
    return int(text)


class AdminPlanPages(AdminPageController):
    async def _page(
        self,
        request: Request[Any, Any, Any],
        session: AsyncSession,
        user: CurrentUser,
        municipality: str,
        *,
        status: int = 200,
        problems: list[Problem] | None = None,
        notice: str | None = None,
        form: dict[str, str] | None = None,
    ) -> Response[Any]:
        require_evaluator(user, municipality)
        catalogue = context_from(request.app.state).catalogue
        plan = catalogue.municipalities.get(municipality)
        if plan is None:
            raise NotFound("Not found.")
        history = await CatalogueVersionRepository(session).history(municipality)
        wave = dt.date.today().year
        return render(
            request,
            "plan.html",
            user=user,
            status=status,
            municipality=municipality,
            municipality_names={code: m.names for code, m in catalogue.municipalities.items()},
            municipalities=known_municipalities(request.app.state),
            plan=plan,
            versions=[
                {
                    "row": row,
                    "by": email,
                    "report": report_url(municipality, wave, catalogue=row.version),
                }
                for row, email in history
            ],
            wave=wave,
            kinds=TARGET_KINDS,
            problems=problems or [],
            notice=notice,
            form=form or {},
        )

    @get("/plan", summary="The plan's catalogue versions, downloads and revisions")
    async def plan(
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

    @get("/plan/{municipality:str}/versions/{version:int}", summary="One catalogue version as TOML")
    async def download(
        self,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        municipality: FromPath[str],
        version: Annotated[int, PathParameter(ge=1)],
    ) -> Response[bytes]:
        require_evaluator(user, municipality)
        stored = await plan_version(session, municipality, version)
        name = f"{municipality}-v{version}.toml"
        return Response(
            stored.toml.encode("utf-8"),
            media_type="application/toml; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
        )

    @post("/plan/upload", summary="Store an uploaded catalogue file as a new version", status_code=200)
    async def upload(
        self,
        request: Request[Any, Any, Any],
        state: State,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        form: NamedDependency[Posted],
    ) -> Response[Any]:
        onboard = form.get("onboard") == "1"
        if onboard and not user.is_operator:
            raise Forbidden("Only an operator can add a municipality.")
        municipality = None if onboard else scope_municipality(state, user, form.get("municipality") or None)
        if municipality is not None:
            require_evaluator(user, municipality)
        uploaded = form.files.get("file", b"")
        try:
            text = uploaded.decode("utf-8") if uploaded.strip() else form.get("toml_text")
        except UnicodeDecodeError:
            text = None
        shown = municipality or scope_municipality(state, user, None)
        if not text or not text.strip():
            fix = "Choose the municipality's .toml file (UTF-8), or paste its text."
            problem = _form_problem("file", "no catalogue file was given (or it is not UTF-8 text).", fix)
            return await self._page(request, session, user, shown, status=422, problems=[problem])
        try:
            row, created = await store_revision(session, user, text, municipality=municipality, note=form.get("note"))
        except CatalogueError as exc:
            return await self._page(request, session, user, shown, status=422, problems=list(exc.problems))
        return self._done(request, row.municipality, row.version, created)

    @post("/plan/indicator", summary="Change one indicator's baseline or a target (a new version)", status_code=200)
    async def indicator(
        self,
        request: Request[Any, Any, Any],
        state: State,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        form: NamedDependency[Posted],
    ) -> Response[Any]:
        municipality = scope_municipality(state, user, form.get("municipality") or None)
        require_evaluator(user, municipality)
        fields = {k: form.get(k).strip() for k in ("indicator", "baseline", "baseline_year", "year", "kind", "value")}
        problems: list[Problem] = []
        baseline = _share(fields["baseline"], "baseline", problems)
        baseline_year = _year(fields["baseline_year"], "baseline_year", problems)
        year = _year(fields["year"], "year", problems)
        value = _share(fields["value"], "value", problems)
        targets: list[tuple[int, str, float]] = []
        if (year is None) != (value is None) and not problems:
            problems.append(_form_problem("value", "a target needs both its year and its value.", "Fill both."))
        if year is not None and value is not None:
            if fields["kind"] not in TARGET_KINDS:
                problems.append(_form_problem("kind", "unknown kind of target.", "Choose one of the list."))
            targets.append((year, fields["kind"], value))
        if not problems and baseline is None and baseline_year is None and not targets:
            problems.append(_form_problem("indicator", "nothing to change.", "Give a baseline or a target."))
        stored = await plan_version(session, municipality)
        if not problems:
            revision = IndicatorRevision(fields["indicator"], baseline, baseline_year, targets)
            try:
                text = revise_indicator(stored.toml, revision)
            except KeyError:
                problems.append(_form_problem("indicator", "no such indicator in the plan.", "Choose one of the list."))
        if problems:
            return await self._page(request, session, user, municipality, status=422, problems=problems, form=fields)
        note = form.get("note") or f"{fields['indicator']}: baseline/target changed in the form"
        try:
            row, created = await store_revision(session, user, text, municipality=municipality, note=note)
        except CatalogueError as exc:
            return await self._page(
                request, session, user, municipality, status=422, problems=list(exc.problems), form=fields
            )
        return self._done(request, municipality, row.version, created)

    @staticmethod
    def _done(request: Request[Any, Any, Any], municipality: str, version: int, created: bool) -> Response[Any]:
        notice = notice_param("plan_stored" if created else "plan_unchanged", version)
        return back_with_notice("/admin/plan", municipality, notice)
