"""Every admin route handler, for `create_app` to register in one line."""

from __future__ import annotations

from pmp_surveys.admin.api import AdminAuditApi, AdminCampaignsApi, AdminSchoolsApi
from pmp_surveys.admin.auth_pages import AdminAuthPages
from pmp_surveys.admin.campaign_pages import AdminCampaignPages
from pmp_surveys.admin.figure_pages import AdminFigurePages
from pmp_surveys.admin.margin_pages import AdminMarginPages
from pmp_surveys.admin.monitor_pages import AdminMonitorPages
from pmp_surveys.admin.people_pages import AdminPeoplePages
from pmp_surveys.admin.school_pages import AdminSchoolPages

ADMIN_ROUTES = [
    AdminAuthPages,
    AdminCampaignPages,
    AdminSchoolPages,
    AdminFigurePages,
    AdminMarginPages,
    AdminMonitorPages,
    AdminPeoplePages,
    AdminCampaignsApi,
    AdminSchoolsApi,
    AdminAuditApi,
]
