"""Every admin route handler, for `create_app` to register in one line."""

from __future__ import annotations

from litestar import Controller, get
from litestar.handlers import HTTPRouteHandler
from litestar.response import Redirect

from pmp_surveys.admin.activity_pages import AdminActivityPages
from pmp_surveys.admin.api import AdminAuditApi, AdminCampaignsApi, AdminSchoolsApi
from pmp_surveys.admin.auth_pages import AdminAuthPages
from pmp_surveys.admin.campaign_pages import AdminCampaignPages
from pmp_surveys.admin.figure_pages import AdminFigurePages
from pmp_surveys.admin.import_pages import AdminImportPages
from pmp_surveys.admin.margin_pages import AdminMarginPages
from pmp_surveys.admin.monitor_pages import AdminMonitorPages
from pmp_surveys.admin.paper_pages import AdminPaperPages
from pmp_surveys.admin.people_pages import AdminPeoplePages
from pmp_surveys.admin.rendering import see_other
from pmp_surveys.admin.school_pages import AdminSchoolPages
from pmp_surveys.plans.pages import AdminPlanPages


@get("/", include_in_schema=False, summary="The service's front door: the admin (or its sign-in)")
async def front_door() -> Redirect:
    """`/` is not a JSON 404: respondents come with a survey link, everyone else wants the admin."""
    return see_other("/admin")


ADMIN_ROUTES: list[type[Controller] | HTTPRouteHandler] = [
    front_door,
    AdminAuthPages,
    AdminCampaignPages,
    AdminPaperPages,
    AdminImportPages,
    AdminSchoolPages,
    AdminFigurePages,
    AdminMarginPages,
    AdminMonitorPages,
    AdminActivityPages,
    AdminPlanPages,
    AdminPeoplePages,
    AdminCampaignsApi,
    AdminSchoolsApi,
    AdminAuditApi,
]
