"""Every admin route handler, for `create_app` to register in one line."""

from __future__ import annotations

from pmp_surveys.admin.api import AdminAuditApi, AdminCampaignsApi, AdminSchoolsApi
from pmp_surveys.admin.auth_pages import AdminAuthPages
from pmp_surveys.admin.campaign_pages import AdminCampaignPages
from pmp_surveys.admin.import_pages import AdminImportPages
from pmp_surveys.admin.paper_pages import AdminPaperPages
from pmp_surveys.admin.people_pages import AdminPeoplePages
from pmp_surveys.admin.school_pages import AdminSchoolPages

ADMIN_ROUTES = [
    AdminAuthPages,
    AdminCampaignPages,
    AdminPaperPages,
    AdminImportPages,
    AdminSchoolPages,
    AdminPeoplePages,
    AdminCampaignsApi,
    AdminSchoolsApi,
    AdminAuditApi,
]
