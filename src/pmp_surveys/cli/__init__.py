"""The `pmp-surveys` command line: one sub-command per module of this package."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from pmp_surveys.cli import (
    analyze,
    database,
    demo,
    export,
    figures,
    plan,
    report,
    responses,
    serve,
    surveys,
    users,
    xlsform,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pmp-surveys",
        description="Survey collection and indicator evaluation for PMP prevention plans.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (serve, database, surveys, xlsform, demo, users, analyze, figures, export, report, plan, responses):
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    try:
        result: int = args.handler(args)
    except KeyboardInterrupt:
        return 130
    return result


if __name__ == "__main__":
    sys.exit(main())
