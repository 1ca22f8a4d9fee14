"""Admin page monitoring one campaign's fieldwork (any audience): responses per day with a small
inline SVG chart, the running total, and per survey indicator the interval half-width reached at
the current n against the planned ± 5 points."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.access import CurrentUser, require_evaluator
from pmp_surveys.admin.common import AdminPageController
from pmp_surveys.admin.i18n import translator
from pmp_surveys.admin.rendering import admin_lang, render
from pmp_surveys.campaigns.management import campaign_for
from pmp_surveys.campaigns.service import campaign_state
from pmp_surveys.monitoring.service import campaign_monitor
from pmp_surveys.web.context import context_from


class AdminMonitorPages(AdminPageController):
    @get("/campaigns/{slug:str}/monitor", summary="Fieldwork: responses per day, precision reached")
    async def monitor(
        self,
        request: Request[Any, Any, Any],
        state: State,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        slug: FromPath[str],
    ) -> Response[Any]:
        campaign, version = await campaign_for(session, user, slug)
        require_evaluator(user, campaign.municipality)
        catalogue = context_from(state).catalogue
        t = translator(admin_lang(request))
        data = await campaign_monitor(
            session,
            user,
            campaign,
            version.key,
            catalogue.municipalities.get(campaign.municipality),
            chart_label=t("chart_label", title=campaign.title),
        )
        return render(
            request,
            "monitor.html",
            user=user,
            campaign=campaign,
            instrument_title=version.definition.get("title", {}),
            state=campaign_state(campaign),
            data=data,
        )
