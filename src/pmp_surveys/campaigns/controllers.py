"""JSON API for campaigns (public side)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.campaigns.schemas import PublicCampaign
from pmp_surveys.campaigns.service import public_campaign
from pmp_surveys.web.dependencies import provide_session


class PublicCampaignController(Controller):
    path = "/api/v1/campaigns"
    tags = ["respondents"]
    dependencies = {"session": Provide(provide_session)}

    @get("/{slug:str}", summary="A campaign and its questionnaire in one language")
    async def show(
        self,
        session: NamedDependency[AsyncSession],
        slug: FromPath[str],
        lang: Annotated[str, QueryParameter(description="lv, ru, uk or en")] = "lv",
    ) -> PublicCampaign:
        return await public_campaign(session, slug, lang)
