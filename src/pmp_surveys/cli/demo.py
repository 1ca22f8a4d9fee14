"""`pmp-surveys demo`: open, clearly labelled demo campaigns for every municipality."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.campaigns.repository import CampaignRepository
from pmp_surveys.campaigns.schemas import CampaignCreate
from pmp_surveys.campaigns.service import create_campaign, set_status
from pmp_surveys.cli.runtime import run_in_session, settings_with_database
from pmp_surveys.settings import Settings

#: instrument key → (short name used in demo links, audience)
DEMO_INSTRUMENTS = {
    "parent-satisfaction": ("parents", "parents"),
    "resident-perception": ("residents", "residents"),
    "teacher-self-efficacy": ("teachers", "teachers"),
}
DEMO_WAVE = 2026


@dataclass(frozen=True)
class DemoLink:
    municipality: str
    instrument: str
    slug: str


def register(commands: Any) -> None:
    demo = commands.add_parser("demo", help="create open demo campaigns (synthetic, clearly labelled)")
    demo.set_defaults(handler=run_demo)


async def seed_demo(session: AsyncSession, municipalities: list[str]) -> list[DemoLink]:
    """Create (once) an open 2026 demo campaign per municipality and instrument."""
    repo = CampaignRepository(session)
    links = []
    for municipality in municipalities:
        for key, (short, audience) in DEMO_INSTRUMENTS.items():
            slug = f"demo-{municipality}-{short}-{DEMO_WAVE}"
            if await repo.by_slug(slug) is None:
                await create_campaign(
                    session,
                    CampaignCreate(
                        municipality=municipality,
                        instrument=key,
                        wave=DEMO_WAVE,
                        slug=slug,
                        title=f"DEMO — {short} survey {DEMO_WAVE} ({municipality})",
                        audience=audience,  # type: ignore[arg-type]
                    ),
                    known_municipalities=municipalities,
                )
                await set_status(session, slug, "open")
            links.append(DemoLink(municipality, key, slug))
    return links


def run_demo(args: argparse.Namespace) -> int:
    from pmp_surveys.cli.serve import prepare

    settings = settings_with_database()
    catalogue = prepare(settings)
    links = run_in_session(settings, lambda s: seed_demo(s, sorted(catalogue.municipalities)))
    print_links(settings, links)
    return 0


def print_links(settings: Settings, links: list[DemoLink]) -> None:
    for link in links:
        print(f"  {link.municipality:<8} {link.instrument:<24} {settings.base_url}/s/{link.slug}")
