"""Campaign rules: when a campaign accepts answers, how one is created, opened and closed."""

from __future__ import annotations

import re
import secrets
from collections.abc import Collection
from datetime import UTC, datetime
from typing import Literal, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.campaigns.models import Campaign
from pmp_surveys.campaigns.repository import CampaignRepository
from pmp_surveys.campaigns.schemas import CampaignCreate, CampaignRead, PublicCampaign
from pmp_surveys.errors import Conflict, Gone, NotFound, ValidationFailed
from pmp_surveys.instruments.definition import LANGUAGES
from pmp_surveys.instruments.localize import localize
from pmp_surveys.instruments.models import InstrumentVersion
from pmp_surveys.instruments.repository import InstrumentRepository
from pmp_surveys.instruments.service import record_from_row

State = Literal["draft", "not_yet_open", "open", "closed"]
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{2,63}$")

#: Campaign titles are stored as VARCHAR(200).
TITLE_MAX = 200


class HasWindow(Protocol):
    @property
    def status(self) -> str: ...
    @property
    def opens_at(self) -> datetime | None: ...
    @property
    def closes_at(self) -> datetime | None: ...


def campaign_state(campaign: HasWindow, now: datetime | None = None) -> State:
    """Whether the campaign takes answers now. Must agree with the SQL guard in
    `responses.repository.INSERT_IF_OPEN`."""
    now = now or datetime.now(UTC)
    if campaign.status == "draft":
        return "draft"
    if campaign.status == "closed" or (campaign.closes_at is not None and campaign.closes_at <= now):
        return "closed"
    if campaign.opens_at is not None and campaign.opens_at > now:
        return "not_yet_open"
    return "open"


def raise_unless_open(campaign: HasWindow) -> None:
    state = campaign_state(campaign)
    if state == "draft":
        raise Conflict("This survey has not been published yet.", code="campaign_not_open")
    if state == "not_yet_open":
        assert campaign.opens_at is not None
        raise Conflict(f"This survey opens on {campaign.opens_at:%Y-%m-%d %H:%M} UTC.", code="campaign_not_open")
    if state == "closed":
        raise Gone("This survey is closed and no longer accepts answers.", code="campaign_closed")


def to_read(campaign: Campaign, version: InstrumentVersion) -> CampaignRead:
    return CampaignRead(
        slug=campaign.slug,
        municipality=campaign.municipality,
        wave=campaign.wave,
        title=campaign.title,
        status=campaign.status,  # type: ignore[arg-type]
        audience=campaign.audience,  # type: ignore[arg-type]
        access_mode=campaign.access_mode,  # type: ignore[arg-type]
        opens_at=campaign.opens_at,
        closes_at=campaign.closes_at,
        instrument_key=version.key,
        instrument_version=version.version,
        accepting_responses=campaign_state(campaign) == "open",
    )


async def public_campaign(session: AsyncSession, slug: str, lang: str) -> PublicCampaign:
    """The campaign and its instrument in `lang`; drafts are not public."""
    if lang not in LANGUAGES:
        raise ValidationFailed(
            "Unsupported language.",
            errors=[
                {"field": "lang", "code": "unknown_language", "message": f"lang must be one of {', '.join(LANGUAGES)}"}
            ],
        )
    found = await CampaignRepository(session).with_version(slug)
    if found is None or found[0].status == "draft":
        raise NotFound("No survey has this link.", code="campaign_not_found")
    campaign, version = found
    instrument = record_from_row(version).instrument
    return PublicCampaign(
        campaign=to_read(campaign, version),
        lang=lang,
        instrument=localize(instrument, lang),
    )


async def create_campaign(
    session: AsyncSession, data: CampaignCreate, *, known_municipalities: Collection[str]
) -> Campaign:
    """Create a draft campaign on the latest version of the instrument."""
    errors = []
    if "\x00" in data.municipality or "\x00" in data.instrument:
        raise ValidationFailed(
            "The campaign cannot be created.",
            errors=[{"field": "municipality", "code": "invalid", "message": "Control characters are not allowed."}],
        )
    if data.municipality not in known_municipalities:
        errors.append(
            {"field": "municipality", "code": "unknown", "message": f"Unknown municipality {data.municipality!r}."}
        )
    version = await InstrumentRepository(session).latest(data.instrument)
    if version is None:
        errors.append(
            {
                "field": "instrument",
                "code": "unknown",
                "message": f"No instrument {data.instrument!r} is loaded; run 'pmp-surveys surveys load'.",
            }
        )
    if data.slug is not None and not SLUG_RE.match(data.slug):
        errors.append(
            {"field": "slug", "code": "invalid", "message": "Use 3–64 lower-case letters, digits and hyphens."}
        )
    if data.opens_at and data.closes_at and data.closes_at <= data.opens_at:
        errors.append(
            {
                "field": "closes_at",
                "code": "before_opening",
                "message": "The closing time must be after the opening time.",
            }
        )
    if not 2000 <= data.wave <= 2100:
        errors.append({"field": "wave", "code": "out_of_range", "message": "The wave is a year, 2000–2100."})
    if not data.title.strip() or len(data.title) > TITLE_MAX:
        errors.append({"field": "title", "code": "length", "message": f"Give a title of 1–{TITLE_MAX} characters."})
    elif not data.title.isprintable():
        errors.append({"field": "title", "code": "invalid", "message": "The title cannot contain control characters."})
    repo = CampaignRepository(session)
    if data.slug is not None and await repo.by_slug(data.slug) is not None:
        errors.append({"field": "slug", "code": "taken", "message": "This link is already used."})
    if errors:
        raise ValidationFailed("The campaign cannot be created.", errors=errors)
    assert version is not None
    campaign = Campaign(
        slug=data.slug or new_slug(),
        municipality=data.municipality,
        instrument_version_id=version.id,
        wave=data.wave,
        title=data.title,
        status="draft",
        audience=data.audience,
        access_mode=data.access_mode,
        opens_at=data.opens_at,
        closes_at=data.closes_at,
    )
    return await repo.add(campaign)


async def set_status(session: AsyncSession, slug: str, status: Literal["open", "closed"]) -> Campaign:
    campaign = await CampaignRepository(session).by_slug(slug)
    if campaign is None:
        raise NotFound("No campaign has this link.", code="campaign_not_found")
    if campaign.status == "closed" and status == "open":
        raise Conflict("A closed campaign cannot be reopened; create a new wave.", code="campaign_closed")
    campaign.status = status
    if status == "closed" and (campaign.closes_at is None or campaign.closes_at > datetime.now(UTC)):
        campaign.closes_at = datetime.now(UTC)
        if campaign.opens_at is not None and campaign.opens_at >= campaign.closes_at:
            campaign.opens_at = None
    await session.flush()
    return campaign


def new_slug() -> str:
    """Ten characters from a 32-letter alphabet: 50 bits, not enumerable, easy to type."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))
