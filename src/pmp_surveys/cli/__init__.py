"""The `pmp-surveys` command line: one sub-command per module of this package.

Only the module of the sub-command being run is imported (some pull in polars, statsmodels,
Litestar …, seconds of imports on a busy machine); the others appear in `--help` from the table
below. A test checks that the table's help lines match what the modules register.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

#: sub-command -> (module in this package that registers it, its one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "serve": ("serve", "run the service (embedded PostgreSQL unless PMP_DATABASE_URL)"),
    "db": ("database", "database migrations"),
    "surveys": ("surveys", "survey instrument files"),
    "xlsform": ("xlsform", "instruments as XLSForm: export for Kobo/ODK, import a form"),
    "demo": ("demo", "fill the database with synthetic demo data (schools, waves, responses, admin figures)"),
    "users": ("users", "operators, evaluators and school coordinators"),
    "analyze": ("analyze", "evaluate every indicator of a municipality for a wave (value, CI, change, target verdict)"),
    "figures": ("figures", "administrative indicator figures"),
    "export": ("export", "export de-identified responses or a codebook for statisticians"),
    "report": ("report", "write the mid-term evaluation report (HTML, XLSX, JSON, PDF)"),
    "responses": ("responses", "responses collected with other tools"),
    "plan": ("plan", "responses needed for a CI half-width, or to detect a change from the baseline"),
}


def build_parser(argv: Sequence[str] | None = None, *, load_all: bool = False) -> argparse.ArgumentParser:
    """The parser; only the sub-command named in `argv` is imported (all of them without `argv`,
    or with `load_all`)."""
    parser = argparse.ArgumentParser(
        prog="pmp-surveys",
        description="Survey collection and indicator evaluation for PMP prevention plans.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    wanted = next((arg for arg in (argv or []) if not arg.startswith("-")), None)
    for name, (module, help_) in COMMANDS.items():
        if load_all or argv is None or name == wanted:
            importlib.import_module(f"pmp_surveys.cli.{module}").register(commands)
        else:
            commands.add_parser(name, help=help_)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    try:
        result: int = args.handler(args)
    except KeyboardInterrupt:
        return 130
    return result


if __name__ == "__main__":
    sys.exit(main())
