"""Admin pages for campaigns: dashboard, list, create, open/close, distribution, response rates.

School coordinators see one page of a teacher campaign: their school's response rate and, while
the campaign is not closed, a "Distribute" section for their school only (its link, or a capped
batch of single-use codes), posting to the same routes evaluators use.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.access import CurrentUser, require_evaluator, require_school
from pmp_surveys.admin.common import AdminPageController, instrument_titles, known_municipalities
from pmp_surveys.admin.forms import Posted, as_utc, convert_form
from pmp_surveys.admin.rendering import admin_lang, render, see_other
from pmp_surveys.audit.service import record
from pmp_surveys.campaigns.management import campaign_for, campaigns_for, change_status_for, create_campaign_for
from pmp_surveys.campaigns.models import ACCESS_MODES, AUDIENCES, Campaign
from pmp_surveys.campaigns.schemas import AccessMode, Audience, CampaignCreate
from pmp_surveys.campaigns.service import campaign_state
from pmp_surveys.catalogue.loader import DEFAULT_INSTRUMENTS
from pmp_surveys.distribution import service as distribution
from pmp_surveys.distribution.repository import codes_issued, link_token
from pmp_surveys.distribution.sheets import codes_csv, codes_xlsx, render_code_sheet
from pmp_surveys.errors import Conflict, Forbidden, NotFound, ValidationFailed
from pmp_surveys.monitoring import service as monitoring
from pmp_surveys.reports.controllers import report_url
from pmp_surveys.schools.models import School
from pmp_surveys.schools.repository import SchoolRepository
from pmp_surveys.schools.service import school_for
from pmp_surveys.web.context import context_from

MAX_CODES = 2000


class CampaignForm(msgspec.Struct, kw_only=True):
    municipality: str | None = None
    instrument: str
    wave: int
    title: str
    audience: Audience
    access_mode: AccessMode = "public_link"
    opens_at: str | None = None
    closes_at: str | None = None


def _form_time(name: str, value: str | None) -> datetime | None:
    """A `datetime-local` value (no zone, maybe no seconds), taken as Rīga time."""
    if value is None:
        return None
    try:
        return as_utc(datetime.fromisoformat(value))
    except ValueError:
        raise ValidationFailed(
            "The form has errors.",
            errors=[{"field": name, "code": "invalid", "message": "Enter a date and time, e.g. 2026-03-01T08:00."}],
        ) from None


class CodesForm(msgspec.Struct, kw_only=True):
    count: int
    format: str = "sheet"


def _instruments() -> list[str]:
    return sorted(DEFAULT_INSTRUMENTS)


class AdminCampaignPages(AdminPageController):
    async def _new_page(
        self,
        request: Request[Any, Any, Any],
        session: AsyncSession,
        user: CurrentUser,
        *,
        values: dict[str, str],
        errors: list[Any],
        status: int,
    ) -> Response[Any]:
        state = request.app.state
        municipalities = known_municipalities(state) if user.is_operator else [user.municipality]
        return render(
            request,
            "campaign_new.html",
            user=user,
            status=status,
            values=values,
            errors=errors,
            municipalities=municipalities,
            instruments=_instruments(),
            titles=await instrument_titles(session),
            audiences=AUDIENCES,
            access_modes=ACCESS_MODES,
        )

    @get("/", summary="Dashboard")
    async def dashboard(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
    ) -> Response[Any]:
        rows = await campaigns_for(session, user)
        states = Counter(campaign_state(c) for c, _ in rows)
        open_rows = [(c, r) for c, r in rows if campaign_state(c) == "open"]
        # Evaluators and operators get the mid-term report of every municipality × wave they run,
        # and of this year for a municipality of the plan catalogue with no campaign yet (onboarded).
        pairs = {(c.municipality, c.wave) for c, _ in rows}
        if user.role != "coordinator":
            mine = known_municipalities(request.app.state) if user.is_operator else [user.municipality or ""]
            pairs |= {(m, dt.date.today().year) for m in mine if m and all(p[0] != m for p in pairs)}
        reports = (
            []
            if user.role == "coordinator"
            else [
                {
                    "municipality": m,
                    "wave": w,
                    # both languages; no baseline in the link = the stated rule (auto)
                    "url": {
                        lang: {f: report_url(m, w, lang=lang, fmt=f) for f in ("html", "xlsx", "pdf")}
                        for lang in ("lv", "en")
                    },
                    "earlier": sorted({c.wave for c, _ in rows if c.municipality == m and c.wave < w}, reverse=True),
                }
                for m, w in sorted(pairs, key=lambda mw: (mw[0], -mw[1]))
            ]
        )
        counts = {} if user.role == "coordinator" else await monitoring.totals(session, [c.id for c, _ in open_rows])
        return render(
            request,
            "dashboard.html",
            user=user,
            states=states,
            open_rows=open_rows,
            reports=reports,
            counts=counts,
        )

    @get("/campaigns", summary="Campaigns")
    async def campaigns(
        self,
        request: Request[Any, Any, Any],
        state: State,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        municipality: Annotated[str | None, QueryParameter(description="operators: filter")] = None,
    ) -> Response[Any]:
        scope = municipality if user.is_operator else None
        rows = await campaigns_for(session, user, scope)
        return render(
            request,
            "campaigns.html",
            user=user,
            rows=[(c, r, campaign_state(c)) for c, r in rows],
            titles=await instrument_titles(session),
            counts=await monitoring.totals(session, [c.id for c, _ in rows]),
            municipalities=known_municipalities(state),
            selected=scope or "",
        )

    @get("/campaigns/new", summary="New campaign form")
    async def new_campaign(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
    ) -> Response[Any]:
        if user.role == "coordinator":
            raise Forbidden("School coordinators see response counts and rates only.")
        return await self._new_page(request, session, user, values={}, errors=[], status=200)

    @post("/campaigns", summary="Create a campaign", status_code=200)
    async def create(
        self,
        request: Request[Any, Any, Any],
        state: State,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        form: NamedDependency[Posted],
    ) -> Response[Any]:
        if user.role == "coordinator":
            raise Forbidden("School coordinators see response counts and rates only.")
        try:
            data = convert_form(form.fields, CampaignForm)
            municipality = data.municipality if user.is_operator else user.municipality
            campaign = await create_campaign_for(
                session,
                user,
                CampaignCreate(
                    municipality=municipality or "",
                    instrument=data.instrument,
                    wave=data.wave,
                    title=data.title,
                    audience=data.audience,
                    access_mode=data.access_mode,
                    opens_at=_form_time("opens_at", data.opens_at),
                    closes_at=_form_time("closes_at", data.closes_at),
                ),
                known_municipalities=known_municipalities(state),
            )
        except ValidationFailed as exc:
            return await self._new_page(request, session, user, values=form.fields, errors=exc.errors, status=422)
        return see_other(f"/admin/campaigns/{campaign.slug}")

    @get("/campaigns/{slug:str}", summary="A campaign: status, link, QR code, distribution")
    async def show(
        self,
        request: Request[Any, Any, Any],
        state: State,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        slug: FromPath[str],
    ) -> Response[Any]:
        campaign, version = await campaign_for(session, user, slug)
        require_evaluator(user, campaign.municipality)
        schools = []
        if campaign.audience == "teachers":
            schools = list(await SchoolRepository(session).for_municipality(campaign.municipality))
        return render(
            request,
            "campaign.html",
            user=user,
            campaign=campaign,
            version=version,
            state=campaign_state(campaign),
            public_link=f"{context_from(state).settings.base_url}/s/{campaign.slug}",
            schools=schools,
        )

    @post("/campaigns/{slug:str}/open", summary="Open a campaign", status_code=200)
    async def open_campaign(
        self,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        form: NamedDependency[Posted],
        slug: FromPath[str],
    ) -> Response[Any]:
        await change_status_for(session, user, slug, "open")
        return see_other(f"/admin/campaigns/{slug}")

    @get("/campaigns/{slug:str}/close", summary="Confirm closing a campaign (irreversible)")
    async def confirm_close(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        slug: FromPath[str],
    ) -> Response[Any]:
        campaign, _ = await campaign_for(session, user, slug)
        require_evaluator(user, campaign.municipality)
        responses = (await monitoring.totals(session, [campaign.id])).get(campaign.id, 0)
        return render(request, "close_confirm.html", user=user, campaign=campaign, responses=responses)

    @post("/campaigns/{slug:str}/close", summary="Close a campaign (after the confirmation page)", status_code=200)
    async def close_campaign(
        self,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        form: NamedDependency[Posted],
        slug: FromPath[str],
    ) -> Response[Any]:
        if form.get("confirm") != "yes":
            campaign, _ = await campaign_for(session, user, slug)
            require_evaluator(user, campaign.municipality)
            return see_other(f"/admin/campaigns/{slug}/close")
        await change_status_for(session, user, slug, "closed")
        return see_other(f"/admin/campaigns/{slug}")

    @get("/campaigns/{slug:str}/rates", summary="Response rates per school (coordinators: theirs, and distribution)")
    async def rates(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        slug: FromPath[str],
    ) -> Response[Any]:
        campaign, _ = await campaign_for(session, user, slug)
        return await self._rates_page(request, session, user, campaign)

    async def _rates_page(
        self,
        request: Request[Any, Any, Any],
        session: AsyncSession,
        user: CurrentUser,
        campaign: Campaign,
        *,
        status: int = 200,
        errors: list[Any] | None = None,
        values: dict[str, str] | None = None,
    ) -> Response[Any]:
        rows = await distribution.response_rates(session, campaign.id)
        distribute: dict[str, Any] | None = None
        if user.role == "coordinator":
            rows = [r for r in rows if r.school_id == user.school_id]
            if rows:
                own = rows[0]
                cap = distribution.coordinator_batch_cap(own.teachers)
                entered = values or {}
                token = await link_token(session, campaign.id, own.school_id)
                base_url = context_from(request.app.state).settings.base_url
                distribute = {
                    "school_id": own.school_id,
                    "teachers": own.teachers,
                    "cap": cap,
                    "closed": campaign_state(campaign) == "closed",
                    "count": entered.get("count") or str(min(own.teachers or 20, cap)),
                    "format": entered.get("format", "sheet"),
                    # the school's link once made (making it is a POST, written to the audit log)
                    "token": token,
                    "url": None if token is None else f"{base_url}/s/{campaign.slug}/{token}",
                }
        teachers = sum(r.teachers or 0 for r in rows)
        # Responses that came without a school (a public link) are their own row, not lost.
        no_school = 0 if user.role == "coordinator" else await monitoring.without_school(session, campaign.id)
        responses = sum(r.responses for r in rows) + no_school
        return render(
            request,
            "rates.html",
            user=user,
            status=status,
            campaign=campaign,
            rows=rows,
            total_teachers=teachers,
            total_responses=responses,
            total_rate=(responses / teachers) if teachers else None,
            without_school=no_school,
            state=campaign_state(campaign),
            distribute=distribute,
            errors=errors or [],
        )

    async def _school_of(
        self, session: AsyncSession, user: CurrentUser, slug: str, school_id: int, *, mode: str
    ) -> tuple[Campaign, School]:
        """The campaign and school a link or codes are for. Evaluators and operators: any school of
        the campaign's municipality. Coordinators: their own school only (else 404), on a teacher
        campaign of their municipality (else 404) that is not closed (else 409). Only the method
        matching the campaign's access mode `mode` is given out (else 409): a code campaign's
        school link would open a page that answers 404, a link campaign has no code field."""
        campaign, _ = await campaign_for(session, user, slug)
        if user.role == "coordinator":
            require_school(user, campaign.municipality, school_id)
            if campaign_state(campaign) == "closed":
                raise Conflict(
                    "This campaign is closed: no more school links or codes are given out.",
                    code="distribution_closed",
                )
        else:
            require_evaluator(user, campaign.municipality)
        school = await school_for(session, user, school_id)
        if school.municipality != campaign.municipality:
            raise NotFound("No such school.", code="school_not_found")
        if campaign.access_mode != mode:
            raise Conflict("This campaign is distributed another way.", code="wrong_distribution")
        return campaign, school

    @post(
        "/campaigns/{slug:str}/schools/{school_id:int}/link",
        summary="A school's link to a teacher campaign",
        status_code=200,
    )
    async def school_link(
        self,
        request: Request[Any, Any, Any],
        state: State,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        form: NamedDependency[Posted],
        slug: FromPath[str],
        school_id: FromPath[int],
    ) -> Response[Any]:
        campaign, school = await self._school_of(session, user, slug, school_id, mode="school_link")
        link = await distribution.ensure_school_link(session, campaign.id, school.id)
        token = link.token
        url = f"{context_from(state).settings.base_url}/s/{campaign.slug}/{token}"
        await record(
            session, user, "link.ensure", "school_link", f"{campaign.slug}/{school.id}", campaign.municipality, {}
        )
        return render(request, "school_link.html", user=user, campaign=campaign, school=school, url=url, token=token)

    @post(
        "/campaigns/{slug:str}/schools/{school_id:int}/codes", summary="Issue single-use access codes", status_code=200
    )
    async def issue_codes(
        self,
        request: Request[Any, Any, Any],
        state: State,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        form: NamedDependency[Posted],
        slug: FromPath[str],
        school_id: FromPath[int],
    ) -> Response[Any]:
        campaign, school = await self._school_of(session, user, slug, school_id, mode="access_code")
        sid = school.id
        try:
            data = convert_form(form.fields, CodesForm)
            if user.role == "coordinator":
                issued = await codes_issued(session, campaign.id, sid)
                distribution.check_coordinator_batch(data.count, school.teachers, issued)
            elif not 1 <= data.count <= MAX_CODES:
                raise ValidationFailed(
                    "Too many or too few codes.",
                    errors=[
                        {"field": "count", "code": "out_of_range", "message": f"Issue 1–{MAX_CODES} codes at once."}
                    ],
                )
        except ValidationFailed as exc:
            if user.role != "coordinator":
                raise
            # the coordinator's page again, the error beside the form they filled in
            return await self._rates_page(
                request, session, user, campaign, status=422, errors=exc.errors, values=form.fields
            )
        codes = await distribution.issue_codes(session, campaign.id, sid, data.count)
        await record(
            session,
            user,
            "codes.issue",
            "campaign",
            campaign.slug,
            campaign.municipality,
            {"school_id": sid, "count": len(codes)},
        )
        base_url = context_from(state).settings.base_url
        if data.format == "csv":
            text = codes_csv(codes, campaign, school, base_url)
            return Response(
                text,
                media_type="text/csv; charset=utf-8",
                headers={
                    "Content-Disposition": f'attachment; filename="codes-{campaign.slug}-{school.code}.csv"',
                    "Cache-Control": "no-store",
                },
            )
        if data.format == "xlsx":
            return Response(
                codes_xlsx(codes, campaign, school, base_url),
                media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                headers={
                    "Content-Disposition": f'attachment; filename="codes-{campaign.slug}-{school.code}.xlsx"',
                    "Cache-Control": "no-store",
                },
            )
        sheet = render_code_sheet(codes, campaign, school, base_url, lang=admin_lang(request))
        return Response(sheet, media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-store"})
