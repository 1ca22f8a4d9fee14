"""`pmp-surveys demo [--seed N] [--reset]`: fill the database with clearly labelled SYNTHETIC data.

Schools, closed baseline waves, open 2026 waves with a few thousand generated responses, and
administrative figures for every non-survey indicator (see `pmp_surveys.demo`). Idempotent:
running it again adds nothing; `--reset` deletes the demo campaigns and seeds again.
"""

from __future__ import annotations

import argparse
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.catalogue.loader import load_catalogue
from pmp_surveys.catalogue.schema import Catalogue
from pmp_surveys.cli.runtime import link_base, run_in_session, settings_with_database
from pmp_surveys.demo.seed import DEMO_INSTRUMENTS, DemoLink, SeedReport, seed
from pmp_surveys.settings import Settings

__all__ = ["DEMO_INSTRUMENTS", "DemoLink", "print_links", "register", "run_demo", "seed_demo"]


def register(commands: Any) -> None:
    demo = commands.add_parser(
        "demo", help="fill the database with synthetic demo data (schools, waves, responses, admin figures)"
    )
    demo.add_argument("--seed", type=int, help="random seed (default: the scenario's fixed seed)")
    demo.add_argument("--reset", action="store_true", help="delete the demo campaigns and their responses first")
    demo.add_argument(
        "--base-url",
        help="base of the printed links (default: PMP_PUBLIC_URL, else the running server's address, "
        "else http://PMP_HOST:PMP_PORT)",
    )
    demo.set_defaults(handler=run_demo)


async def seed_demo(
    session: AsyncSession,
    municipalities: list[str],
    *,
    catalogue: Catalogue | None = None,
    seed_value: int | None = None,
    reset: bool = False,
) -> list[DemoLink]:
    """Seed the synthetic demo (once) and return the links of the open demo campaigns."""
    report = await seed_report(session, municipalities, catalogue=catalogue, seed_value=seed_value, reset=reset)
    return report.links


async def seed_report(
    session: AsyncSession,
    municipalities: list[str],
    *,
    catalogue: Catalogue | None = None,
    seed_value: int | None = None,
    reset: bool = False,
) -> SeedReport:
    catalogue = catalogue or load_catalogue(Settings.from_env().catalogue_dir)
    return await seed(session, catalogue, municipalities, seed=seed_value, reset=reset)


def run_demo(args: argparse.Namespace) -> int:
    from pmp_surveys.cli.prepare import prepare

    settings = settings_with_database()
    catalogue = prepare(settings)
    report = run_in_session(
        settings,
        lambda s: seed_report(
            s, sorted(catalogue.municipalities), catalogue=catalogue, seed_value=args.seed, reset=args.reset
        ),
    )
    print(
        f"demo data (SYNTHETIC): {report.campaigns_created} campaigns created, "
        f"{report.responses_inserted} responses, {report.figures_written} administrative figures, "
        f"{report.schools_added} schools added in {report.seconds:.1f} s"
    )
    print("  open demo survey links:")
    print_links(settings, report.links, link_base(settings, args.base_url))
    return 0


def print_links(settings: Settings, links: list[DemoLink], base_url: str | None = None) -> None:
    """One line per open demo campaign; `base_url` defaults to the settings' (what `serve` listens on)."""
    base = base_url or settings.base_url
    for link in links:
        print(f"  {link.municipality:<8} {link.instrument:<24} {base}/s/{link.slug}")
