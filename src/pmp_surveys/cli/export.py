"""`pmp-surveys export`: a campaign's (or a wave's) microdata or codebook into a file.

    pmp-surveys export --campaign SLUG --format csv|parquet|sav|dta|codebook --lang lv --out FILE
    pmp-surveys export --municipality bauska --instrument teacher-self-efficacy --wave 2026 ...

The same rules as the HTTP export (no identifying data, month not day, small schools blanked,
free text only with --include-text). The codebook format follows the file's extension
(.json, .csv, .html, .xlsx; default JSON).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from pmp_surveys.catalogue.loader import load_catalogue
from pmp_surveys.cli.runtime import settings_with_database
from pmp_surveys.errors import PmpError
from pmp_surveys.settings import Settings

FORMATS = ("csv", "parquet", "sav", "dta", "codebook")


def register(commands: Any) -> None:
    export = commands.add_parser("export", help="export de-identified responses or a codebook for statisticians")
    which = export.add_mutually_exclusive_group(required=True)
    which.add_argument("--campaign", metavar="SLUG", help="one campaign")
    which.add_argument("--municipality", help="with --instrument and --wave: every campaign of that wave")
    export.add_argument("--instrument", help="instrument key, e.g. teacher-self-efficacy (with --municipality)")
    export.add_argument("--wave", type=int, help="wave year (with --municipality)")
    export.add_argument("--format", required=True, choices=FORMATS)
    export.add_argument("--lang", default="lv", choices=["lv", "ru", "uk", "en"], help="language of labels")
    export.add_argument("--include-text", action="store_true", help="include free-text answers")
    export.add_argument("--out", required=True, type=Path, help="output file ('-' for standard output: csv only)")
    export.set_defaults(handler=run_export)


class _Counter:
    """Counts the rows of column batches passing through."""

    def __init__(self, batches: AsyncIterator[dict[str, list[Any]]]) -> None:
        self.batches = batches
        self.rows = 0

    async def iterate(self) -> AsyncIterator[dict[str, list[Any]]]:
        async for columns in self.batches:
            self.rows += len(columns["response"])
            yield columns


async def export(settings: Settings, args: argparse.Namespace) -> int:
    """Write the export; returns the number of rows (or of variables for a codebook)."""
    import asyncpg

    from pmp_surveys.db.embedded import asyncpg_connect_args
    from pmp_surveys.exports import service
    from pmp_surveys.exports.codebook import render_codebook
    from pmp_surveys.exports.writers import csv_chunks, write_dta, write_parquet, write_sav

    assert settings.database_url
    conn = await asyncpg.connect(**asyncpg_connect_args(settings.database_url))
    try:
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            common: dict[str, Any] = {
                "user": None,
                "lang": args.lang,
                "include_text": args.include_text,
                "thresholds": load_catalogue(settings.catalogue_dir).suppression_thresholds(),
            }
            if args.campaign:
                scope = await service.campaign_scope(conn, args.campaign, **common)
            else:
                if not args.instrument or args.wave is None:
                    raise SystemExit("--municipality needs --instrument and --wave")
                scope = await service.wave_scope(conn, args.municipality, args.instrument, args.wave, **common)
            shield = await service.protection(conn, scope)
            batches = service.column_batches(conn, scope, shield)
            out: Path = args.out
            if args.format == "codebook":
                book = await service.build_codebook(conn, scope, shield)
                fmt = {".csv": "csv", ".html": "html", ".htm": "html", ".xlsx": "xlsx"}.get(out.suffix.lower(), "json")
                await asyncio.to_thread(out.write_bytes, render_codebook(book, fmt))  # type: ignore[arg-type]
                return len(book.variables)
            if args.format == "parquet":
                book = await service.build_codebook(conn, scope, shield)
                return await write_parquet(batches, scope.variables, out, book)
            if args.format == "sav":
                return await write_sav(batches, scope.variables, out, file_label=scope.base_name)
            if args.format == "dta":
                return await write_dta(batches, scope.variables, out, file_label=scope.base_name)
            counted = _Counter(batches)
            stream = sys.stdout.buffer if str(out) == "-" else out.open("wb")
            try:
                async for chunk in csv_chunks(counted.iterate(), scope.variables):
                    stream.write(chunk)
            finally:
                if stream is not sys.stdout.buffer:
                    stream.close()
            return counted.rows
    finally:
        await conn.close()


def run_export(args: argparse.Namespace) -> int:
    out: Path = args.out
    if str(out) != "-":
        if out.is_dir():
            print(
                f"export failed: --out {out} is a folder; give a file name, e.g. {out / 'responses.csv'}",
                file=sys.stderr,
            )
            return 1
        if not out.parent.is_dir():
            print(
                f"export failed: the folder {out.parent} does not exist; create it first (mkdir -p {out.parent})",
                file=sys.stderr,
            )
            return 1
    settings = settings_with_database()
    try:
        n = asyncio.run(export(settings, args))
    except PmpError as e:
        print(f"export failed: {e.message}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"export failed: cannot write {out}: {e.strerror or e}", file=sys.stderr)
        return 1
    if str(args.out) != "-":
        what = "variables" if args.format == "codebook" else "responses"
        print(f"wrote {n} {what} to {args.out}", file=sys.stderr)
    return 0
