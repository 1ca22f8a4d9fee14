"""JSON admin API: campaigns and schools, with the same rules as the admin pages."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import get, patch, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.access import CurrentUser
from pmp_surveys.admin.common import AdminApiController, known_municipalities, scope_municipality
from pmp_surveys.audit.service import AuditRead, entries_for
from pmp_surveys.campaigns.management import campaign_for, campaigns_for, change_status_for, create_campaign_for
from pmp_surveys.campaigns.schemas import CampaignCreate, CampaignRead
from pmp_surveys.campaigns.service import to_read
from pmp_surveys.distribution.schemas import SchoolRate
from pmp_surveys.distribution.service import response_rates
from pmp_surveys.schools.service import SchoolRead, school_read, schools_for, update_teachers


class TeachersUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    #: Teacher head-count; null = unknown.
    teachers: int | None


class AdminCampaignsApi(AdminApiController):
    path = "/api/v1/admin/campaigns"

    @get("/", summary="Campaigns the signed-in user may see")
    async def list_campaigns(
        self,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        municipality: Annotated[str | None, QueryParameter(description="operators: filter")] = None,
    ) -> list[CampaignRead]:
        return [read for _, read in await campaigns_for(session, user, municipality)]

    @post("/", summary="Create a draft campaign", status_code=201)
    async def create(
        self,
        state: State,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        data: JSONBody[CampaignCreate],
    ) -> CampaignRead:
        campaign = await create_campaign_for(session, user, data, known_municipalities=known_municipalities(state))
        _, version = await campaign_for(session, user, campaign.slug)
        return to_read(campaign, version)

    @get("/{slug:str}", summary="One campaign")
    async def show(
        self, user: NamedDependency[CurrentUser], session: NamedDependency[AsyncSession], slug: FromPath[str]
    ) -> CampaignRead:
        campaign, version = await campaign_for(session, user, slug)
        return to_read(campaign, version)

    @get("/{slug:str}/rates", summary="Responses and response rate per school (coordinators: their school)")
    async def rates(
        self, user: NamedDependency[CurrentUser], session: NamedDependency[AsyncSession], slug: FromPath[str]
    ) -> list[SchoolRate]:
        campaign, _ = await campaign_for(session, user, slug)
        rows = await response_rates(session, campaign.id)
        return [r for r in rows if user.role != "coordinator" or r.school_id == user.school_id]

    @post("/{slug:str}/open", summary="Open a campaign", status_code=200)
    async def open_campaign(
        self, user: NamedDependency[CurrentUser], session: NamedDependency[AsyncSession], slug: FromPath[str]
    ) -> CampaignRead:
        await change_status_for(session, user, slug, "open")
        campaign, version = await campaign_for(session, user, slug)
        return to_read(campaign, version)

    @post("/{slug:str}/close", summary="Close a campaign", status_code=200)
    async def close_campaign(
        self, user: NamedDependency[CurrentUser], session: NamedDependency[AsyncSession], slug: FromPath[str]
    ) -> CampaignRead:
        await change_status_for(session, user, slug, "closed")
        campaign, version = await campaign_for(session, user, slug)
        return to_read(campaign, version)


class AdminSchoolsApi(AdminApiController):
    path = "/api/v1/admin/schools"

    @get("/", summary="Schools and teacher head-counts of a municipality")
    async def list_schools(
        self,
        state: State,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        municipality: Annotated[str | None, QueryParameter(description="operators: which municipality")] = None,
    ) -> list[SchoolRead]:
        scope = scope_municipality(state, user, municipality)
        return [school_read(s) for s in await schools_for(session, user, scope)]

    @patch("/{school_id:int}", summary="Set a school's teacher head-count")
    async def update(
        self,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        school_id: FromPath[int],
        data: JSONBody[TeachersUpdate],
    ) -> SchoolRead:
        return school_read(await update_teachers(session, user, school_id, data.teachers))


class AdminAuditApi(AdminApiController):
    path = "/api/v1/admin/audit"

    @get("/", summary="Latest audit entries (operators: all; evaluators: their municipality)")
    async def entries(
        self,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        limit: Annotated[int, QueryParameter(ge=1, le=1000, description="how many, newest first")] = 200,
    ) -> list[AuditRead]:
        return await entries_for(session, user, limit=limit)
