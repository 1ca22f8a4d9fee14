"""Campaign shapes at the API boundary, split by direction."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

import msgspec

Status = Literal["draft", "open", "closed"]
Audience = Literal["parents", "residents", "teachers"]
AccessMode = Literal["public_link", "school_link", "access_code"]
Lang = Literal["lv", "ru", "uk", "en"]


class CampaignRead(msgspec.Struct, kw_only=True):
    slug: str
    municipality: str
    wave: int
    title: str
    status: Status
    audience: Audience
    access_mode: AccessMode
    opens_at: datetime | None
    closes_at: datetime | None
    instrument_key: str
    instrument_version: int
    accepting_responses: bool


class PublicCampaign(msgspec.Struct, kw_only=True):
    """What a respondent's app needs: the campaign and its instrument in one language."""

    campaign: CampaignRead
    lang: Lang
    instrument: dict[str, Any]


class CampaignCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    municipality: str
    instrument: str
    wave: int = msgspec.field()
    title: str
    audience: Audience
    access_mode: AccessMode = "public_link"
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    slug: str | None = None
