"""`pmp-surveys report`: the mid-term evaluation report (HTML, XLSX, JSON, PDF) into a directory."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any, Literal

from pmp_surveys.reports.strings import LANGS


def baseline_arg(value: str) -> int | Literal["plan", "published"] | None:
    """`auto` (default), `plan`, `published`, or a year: the shared vocabulary
    (:func:`pmp_surveys.indicators.baseline.parse_baseline`)."""
    from pmp_surveys.indicators.baseline import parse_baseline

    try:
        return parse_baseline(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def register(commands: Any) -> None:
    report = commands.add_parser(
        "report",
        help="write the mid-term evaluation report (HTML, XLSX, JSON, PDF)",
        description="Evaluate a municipality's plan for one wave and write the report files into --out.",
    )
    report.add_argument("--municipality", required=True, help="municipality code, e.g. riga or bauska")
    report.add_argument("--wave", type=int, required=True, help="the evaluated wave / figure year, e.g. 2026")
    report.add_argument(
        "--baseline",
        type=baseline_arg,
        default=None,
        metavar="auto|plan|published|YEAR",
        help="auto (default): the most recent earlier wave with data, else the plan's baseline; plan: each "
        "indicator's baseline in the plan; published: the plan's printed figures; or a wave year",
    )
    report.add_argument(
        "--catalogue", type=int, metavar="N", help="a stored plan version (default: the latest; /admin/plan lists them)"
    )
    report.add_argument("--lang", choices=LANGS, default="lv", help="report language (default lv)")
    report.add_argument("--out", type=Path, default=Path("reports"), help="output directory (default ./reports)")
    report.add_argument("--no-pdf", action="store_true", help="skip the PDF")
    report.set_defaults(handler=run_report)


def run_report(args: argparse.Namespace) -> int:
    from pmp_surveys.cli.prepare import prepare
    from pmp_surveys.cli.runtime import settings_with_database
    from pmp_surveys.db.engine import create_engine, session_factory
    from pmp_surveys.errors import NotFound
    from pmp_surveys.plans.service import plan_version
    from pmp_surveys.reports.build import build_report
    from pmp_surveys.reports.files import write_report

    settings = settings_with_database()
    catalogue = prepare(settings)  # stores new plan versions from the files, if any

    def progress(message: str) -> None:
        print(f"… {message}", file=sys.stderr)

    async def go() -> int:
        assert settings.database_url
        engine = create_engine(settings.database_url, pool_size=3)
        try:
            async with session_factory(engine)() as session:
                try:
                    plan = await plan_version(session, args.municipality, args.catalogue)  # latest stored
                except NotFound:
                    known = ", ".join(sorted(catalogue.municipalities))
                    what = f"version {args.catalogue} of " if args.catalogue else ""
                    print(f"error: no plan {what}{args.municipality!r} (known: {known})", file=sys.stderr)
                    return 2
                report = await build_report(
                    session,
                    plan.municipality,
                    args.wave,
                    baseline=args.baseline,
                    progress=progress,
                    catalogue_version=plan.ref,
                )
        finally:
            await engine.dispose()
        progress("writing files")
        files = await write_report(report, args.lang, args.out, pdf=not args.no_pdf)
        for path in (files.html, files.xlsx, files.json, files.surveys, files.pdf):
            if path is not None:
                print(path)
        if files.pdf_message:
            print(files.pdf_message, file=sys.stderr)
        return 0

    return asyncio.run(go())
