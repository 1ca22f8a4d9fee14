"""`pmp-surveys responses import`: submissions collected with another tool, into a campaign.

    pmp-surveys responses import --campaign demo-bauska-parents-2024 --source kobo parents.csv
    pmp-surveys responses import --campaign C --source limesurvey --mapping map.toml survey.sav
    pmp-surveys responses import --campaign C --source spreadsheet --mapping map.toml --dry-run data.xlsx

Every row is validated like a submission; with any bad row, refused column or mapping error
nothing is written and every problem is printed (row, column, problem, fix). Identifying columns
are dropped and listed. The mapping file format: `responses.import_sources.ImportMapping`.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

import msgspec

from pmp_surveys.cli.runtime import settings_with_database
from pmp_surveys.errors import PmpError
from pmp_surveys.responses.import_sources import SOURCE_KINDS, read_mapping, read_table
from pmp_surveys.responses.models import MODES
from pmp_surveys.settings import Settings


def register(commands: Any) -> None:
    responses = commands.add_parser("responses", help="responses collected with other tools")
    sub = responses.add_subparsers(dest="responses_command", required=True, metavar="ACTION")
    imp = sub.add_parser("import", help="import a KoboToolbox/ODK/LimeSurvey export or a spreadsheet")
    imp.add_argument("file", type=Path, help=".csv, .xlsx or .sav")
    imp.add_argument("--campaign", required=True, metavar="SLUG", help="the campaign (it pins the instrument version)")
    imp.add_argument("--source", required=True, choices=SOURCE_KINDS, help="the tool the file comes from")
    imp.add_argument("--mapping", type=Path, help="columns → questions, values → options (.toml or .json)")
    imp.add_argument("--mode", choices=MODES, help="how the answers were collected (default by source)")
    imp.add_argument("--keep-identical", action="store_true", help="rows with identical answers are different people")
    imp.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
    imp.set_defaults(handler=run_import)


async def _run(settings: Settings, args: argparse.Namespace) -> list[str]:
    import asyncpg

    from pmp_surveys.db.embedded import asyncpg_connect_args
    from pmp_surveys.responses.import_repository import use_json_codecs
    from pmp_surveys.responses.import_service import ImportRejected, import_responses

    table = read_table(args.file.read_bytes(), args.file.name)
    mapping = read_mapping(args.mapping.read_bytes(), args.mapping.name) if args.mapping else None
    assert settings.database_url
    conn = await asyncpg.connect(**asyncpg_connect_args(settings.database_url))
    await use_json_codecs(conn)
    try:
        report = await import_responses(
            conn,
            args.campaign,
            table,
            source=args.source,
            label=f"{args.source}:{args.file.name}",
            mode=args.mode,
            mapping=mapping,
            keep_identical=args.keep_identical,
            dry_run=args.dry_run,
        )
    except ImportRejected as exc:
        raise _Rejected(exc.report.lines()) from exc
    finally:
        await conn.close()
    return report.lines()


class _Rejected(Exception):
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines


def run_import(args: argparse.Namespace) -> int:
    settings = settings_with_database()
    try:
        lines = asyncio.run(_run(settings, args))
    except _Rejected as exc:
        print("\n".join(exc.lines), file=sys.stderr)
        return 1
    except (PmpError, ValueError, OSError, msgspec.ValidationError, msgspec.DecodeError) as exc:
        print(f"import failed: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0
