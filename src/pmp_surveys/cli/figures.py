"""`pmp-surveys figures import FILE.csv|FILE.xlsx`: administrative indicator figures, all rows or none.

The same parser and service as the admin page `/admin/figures` (an upload history row and an audit
entry per municipality in the file)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pmp_surveys.catalogue.errors import AdminFiguresError, CatalogueError
from pmp_surveys.cli.runtime import run_in_session, settings_with_database


def register(commands: Any) -> None:
    figures = commands.add_parser("figures", help="administrative indicator figures")
    sub = figures.add_subparsers(dest="figures_command", required=True, metavar="ACTION")
    load = sub.add_parser(
        "import",
        help="validate and store a CSV or XLSX (municipality,indicator,year,numerator,denominator[,school]); "
        "existing figures with the same key are replaced; nothing is written if any row is wrong",
    )
    load.add_argument("file", type=Path)
    load.set_defaults(handler=import_file)


def import_file(args: argparse.Namespace) -> int:
    from pmp_surveys.cli.prepare import prepare
    from pmp_surveys.evaldata.service import store_figures

    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(f"cannot read {args.file}: {exc}", file=sys.stderr)
        return 1
    settings = settings_with_database()
    try:
        catalogue = prepare(settings)
        outcome = run_in_session(
            settings,
            lambda session: store_figures(session, catalogue, data, user=None, filename=args.file.name),
        )
    except AdminFiguresError as exc:
        print(f"{args.file}: rejected, nothing was written ({len(exc.problems)} problem(s)):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except CatalogueError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"{args.file}: {outcome.rows} figure(s) stored ({outcome.inserted} new, {outcome.updated} replaced)")
    return 0
